"""The workspace index over LSP: references kept current by edits and by files changing on
disk, workspace diagnostics with result ids, the code lens counts on glossary entries, the
index build (cancellable, hover answered meanwhile), and closed files' findings pushed with
`workspaceDiagnostics: true`."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types as t
from pygls.uris import to_fs_path

from tests.lsp.conftest import (
    GlossaryClient,
    change,
    close_doc,
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

GLOSSARY = """\
entries:
  - term: widget
    definition: A thing that does something.
    deprecated:
      - form: gizmo
        use: widget
  - term: sprocket
    definition: Another thing.
"""
A = "# A\n\nA widget and a gizmo.\n"
B = "# B\n\nTwo widgets.\n\nOne sprocket.\n"
FILES = {
    ".harvester-glossary.yaml": "glossaries: [team-glossary.yaml]\n",
    "team-glossary.yaml": GLOSSARY,
    "docs/a.md": A,
    "docs/b.md": B,
    "docs/c.md": "# C\n\nNothing to see.\n",
}
BUILD = "Indexing glossary terms"


def _name(uri: str) -> str:
    return Path(to_fs_path(uri) or uri).name


async def _lenses(client: GlossaryClient) -> list[str]:
    """The glossary file's code lens titles, once the index is complete."""
    uri = open_doc(client, client.root / "team-glossary.yaml", GLOSSARY, "yaml")

    async def titles() -> list[str]:
        lenses = await client.text_document_code_lens_async(
            t.CodeLensParams(text_document=doc_id(uri)))
        return [lens.command.title for lens in lenses or [] if lens.command is not None]

    for _ in range(500):
        found = await titles()
        if found and not any("indexing" in title for title in found):
            return found
        await asyncio.sleep(0.02)
    raise AssertionError("the index never completed")


async def _references(client: GlossaryClient, uri: str, text: str,
                      needle: str) -> list[tuple[str, int]]:
    found = await client.text_document_references_async(t.ReferenceParams(
        text_document=doc_id(uri), position=where(text, needle, encoding=client.encoding),
        context=t.ReferenceContext(include_declaration=False)))
    return sorted((_name(location.uri), location.range.start.line) for location in found or [])


async def test_code_lens_counts(client: GlossaryClient, tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    await start(client, client.profile, tmp_path)
    titles = await _lenses(client)
    # widget: a.md (widget, gizmo: deprecated), b.md (widgets); sprocket: b.md
    assert titles == ["3 uses in 2 pages · 1 deprecated", "1 use in 1 page · 0 deprecated"]


async def test_references_follow_edits_and_disk(client: GlossaryClient, tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    await start(client, client.profile, tmp_path)
    b_uri = open_doc(client, tmp_path / "docs/b.md", B)
    assert await _references(client, b_uri, B, "widgets") == [
        ("a.md", 2), ("a.md", 2), ("b.md", 2)]

    # an unsaved edit of an open document counts at once
    a_uri = open_doc(client, tmp_path / "docs/a.md", A)
    edited = "# A\n\nNo more.\n\nwidget\n\nwidget\n"
    change(client, a_uri, 2, edited)
    assert await _references(client, b_uri, B, "widgets") == [
        ("a.md", 4), ("a.md", 6), ("b.md", 2)]
    # closing it without saving: the file on disk counts again
    close_doc(client, a_uri)
    assert await _references(client, b_uri, B, "widgets") == [
        ("a.md", 2), ("a.md", 2), ("b.md", 2)]

    # a closed file changes on disk: didChangeWatchedFiles
    (tmp_path / "docs/c.md").write_text("# C\n\nA widget at last.\n", encoding="utf-8")
    (tmp_path / "docs/a.md").unlink()
    (tmp_path / "docs/new.md").write_text("\n\n\nwidget\n", encoding="utf-8")
    client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[
        t.FileEvent(uri=(tmp_path / "docs/c.md").as_uri(), type=t.FileChangeType.Changed),
        t.FileEvent(uri=(tmp_path / "docs/a.md").as_uri(), type=t.FileChangeType.Deleted),
        t.FileEvent(uri=(tmp_path / "docs/new.md").as_uri(), type=t.FileChangeType.Created)]))
    assert await _references(client, b_uri, B, "widgets") == [
        ("b.md", 2), ("c.md", 2), ("new.md", 3)]


