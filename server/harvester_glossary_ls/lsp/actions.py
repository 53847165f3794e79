"""Code actions: a quick fix per finding, "fix all" as source.fixAll, and "ignore this word in
this workspace", which edits `.harvester-glossary.yaml` through workspace/applyEdit.

An `unlinked-term` finding's quick fix replaces the use with the use as a link ("Link 'guest
cluster' to its glossary entry"); like `check --fix`, fix-all leaves those links out
(`fixes.OPT_IN_FIXES`), and ignoring the word is not offered for them (it would silence every
rule on the word, not the link).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types as t
from pygls.uris import from_fs_path

from harvester_glossary_ls.engine.config import CONFIG_NAME
from harvester_glossary_ls.engine.config_edit import add_ignore_word
from harvester_glossary_ls.engine.files import UnreadableFile, read_text_file
from harvester_glossary_ls.engine.fixes import safe_edits
from harvester_glossary_ls.engine.models import Finding
from harvester_glossary_ls.engine.rule_codes import UNLINKED
from harvester_glossary_ls.engine.text import LineIndex, smallest_change
from harvester_glossary_ls.lsp.convert import finding_diagnostic
from harvester_glossary_ls.lsp.positions import PositionMap
from harvester_glossary_ls.lsp.state import DocumentState, uri_to_path

if TYPE_CHECKING:
    from harvester_glossary_ls.lsp.session import GlossaryServer

IGNORE_COMMAND = "harvesterGlossary.ignoreWord"
FIX_ALL_KIND = t.CodeActionKind.SourceFixAll + ".harvesterGlossary"


def _edit(uri: str, edits: list[t.TextEdit]) -> t.WorkspaceEdit:
    return t.WorkspaceEdit(changes={uri: edits})


def _quick_fixes(ls: GlossaryServer, state: DocumentState,
                 finding: Finding) -> list[t.CodeAction]:
    diagnostic = finding_diagnostic(state, finding, ls.client)
    replaced = state.positions.range(finding.start, finding.end)
    word = state.text[finding.start:finding.end]
    actions = []
    for replacement in finding.replacements:
        actions.append(t.CodeAction(
            title=(f"Link '{word}' to its glossary entry" if finding.code == UNLINKED
                   else f"Replace with '{replacement}'"),
            kind=t.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
            is_preferred=finding.safe_fix and len(finding.replacements) == 1,
            edit=_edit(state.uri, [t.TextEdit(range=replaced, new_text=replacement)]),
        ))
    if state.path is not None and state.project.root is not None and finding.code != UNLINKED:
        actions.append(t.CodeAction(
            title=f"Ignore '{word}' in this workspace",
            kind=t.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
            command=t.Command(title=f"Ignore '{word}'", command=IGNORE_COMMAND,
                              arguments=[state.uri, word]),
        ))
    return actions


def _fix_all(state: DocumentState) -> t.CodeAction | None:
    assert state.analysis is not None
    edits = safe_edits(state.analysis.findings, state.analysis.text, state.analysis.scan)
    if not edits:
        return None
    return t.CodeAction(
        title=f"Fix all glossary findings ({len(edits)})",
        kind=FIX_ALL_KIND,
        edit=_edit(state.uri, [t.TextEdit(range=state.positions.range(start, end),
                                          new_text=text) for start, end, text in edits]),
    )


def _config_edit(ls: GlossaryServer, uri: str, current: str, updated: str, exists: bool,
                 version: int | None) -> t.WorkspaceEdit:
    """The smallest edit from `current` to `updated`, in the client's position encoding, as a
    workspace edit the client says it can apply."""
    start, end, replacement = smallest_change(current, updated)
    positions = PositionMap(current, LineIndex.of(current), ls.encoding)
    text_edit = t.TextEdit(range=positions.range(start, end), new_text=replacement)
    if not exists and ls.client.create_files:
        return t.WorkspaceEdit(document_changes=[
            t.CreateFile(uri=uri, options=t.CreateFileOptions(ignore_if_exists=True)),
            t.TextDocumentEdit(text_document=t.OptionalVersionedTextDocumentIdentifier(
                uri=uri, version=None), edits=[text_edit])])
    if ls.client.document_changes:
        return t.WorkspaceEdit(document_changes=[t.TextDocumentEdit(
            text_document=t.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
            edits=[text_edit])])
    # `changes` to a file that does not exist yet: Neovim and Emacs open a new buffer for it
    return t.WorkspaceEdit(changes={uri: [text_edit]})


def _wanted_kinds(only: Sequence[str] | None) -> tuple[bool, bool]:
    """(quick fixes, fix all) for the kinds the client asked for (all when it names none)."""
    if not only:
        return True, True
    quick = any(str(kind).startswith(t.CodeActionKind.QuickFix) for kind in only)
    fix_all = any(str(kind).startswith(t.CodeActionKind.SourceFixAll) or str(kind) == "source"
                  for kind in only)
    return quick, fix_all


def _code_actions(ls: GlossaryServer, state: DocumentState,
                  params: t.CodeActionParams) -> list[t.CodeAction | t.Command]:
    assert state.analysis is not None
    wants_quick, wants_fix_all = _wanted_kinds(params.context.only)
    actions: list[t.CodeAction | t.Command] = []
    if wants_quick:
        start = state.positions.offset(params.range.start)
        end = state.positions.offset(params.range.end)
        for finding in state.analysis.findings_in(start, end):
            actions += _quick_fixes(ls, state, finding)
    if wants_fix_all:
        fix_all = _fix_all(state)
        if fix_all is not None:
            actions.append(fix_all)
    return actions


async def ignore_word(ls: GlossaryServer, uri: str, word: str) -> bool:
    """Add `word` to the workspace config's ignoreWords through the editor (applyEdit), and
    re-check everything at once (before the editor saves the file)."""
    state = ls.document(uri)
    project = state.project if state else ls.projects.for_path(uri_to_path(uri))
    if project.root is None:
        ls.show("Open a workspace folder to keep a list of ignored words.",
                t.MessageType.Warning)
        return False
    path = project.root / CONFIG_NAME
    config_uri = from_fs_path(str(path)) or path.as_uri()
    config_state = ls.document(config_uri)  # open in the editor: edit what it shows
    exists = config_state is not None or path.is_file()
    try:
        current = (config_state.text if config_state is not None else
                   read_text_file(path) if exists else "")
    except UnreadableFile as error:
        ls.show(f"Cannot read {path}: {error.reason}")
        return False
    updated = add_ignore_word(current, word)
    if updated == current:
        return True
    edit = _config_edit(ls, config_uri, current, updated, exists,
                        config_state.version if config_state else None)
    result = await ls.workspace_apply_edit_async(t.ApplyWorkspaceEditParams(
        edit=edit, label=f"Ignore '{word}' in this workspace"))
    if not result.applied:
        ls.show(f"The editor did not apply the edit to {path}: "
                f"{result.failure_reason or 'no reason given'}", t.MessageType.Warning)
        return False
    project.ignore_for_session(word)  # in effect now, before the editor saves the file
    ls.recheck_all()
    return True


def register(server: GlossaryServer) -> None:
    @server.feature(t.TEXT_DOCUMENT_CODE_ACTION, t.CodeActionOptions(
        code_action_kinds=[t.CodeActionKind.QuickFix, t.CodeActionKind.SourceFixAll,
                           FIX_ALL_KIND], resolve_provider=False))
    async def code_action(ls: GlossaryServer, params: t.CodeActionParams
                          ) -> list[t.CodeAction | t.Command] | None:
        await ls.until_ready()
        state = ls.document(params.text_document.uri)
        if state is None or state.analysis is None:
            return None
        return _code_actions(ls, state, params)

    # The command's parameters are not named `ls`: pygls reads their annotations at run time
    # (get_type_hints) and GlossaryServer is imported for type checking only.
    @server.command(IGNORE_COMMAND)
    async def ignore(uri: str, word: str) -> bool:
        return await ignore_word(server, uri, word)
