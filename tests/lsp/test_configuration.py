"""Configuration: initializationOptions, workspace/configuration, didChangeConfiguration, the
config file reloaded on watched-file events (or on save where the client cannot watch), a
broken config or glossary, and multi-root workspaces with a config per folder."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as t

from tests.lsp.conftest import (
    GlossaryClient,
    diagnostics,
    doc_id,
    hover,
    open_doc,
    pulls,
    pushes,
    start,
    wait_for,
    where,
    write_files,
)

CONFIG = ".harvester-glossary.yaml"
TEXT = "We attach the disk to the Guest cluster. The harvester-mgmt net has one widget.\n"
TEAM = """\
format: harvester-glossary/v1
entries:
  - term: widget
    definition: A made-up term of this workspace.
"""


def _codes(found: Any) -> list[str]:
    return [str(d.code) for d in found]


def _profile(client: GlossaryClient) -> str:
    return client.profile


async def _widget_hover(client: GlossaryClient, uri: str) -> t.Hover | None:
    return await hover(client, uri, where(TEXT, "widget", encoding=client.encoding, inside=2))


def _notify_config_changed(client: GlossaryClient, path: Path, text: str,
                           kind: t.FileChangeType = t.FileChangeType.Changed) -> None:
    """What the editor sends after `path` was written: a watched-file event, or (Neovim, which
    cannot watch files on Linux) the save of the open file."""
    path.write_text(text, encoding="utf-8")
    if _profile(client) == "neovim":
        uri = path.as_uri()
        if uri not in client.opened:
            open_doc(client, path, text, "yaml")
            client.opened.add(uri)
        else:
            client.text_document_did_change(t.DidChangeTextDocumentParams(
                text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)]))
        client.text_document_did_save(t.DidSaveTextDocumentParams(text_document=doc_id(uri)))
    else:
        client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(
            changes=[t.FileEvent(uri=path.as_uri(), type=kind)]))


@pytest.fixture(autouse=True)
def _opened(request: pytest.FixtureRequest) -> None:
    for name in ("client", "bare_client"):
        if name in request.fixturenames:
            request.getfixturevalue(name).opened = set()


# --- the layers --------------------------------------------------------------------------------

async def test_initialization_options(client: GlossaryClient, tmp_path: Path) -> None:
    write_files(tmp_path, {"team.yaml": TEAM})
    await start(client, _profile(client), tmp_path, init_options={
        "rules": {"term-casing": "off"}, "ignoreWords": ["harvester-mgmt"],
        "glossaries": ["team.yaml"]})  # relative to the workspace folder
    uri = open_doc(client, tmp_path / "a.md", TEXT)
    assert _codes(await diagnostics(client, uri, version=1)) == []
    result = await _widget_hover(client, uri)
    assert result is not None and "A made-up term" in str(result.contents)


async def test_workspace_configuration_from_the_first_request(client: GlossaryClient,
                                                              tmp_path: Path) -> None:
    """workspace/configuration is asked in `initialized`; the first requests already see it."""
    write_files(tmp_path, {"team.yaml": TEAM})
    await start(client, _profile(client), tmp_path, settings={
        "rules": {"deprecated-term": "error"}, "glossaries": [str(tmp_path / "team.yaml")]})
    uri = open_doc(client, tmp_path / "a.md", TEXT)
    result = await _widget_hover(client, uri)  # no sleep: races `initialized`
    assert result is not None and "A made-up term" in str(result.contents)
    found = await diagnostics(client, uri, version=1)
    assert [(d.code, d.severity) for d in found] == [
        ("term-casing", t.DiagnosticSeverity.Information),
        ("deprecated-term", t.DiagnosticSeverity.Error)]


@pytest.mark.parametrize("profile", ["visual_studio_code", "vscode", "neovim", "emacs"])
async def test_did_change_configuration(bare_client: GlossaryClient, tmp_path: Path,
                                        profile: str) -> None:
    client = bare_client
    await start(client, profile, tmp_path)
    uri = open_doc(client, tmp_path / "a.md", TEXT)
    assert _codes(await diagnostics(client, uri, version=1)) == ["term-casing", "deprecated-term"]
    seen = len(pushes(client, uri))
    refreshes = client.diagnostic_refresh_count
    client.set_configuration({"harvesterGlossary": {"rules": {"term-casing": "off"}}})
    client.workspace_did_change_configuration(t.DidChangeConfigurationParams(settings=None))
    if pulls(profile):
        if profile == "vscode":  # supports workspace/diagnostic/refresh: told to re-pull
            await wait_for(lambda: client.diagnostic_refresh_count > refreshes,
                           message="a diagnostic refresh")
        found = await _pull_until(client, uri, ["deprecated-term"])
        assert pushes(client, uri) == []
    else:
        found = await diagnostics(client, uri, version=1, after=seen)
    assert _codes(found) == ["deprecated-term"]


async def _pull_until(client: GlossaryClient, uri: str, codes: list[str],
                      timeout: float = 5.0) -> Any:
    """Pull until the diagnostics have these codes (a reload is asynchronous)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        found = await diagnostics(client, uri)
        if _codes(found) == codes:
            return found
        if loop.time() > deadline:
            raise AssertionError(f"still {_codes(found)}, not {codes}")
        await asyncio.sleep(0.02)