@pytest.mark.parametrize("profile", ["vscode"])
async def test_workspace_diagnostics_result_ids(bare_client: GlossaryClient, profile: str,
                                                tmp_path: Path) -> None:
    client = bare_client
    write_files(tmp_path, FILES)
    result = await start(client, profile, tmp_path)
    provider = result.capabilities.diagnostic_provider
    assert isinstance(provider, t.DiagnosticOptions) and provider.workspace_diagnostics

    async def pull(previous: dict[str, str]) -> dict[str, t.WorkspaceDocumentDiagnosticReport]:
        report = await client.workspace_diagnostic_async(t.WorkspaceDiagnosticParams(
            previous_result_ids=[t.PreviousResultId(uri=u, value=v)
                                 for u, v in previous.items()]))
        return {_name(item.uri): item for item in report.items}

    first = await pull({})
    assert set(first) == {"a.md"}  # only files with findings, and never the glossary
    a = first["a.md"]
    assert isinstance(a, t.WorkspaceFullDocumentDiagnosticReport) and a.result_id
    held = a.result_id
    assert [d.code for d in a.items] == ["deprecated-term"]
    assert a.items[0].range == t.Range(start=t.Position(line=2, character=15),
                                       end=t.Position(line=2, character=20))

    # nothing changed: the same result id costs an `unchanged` item
    second = await pull({a.uri: held})
    assert isinstance(second["a.md"], t.WorkspaceUnchangedDocumentDiagnosticReport)
    assert second["a.md"].result_id == a.result_id

    # the file changes on disk: a full report with a new id, now empty
    (tmp_path / "docs/a.md").write_text("# A\n\nJust a widget here.\n", encoding="utf-8")
    client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[
        t.FileEvent(uri=a.uri, type=t.FileChangeType.Changed)]))

    async def changed() -> t.WorkspaceDocumentDiagnosticReport:
        for _ in range(200):
            third = await pull({a.uri: held})
            if isinstance(third["a.md"], t.WorkspaceFullDocumentDiagnosticReport):
                return third["a.md"]
            await asyncio.sleep(0.02)
        raise AssertionError("no new report")

    third = await changed()
    assert isinstance(third, t.WorkspaceFullDocumentDiagnosticReport)
    assert not third.items and third.result_id != a.result_id
    # an open file is left to document pulls
    open_doc(client, tmp_path / "docs/a.md", A)
    assert "a.md" not in await pull({})


@pytest.mark.parametrize("profile", ["neovim", "emacs"])
async def test_push_closed_files(bare_client: GlossaryClient, profile: str,
                                 tmp_path: Path) -> None:
    client = bare_client
    write_files(tmp_path, {**FILES, ".harvester-glossary.yaml":
                           "glossaries: [team-glossary.yaml]\nworkspaceDiagnostics: true\n"})
    await start(client, profile, tmp_path)
    a_uri = (tmp_path / "docs/a.md").as_uri()
    assert not pulls(client.profile)
    pushed = await wait_for(lambda: pushes(client, a_uri), message="a.md's findings")
    assert [d.code for d in pushed[-1].diagnostics] == ["deprecated-term"]
    await _lenses(client)  # the index is complete
    pushed_uris = {_name(p.uri) for p in client.published}
    assert "b.md" not in pushed_uris and "c.md" not in pushed_uris  # no findings, no push

    # open, fix without saving, close: the finding on disk is pushed again
    uri = open_doc(client, tmp_path / "docs/a.md", A)
    change(client, uri, 2, "# A\n\nA widget.\n")
    await wait_for(lambda: [p for p in pushes(client, a_uri) if p.version == 2
                            and not p.diagnostics], message="the edited version's push")
    count = len(pushes(client, a_uri))
    close_doc(client, uri)
    after = await wait_for(lambda: pushes(client, a_uri)[count:], message="push on close")
    assert [d.code for d in after[-1].diagnostics] == ["deprecated-term"]


