"""Code actions: a quick fix per finding, source.fixAll with every safe fix, and "Ignore 'X' in
this workspace", which edits (or creates) .harvester-glossary.yaml through workspace/applyEdit."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as t

from tests.lsp.conftest import (
    GlossaryClient,
    apply_edits,
    diagnostics,
    doc_id,
    open_doc,
    pulls,
    pushes,
    span,
    start,
)

TEXT = """\
# Fixes

We attach the disk to the Guest cluster today.
The harvester-mgmt network is gone, and so are vip-pools.
Each guest clustr runs somewhere. 😀 Then harvester-mgmt again.
"""
FIXED = """\
# Fixes

We attach the disk to the guest cluster today.
The mgmt network is gone, and so are IP pools.
Each guest clustr runs somewhere. 😀 Then mgmt again.
"""


async def _actions(client: GlossaryClient, uri: str, where: t.Range,
                   found: list[t.Diagnostic] | tuple[t.Diagnostic, ...] = (),
                   only: list[str] | None = None) -> list[t.CodeAction]:
    result = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=doc_id(uri), range=where,
        context=t.CodeActionContext(diagnostics=list(found), only=only)))
    actions = list(result or [])
    assert all(isinstance(a, t.CodeAction) for a in actions), actions
    return actions  # type: ignore[return-value]


def _edits(action: t.CodeAction, uri: str) -> list[t.TextEdit]:
    assert action.edit is not None and action.edit.changes is not None
    return list(action.edit.changes[uri])


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("needle", "title", "preferred"), [
    ("harvester-mgmt", "Replace with 'mgmt'", True),
    ("vip-pools", "Replace with 'IP pools'", True),
    ("Guest cluster", "Replace with 'guest cluster'", True),
    ("guest clustr", "Replace with 'guest cluster'", False),  # a guess: never preferred
])
async def test_quick_fix(mclient: GlossaryClient, needle: str, title: str,
                         preferred: bool) -> None:
    enc = mclient.encoding
    uri = open_doc(mclient, mclient.root / "fix.md", TEXT)
    found = await diagnostics(mclient, uri, version=1)
    where = span(TEXT, needle, enc)
    (diagnostic,) = [d for d in found if d.range == where]
    actions = await _actions(mclient, uri, where, [diagnostic])
    quick = [a for a in actions if a.kind == t.CodeActionKind.QuickFix]
    assert [a.title for a in quick] == [title, f"Ignore '{needle}' in this workspace"]
    fix, ignore = quick
    assert bool(fix.is_preferred) is preferred
    assert fix.diagnostics is not None and fix.diagnostics[0].range == where
    assert fix.diagnostics[0].code == diagnostic.code
    (edit,) = _edits(fix, uri)
    assert edit.range == where and edit.new_text == title.split("'")[1]
    assert ignore.edit is None and ignore.command is not None
    assert ignore.command.command == "harvesterGlossary.ignoreWord"
    assert ignore.command.arguments == (uri, needle)


@pytest.mark.asyncio(loop_scope="module")
async def test_no_quick_fix_off_finding(mclient: GlossaryClient) -> None:
    uri = open_doc(mclient, mclient.root / "fix.md", TEXT)
    actions = await _actions(mclient, uri, t.Range(start=t.Position(line=0, character=0),
                                                   end=t.Position(line=0, character=3)),
                             only=[t.CodeActionKind.QuickFix])
    assert actions == []


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("only", [None, ["source.fixAll"], ["source"]])
async def test_fix_all(mclient: GlossaryClient, only: list[str] | None) -> None:
    enc = mclient.encoding
    uri = open_doc(mclient, mclient.root / "fix.md", TEXT)
    where = t.Range(start=t.Position(line=0, character=0), end=t.Position(line=0, character=0))
    actions = await _actions(mclient, uri, where, only=only)
    fix_all = [a for a in actions if str(a.kind).startswith("source.fixAll")]
    assert len(fix_all) == 1
    assert fix_all[0].title == "Fix all glossary findings (4)"
    # every safe fix applied, the spelling guess left alone; columns after the emoji hold
    assert apply_edits(TEXT, _edits(fix_all[0], uri), enc) == FIXED


@pytest.mark.asyncio(loop_scope="module")
async def test_quick_fix_only_excludes_fix_all(mclient: GlossaryClient) -> None:
    enc = mclient.encoding
    uri = open_doc(mclient, mclient.root / "fix.md", TEXT)
    actions = await _actions(mclient, uri, span(TEXT, "vip-pools", enc), only=["quickfix"])
    assert actions and all(a.kind == t.CodeActionKind.QuickFix for a in actions)


# --- ignoring a word: the config file is created, then edited --------------------------------

def _config_text_edits(client: GlossaryClient, params: t.ApplyWorkspaceEditParams,
                       config_uri: str) -> tuple[list[t.TextEdit], bool]:
    """The text edits of an applyEdit for the config file, and whether it creates the file;
    checks the edit has a shape the profile said it can apply."""
    edit = params.edit
    caps = client.capabilities
    assert caps is not None and caps.workspace is not None
    can = caps.workspace.workspace_edit
    if edit.document_changes is None:
        assert edit.changes is not None
        return list(edit.changes[config_uri]), False
    assert can is not None and can.document_changes
    creates = False
    edits: list[t.TextEdit] = []
    for item in edit.document_changes:
        if isinstance(item, t.CreateFile):
            assert can.resource_operations and t.ResourceOperationKind.Create in \
                can.resource_operations
            assert item.uri == config_uri
            creates = True
        else:
            assert isinstance(item, t.TextDocumentEdit)
            assert item.text_document.uri == config_uri
            edits += [e for e in item.edits if isinstance(e, t.TextEdit)]
    return edits, creates


async def _ignore(client: GlossaryClient, uri: str, text: str, needle: str) -> None:
    enc = client.encoding
    where = span(text, needle, enc)
    actions = await _actions(client, uri, where, only=[t.CodeActionKind.QuickFix])
    (ignore,) = [a for a in actions if a.title == f"Ignore '{needle}' in this workspace"]
    assert ignore.command is not None
    result = await client.workspace_execute_command_async(t.ExecuteCommandParams(
        command=ignore.command.command, arguments=list(ignore.command.arguments or [])))
    assert result is True


async def test_ignore_word(client: GlossaryClient, tmp_path: Path) -> None:
    profile = client.profile
    await start(client, profile, tmp_path)
    enc = client.encoding
    config = tmp_path / ".harvester-glossary.yaml"
    config_uri = config.as_uri()
    uri = open_doc(client, tmp_path / "doc.md", TEXT)
    before = await diagnostics(client, uri, version=1)
    assert sum(1 for d in before if d.code == "deprecated-term") == 3
    seen = len(pushes(client, uri))

    # 1. no config yet: the edit creates it (or, for clients that cannot create files, edits
    #    the new file's buffer), and the word is ignored at once
    await _ignore(client, uri, TEXT, "harvester-mgmt")
    (applied,) = client.applied_edits
    assert applied.label == "Ignore 'harvester-mgmt' in this workspace"
    edits, creates = _config_text_edits(client, applied, config_uri)
    assert creates is (profile in ("visual_studio_code", "vscode"))
    content = apply_edits("", edits, enc)
    assert content == 'ignoreWords:\n  - "harvester-mgmt"\n'
    after = await diagnostics(client, uri, after=seen)
    assert [d.code for d in after].count("deprecated-term") == 1  # only vip-pools is left
    assert all(TEXT.splitlines()[d.range.start.line] for d in after)

    # 2. the editor saves the file; the server reloads it; the word stays ignored
    config.write_text(content, encoding="utf-8")
    seen = len(pushes(client, uri))
    if profile == "neovim":  # cannot watch files: the save of the open config tells
        open_doc(client, config, content, "yaml")
        client.text_document_did_save(t.DidSaveTextDocumentParams(text_document=doc_id(config_uri)))
    else:
        client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[
            t.FileEvent(uri=config_uri, type=t.FileChangeType.Created)]))
    after = await diagnostics(client, uri, after=seen)
    assert [d.code for d in after].count("deprecated-term") == 1

    # 3. the file exists now: a second word is added to its list, nothing else changes
    await _ignore(client, uri, TEXT, "Guest cluster")
    applied = client.applied_edits[-1]
    edits, creates = _config_text_edits(client, applied, config_uri)
    assert not creates
    assert len(edits) == 1 and edits[0].range.start == edits[0].range.end  # an insertion
    content = apply_edits(content, edits, enc)
    assert content == 'ignoreWords:\n  - "harvester-mgmt"\n  - "Guest cluster"\n'
    seen_codes = await diagnostics(client, uri, version=1, after=seen + 1) if not pulls(
        profile) else await diagnostics(client, uri)
    assert "term-casing" not in [d.code for d in seen_codes]


async def test_ignore_edits_the_open_config(bare_client: GlossaryClient, tmp_path: Path) -> None:
    """An open, unsaved config: the edit applies to what the editor shows, at its version."""
    client = bare_client
    await start(client, "visual_studio_code", tmp_path)
    config = tmp_path / ".harvester-glossary.yaml"
    config.write_text("rules:\n  term-casing: warning\n", encoding="utf-8")
    shown = "# édité 😀\nrules:\n  term-casing: warning\nignoreWords: [vip-pools]\n"
    open_doc(client, config, shown, "yaml", version=7)
    uri = open_doc(client, tmp_path / "doc.md", TEXT)
    await _ignore(client, uri, TEXT, "harvester-mgmt")
    (applied,) = client.applied_edits
    assert applied.edit.document_changes is not None
    (doc_edit,) = applied.edit.document_changes
    assert isinstance(doc_edit, t.TextDocumentEdit)
    assert doc_edit.text_document.version == 7
    edits = [e for e in doc_edit.edits if isinstance(e, t.TextEdit)]
    assert apply_edits(shown, edits, "utf-16") == shown.replace(
        "[vip-pools]", '[vip-pools, "harvester-mgmt"]')