# --- the config file --------------------------------------------------------------------------

async def _current(client: GlossaryClient, uri: str, seen: int, codes: list[str]) -> Any:
    if pulls(_profile(client)):
        return await _pull_until(client, uri, codes)
    return await wait_for(lambda: [p.diagnostics for p in pushes(client, uri)[seen:]
                                   if _codes(p.diagnostics) == codes],
                          message=f"a push with {codes}")


async def test_config_file_reload(client: GlossaryClient, tmp_path: Path) -> None:
    config = tmp_path / CONFIG
    config.write_text("rules:\n  term-casing: error\n", encoding="utf-8")
    await start(client, _profile(client), tmp_path)
    uri = open_doc(client, tmp_path / "a.md", TEXT)
    found = await diagnostics(client, uri, version=1)
    assert [(d.code, d.severity) for d in found] == [
        ("term-casing", t.DiagnosticSeverity.Error),
        ("deprecated-term", t.DiagnosticSeverity.Warning)]

    seen = len(pushes(client, uri))
    _notify_config_changed(client, config, "rules:\n  term-casing: off\n")
    await _current(client, uri, seen, ["deprecated-term"])

    # deleting the file goes back to the defaults
    seen = len(pushes(client, uri))
    config.unlink()
    if _profile(client) == "neovim":  # a deleted file is not saved: nothing to notice yet
        return
    client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(
        changes=[t.FileEvent(uri=config.as_uri(), type=t.FileChangeType.Deleted)]))
    await _current(client, uri, seen, ["term-casing", "deprecated-term"])


async def test_broken_config_keeps_the_last_good_state(client: GlossaryClient,
                                                       tmp_path: Path) -> None:
    config = tmp_path / CONFIG
    config.write_text("rules:\n  term-casing: off\n", encoding="utf-8")
    await start(client, _profile(client), tmp_path)
    uri = open_doc(client, tmp_path / "a.md", TEXT)
    assert _codes(await diagnostics(client, uri, version=1)) == ["deprecated-term"]
    assert client.messages == []

    broken = "rules:\n  term-casing: off\nignoreWords: [unclosed\n"
    _notify_config_changed(client, config, broken)
    message = await wait_for(lambda: client.messages and client.messages[-1],
                             message="window/showMessage")
    assert message.type == t.MessageType.Error
    assert message.message.startswith(f"harvester-glossary-ls: {CONFIG}:")
    assert message.message.endswith(f"The last good version of {CONFIG} stays in use.")
    # a diagnostic on the config file itself (pulled where it is open in a pulling client)
    config_uri = config.as_uri()
    if pulls(_profile(client)) and config_uri in client.opened:
        problems = await diagnostics(client, config_uri)
    else:
        problems = await wait_for(lambda: client.diagnostics.get(config_uri),
                                  message="diagnostics on the config file")
    assert len(problems) == 1 and problems[0].severity == t.DiagnosticSeverity.Error
    assert problems[0].range.start.line in (2, 3)
    # the last good config still applies
    assert _codes(await diagnostics(client, uri)) == ["deprecated-term"]

    # a bad value is reported too, and the rest of the file applies
    shown = len(client.messages)
    seen = len(pushes(client, uri))
    _notify_config_changed(client, config, "rules:\n  term-casing: loud\n  deprecated-term: off\n")
    message = await wait_for(lambda: len(client.messages) > shown and client.messages[-1],
                             message="a second showMessage")
    assert "term-casing" in message.message and "loud" in message.message
    assert message.message.endswith("The rest of the settings and glossaries apply.")
    await _current(client, uri, seen, ["term-casing"])

    # fixed: the file's diagnostics are cleared
    seen = len(pushes(client, config_uri))
    _notify_config_changed(client, config, "rules:\n  term-casing: off\n")
    if pulls(_profile(client)) and config_uri in client.opened:
        await _pull_until(client, config_uri, [])
    else:
        await wait_for(lambda: [p for p in pushes(client, config_uri)[seen:]
                                if p.diagnostics == ()], message="cleared config diagnostics")


async def test_broken_glossary_keeps_the_last_good_one(client: GlossaryClient,
                                                       tmp_path: Path) -> None:
    write_files(tmp_path, {"team.yaml": TEAM, CONFIG: "glossaries: [team.yaml]\n"})
    await start(client, _profile(client), tmp_path)
    uri = open_doc(client, tmp_path / "a.md", TEXT)
    assert await _widget_hover(client, uri) is not None
    _notify_config_changed(client, tmp_path / "team.yaml", "entries: [unclosed\n")
    message = await wait_for(lambda: client.messages and client.messages[-1],
                             message="window/showMessage")
    assert message.message.startswith("harvester-glossary-ls: team.yaml:2: invalid YAML")
    assert message.message.endswith("The last good version of team.yaml stays in use.")
    result = await _widget_hover(client, uri)
    assert result is not None and "A made-up term" in str(result.contents)