@pytest.mark.parametrize("profile", ["neovim"])
async def test_no_push_of_closed_files_by_default(bare_client: GlossaryClient, profile: str,
                                                  tmp_path: Path) -> None:
    client = bare_client
    write_files(tmp_path, FILES)
    await start(client, profile, tmp_path)
    await _lenses(client)
    uri = open_doc(client, tmp_path / "docs/b.md", B)
    await wait_for(lambda: pushes(client, uri), message="the open file's push")
    assert {_name(p.uri) for p in client.published} <= {"b.md", "team-glossary.yaml"}


BIG = {f"docs/part-{n // 100}/page-{n:04d}.md":
       "# Page\n\n" + f"A widget in paragraph {n}, and a gizmo.\n\n" * 40 for n in range(2500)}


@pytest.mark.parametrize("profile", ["visual_studio_code", "neovim"])
async def test_build_cancelled_hover_answered(bare_client: GlossaryClient, profile: str,
                                              tmp_path: Path) -> None:
    client = bare_client
    """While the index builds, hover answers; cancelling the build ends its progress with
    "cancelled" and the server carries on (references answer from what was indexed)."""
    write_files(tmp_path, {**FILES, **BIG})
    await start(client, profile, tmp_path)

    def building() -> object:
        for token, reports in client.progress_reports.items():
            if (reports and isinstance(reports[0], t.WorkDoneProgressBegin)
                    and reports[0].title == BUILD
                    and any(isinstance(r, t.WorkDoneProgressReport) for r in reports)):
                return token
        return None

    token = await wait_for(building, timeout=30, message="the build's progress")
    uri = open_doc(client, tmp_path / "main.md", "A widget.\n")
    answer = await hover(client, uri, where("A widget.\n", "widget", inside=1))
    assert answer is not None
    ended = [r for r in client.progress_reports[token] if isinstance(r, t.WorkDoneProgressEnd)]
    if ended:
        pytest.skip("the build ended before the hover (a very fast machine)")
    client.window_work_done_progress_cancel(t.WorkDoneProgressCancelParams(token=token))
    end = await wait_for(lambda: [r for r in client.progress_reports[token]
                                  if isinstance(r, t.WorkDoneProgressEnd)], message="end")
    assert end[0].message == "cancelled"
    # the lens says the index is incomplete; the server still answers
    glossary = open_doc(client, tmp_path / "team-glossary.yaml", GLOSSARY, "yaml")
    lenses = await client.text_document_code_lens_async(
        t.CodeLensParams(text_document=doc_id(glossary)))
    assert lenses and lenses[0].command is not None
    assert lenses[0].command.title.endswith("(indexing…)")
    assert await hover(client, uri, where("A widget.\n", "widget", inside=1)) is not None


MANY = {f"docs/part-{n // 100}/page-{n:04d}.md":
        "# Page\n\n" + f"A widget in paragraph {n}.\n\n" * 20 for n in range(600)}


@pytest.mark.parametrize("profile", ["vscode", "neovim"])
async def test_settings_changed_while_the_index_builds(bare_client: GlossaryClient,
                                                       profile: str, tmp_path: Path) -> None:
    """VS Code sends didChangeConfiguration twice right after start, while the first build
    runs: each change rebuilds, and the last build must run to the end. (It did not: the new
    build waited on the cancelled one, which then marked the index as cancelled by the user,
    and a closed file's finding never reached the Problems panel.)"""
    client = bare_client
    write_files(tmp_path, {**MANY, "docs/closed.md": "# Closed\n\nUse the harvester-mgmt "
                                                     "network.\n"})
    await start(client, profile, tmp_path, settings={"workspaceDiagnostics": True})
    for _ in range(2):
        client.workspace_did_change_configuration(t.DidChangeConfigurationParams(settings=None))
    closed = (tmp_path / "docs/closed.md").as_uri()
    if profile == "vscode":
        async def listed() -> list[str]:
            for _ in range(300):  # a hang guard of 60 s, not a budget
                report = await client.workspace_diagnostic_async(
                    t.WorkspaceDiagnosticParams(previous_result_ids=[]))
                found = [_name(item.uri) for item in report.items]
                if found:
                    return found
                await asyncio.sleep(0.2)
            return []

        assert await listed() == ["closed.md"]
    else:
        pushed = await wait_for(lambda: pushes(client, closed), message="closed.md's push")
        assert [d.code for d in pushed[-1].diagnostics] == ["deprecated-term"]