# --- multi-root ---------------------------------------------------------------------------------

@pytest.mark.parametrize("profile", ["visual_studio_code", "neovim", "emacs"])
async def test_multi_root(bare_client: GlossaryClient, tmp_path: Path, profile: str) -> None:
    client = bare_client
    quiet, strict = tmp_path / "quiet", tmp_path / "strict"
    write_files(quiet, {CONFIG: "rules:\n  term-casing: off\nglossaries: [team.yaml]\n",
                        "team.yaml": TEAM})
    write_files(strict, {CONFIG: "rules:\n  deprecated-term: error\n"})
    await start(client, profile, tmp_path, folders=[quiet, strict])
    in_quiet = open_doc(client, quiet / "a.md", TEXT)
    in_strict = open_doc(client, strict / "docs" / "a.md", TEXT)
    assert [(d.code, d.severity) for d in await diagnostics(client, in_strict, version=1)] == [
        ("term-casing", t.DiagnosticSeverity.Information),
        ("deprecated-term", t.DiagnosticSeverity.Error)]
    assert _codes(await diagnostics(client, in_quiet, version=1)) == ["deprecated-term"]
    assert await _widget_hover(client, in_quiet) is not None
    assert await _widget_hover(client, in_strict) is None


async def test_folder_scoped_settings(bare_client: GlossaryClient, tmp_path: Path) -> None:
    """workspace/configuration is asked per folder (scopeUri); each folder gets its answer."""
    client = bare_client
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    client.set_configuration({"harvesterGlossary": {"rules": {"deprecated-term": "off"}}},
                             scope_uri=two.as_uri())
    await start(client, "neovim", tmp_path, folders=[one, two])
    a = open_doc(client, one / "a.md", TEXT)
    b = open_doc(client, two / "b.md", TEXT)
    assert _codes(await diagnostics(client, a)) == ["term-casing", "deprecated-term"]
    assert _codes(await diagnostics(client, b)) == ["term-casing"]


@pytest.mark.parametrize("profile", ["vscode", "visual_studio_code"])
async def test_broken_config_open_and_closed(bare_client: GlossaryClient, tmp_path: Path,
                                             profile: str) -> None:
    """A broken config that is not open gets pushed diagnostics (nobody pulls a closed file);
    once opened, a pulling client pulls them and the pushed copy is withdrawn (no duplicates);
    closed again, they are pushed again."""
    client = bare_client
    config = tmp_path / CONFIG
    config.write_text("rules: [unclosed\n", encoding="utf-8")
    await start(client, profile, tmp_path)
    config_uri = config.as_uri()
    await wait_for(lambda: client.diagnostics.get(config_uri), message="pushed problems")
    assert pushes(client, config_uri)[-1].version is None

    open_doc(client, config, config.read_text(encoding="utf-8"), "yaml")
    if pulls(profile):
        await wait_for(lambda: pushes(client, config_uri)[-1].diagnostics == (),
                       message="the pushed copy withdrawn")
        (problem,) = await diagnostics(client, config_uri)
    else:
        await wait_for(lambda: pushes(client, config_uri)[-1].version == 1, message="v1")
        (problem,) = pushes(client, config_uri)[-1].diagnostics
    assert problem.severity == t.DiagnosticSeverity.Error

    seen = len(pushes(client, config_uri))
    client.text_document_did_close(t.DidCloseTextDocumentParams(text_document=doc_id(config_uri)))
    last = await wait_for(lambda: pushes(client, config_uri)[seen:], message="a push on close")
    assert [d.message for d in last[-1].diagnostics] == [problem.message]


async def test_workspace_folder_added(client: GlossaryClient, tmp_path: Path) -> None:
    """A folder added while running brings its own config; removed, it no longer applies."""
    first, added = tmp_path / "first", tmp_path / "added"
    write_files(first, {"a.md": TEXT})
    write_files(added, {CONFIG: "rules:\n  deprecated-term: off\n"})
    await start(client, _profile(client), first)
    uri = open_doc(client, added / "b.md", TEXT)
    assert _codes(await diagnostics(client, uri, version=1)) == ["term-casing", "deprecated-term"]
    seen = len(pushes(client, uri))
    # the editor's settings for that folder are asked for too
    client.set_configuration({"harvesterGlossary": {"ignoreWords": ["Guest cluster"]}},
                             scope_uri=added.as_uri())
    folder = t.WorkspaceFolder(uri=added.as_uri(), name="added")
    client.workspace_did_change_workspace_folders(t.DidChangeWorkspaceFoldersParams(
        event=t.WorkspaceFoldersChangeEvent(added=[folder], removed=[])))
    await _current(client, uri, seen, [])
    seen = len(pushes(client, uri))
    client.workspace_did_change_workspace_folders(t.DidChangeWorkspaceFoldersParams(
        event=t.WorkspaceFoldersChangeEvent(added=[], removed=[folder])))
    await _current(client, uri, seen, ["term-casing", "deprecated-term"])
