"""Rename a glossary term (textDocument/prepareRename and textDocument/rename).

From a prose use of a term or its name in an open glossary file, one workspace edit: the entry
in its glossary file, every prose use of that name in the workspace folder (the files come from
the workspace index; each is read, or taken from the editor when open, to respell each use in
its case pattern), and the old name recorded as a deprecated form in the project's first YAML
glossary (created as `glossary-renames.yaml` and added to the config's `glossaries` when there
is none). Where the client supports change annotations, the edits come in three labelled groups
(the entry, the prose uses, the deprecation record) that a preview shows (VS Code: Ctrl+Enter in
the rename box). None is marked `needsConfirmation`: VS Code leaves such edits unchecked in its
Refactor Preview, so a plain Enter would rename the uses but not the glossary entry (seen in
tests/editors/test_vscode_rename.py). What to rename and how each use is written:
`engine.rename`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as t
from pygls.exceptions import JsonRpcException
from pygls.uris import from_fs_path

from harvester_glossary_ls.engine.analysis import Analysis, analyze
from harvester_glossary_ls.engine.config import CONFIG_NAME
from harvester_glossary_ls.engine.config_edit import add_glossary
from harvester_glossary_ls.engine.files import UnreadableFile, read_document
from harvester_glossary_ls.engine.models import Entry
from harvester_glossary_ls.engine.project import Project, resolve
from harvester_glossary_ls.engine.rename import (
    RENAMES_FILE,
    Edit,
    RenameError,
    before_last_break,
    check_new_name,
    deprecation_edit,
    entry_edit,
    name_at,
    renamed_name,
    renames_file,
    use_edits,
)
from harvester_glossary_ls.engine.text import smallest_change
from harvester_glossary_ls.engine.walk import language_of
from harvester_glossary_ls.lsp.positions import PositionMap, lsp_line_starts
from harvester_glossary_ls.lsp.state import DocumentState

if TYPE_CHECKING:
    from harvester_glossary_ls.lsp.session import GlossaryServer

ENTRY = "glossary-entry"
DEPRECATION = "deprecated-form"
USES = "prose-uses"
REQUEST_FAILED = -32803
MAX_REBUILDS = 5


class RenameRefused(JsonRpcException):
    """An error the editor shows the user (LSP RequestFailed)."""

    CODE = REQUEST_FAILED


@dataclass(frozen=True)
class Target:
    entry: Entry
    old: str
    start: int
    end: int


@dataclass
class FileEdits:
    """The edits of one file, against the text they were computed on."""

    text: str
    positions: PositionMap
    version: int | None
    exists: bool = True
    edits: list[tuple[Edit, str]] = field(default_factory=list)


def _uri(path: Path) -> str:
    return from_fs_path(str(path)) or path.as_uri()


def _target(ls: GlossaryServer, state: DocumentState, position: t.Position) -> Target | None:
    """The term under the cursor: a prose use, or a name in an open glossary file's entry."""
    offset = state.positions.offset(position)
    if state.analysis is not None:
        occurrence = state.analysis.occurrence_at(offset)
        if occurrence is None:
            return None
        old = renamed_name(occurrence)
        if old is None:
            raise RenameRefused(f"'{occurrence.text}' is not a glossary name in prose (a "
                                "deprecated form or a YAML kind): rename the term itself.")
        return Target(occurrence.entry, old, occurrence.start, occurrence.end)
    if state.kind != "glossary" or state.path is None:
        return None
    for entry in ls.index.entries_defined_in(state.path):
        if entry.source is None:
            continue
        for name in entry.names:
            where = name_at(state.text, entry.source.line, name)
            if where is not None and where[0] <= offset <= where[1]:
                return Target(entry, name, *where)
    return None


def _file(ls: GlossaryServer, path: Path, files: dict[str, FileEdits]) -> FileEdits:
    """The text an edit of `path` is computed on: the editor's when open, else the disk's."""
    uri = _uri(resolve(path))
    known = files.get(uri)
    if known is not None:
        return known
    state = ls.document(uri)
    if state is not None:
        known = FileEdits(state.text, state.positions, state.version)
    else:
        try:
            text = read_document(path)
        except UnreadableFile as error:
            raise RenameRefused(f"Cannot read {path}: {error}") from error
        known = FileEdits(text, PositionMap.of_lsp_lines(text, lsp_line_starts(text),
                                                         ls.encoding), None)
    files[uri] = known
    return known


def _analysis(ls: GlossaryServer, project: Project, path: Path,
              files: dict[str, FileEdits]) -> Analysis | None:
    state = ls.document(_uri(path))
    if state is not None:
        if state.analysis is not None:
            _file(ls, path, files)
        return state.analysis
    language = language_of(path.name)
    if language is None:
        return None
    try:
        edits = _file(ls, path, files)
    except RenameRefused:
        return None  # gone or unreadable since it was indexed: nothing to rename there
    return analyze(edits.text, language, project.context_for(path))


async def _use_files(ls: GlossaryServer, state: DocumentState, entry: Entry,
                     token: t.ProgressToken | None) -> list[Path]:
    """The documents that use `entry`'s term, from the workspace index."""
    if state.path is None:
        return []
    path = resolve(state.path)
    if ls.index.folder_for(path) is None:
        return [state.path] if state.analysis is not None else []
    for _ in range(MAX_REBUILDS):  # a settings change while waiting starts the index again
        await ls.index.ensure_complete(token)
        if ls.index.complete:
            break
    ls.index.sync_open()
    folder = ls.index.folder_for(path)  # after the wait: a rebuild replaces the folders
    return sorted(folder.by_term.get(entry.term, ())) if folder is not None else []


def _yaml_glossary(project: Project) -> Path | None:
    for source in project.glossary_sources():
        if source.path.suffix.lower() in (".yaml", ".yml") and source.path.is_file():
            return source.path
    return None


def _record_deprecation(ls: GlossaryServer, project: Project, old: str, new: str,
                        files: dict[str, FileEdits]) -> None:
    """Add the edits that record `old` as deprecated (and create the file where needed)."""
    since = project.config.glossary_version
    target = _yaml_glossary(project)
    if target is not None:
        edits = _file(ls, target, files)
        edit = deprecation_edit(edits.text, old, new, since)
        if edit is None:
            raise RenameRefused(f"{target.name}: 'entries' is not a block list, so the old "
                                f"name cannot be recorded there; rename not done.")
        edits.edits.append((edit, DEPRECATION))
        return
    assert project.root is not None
    created = project.root / RENAMES_FILE
    if created.exists():
        raise RenameRefused(f"{RENAMES_FILE} exists but is not among the configured "
                            f"glossaries: add it to 'glossaries' in {CONFIG_NAME}.")
    # without a final line break: a new buffer has one empty last line already, which Neovim
    # would save as an empty line after the text
    files[_uri(created)] = FileEdits("", PositionMap.of_lsp_lines("", [0], ls.encoding), None,
                                     exists=False, edits=[(Edit(0, 0, renames_file(
                                         old, new, since).rstrip("\n")), DEPRECATION)])
    config = project.root / CONFIG_NAME
    if config.is_file() or ls.document(_uri(config)) is not None:
        config_edits = _file(ls, config, files)
    else:
        config_edits = files[_uri(config)] = FileEdits(
            "", PositionMap.of_lsp_lines("", [0], ls.encoding), None, exists=False)
    updated = add_glossary(config_edits.text, RENAMES_FILE)
    if updated is None:
        raise RenameRefused(f"{CONFIG_NAME}: 'glossaries' is written in a way that cannot be "
                            f"extended as text; add {RENAMES_FILE} to it by hand.")
    config_edits.edits.append((before_last_break(config_edits.text,
                                                 _diff(config_edits.text, updated)),
                               DEPRECATION))


def _diff(current: str, updated: str) -> Edit:
    return Edit(*smallest_change(current, updated))


async def _rename(ls: GlossaryServer, state: DocumentState,
                  params: t.RenameParams) -> t.WorkspaceEdit | None:
    target = _target(ls, state, params.position)
    if target is None:
        return None
    entry, old = target.entry, target.old
    project = state.project
    try:
        new = check_new_name(old, params.new_name,
                             project.context_for(state.path).compiled.glossary.entries, entry)
    except RenameError as error:
        raise RenameRefused(str(error)) from error
    if entry.source is None or project.root is None:
        raise RenameRefused(f"'{old}' has no glossary file in a workspace folder to rename.")
    source = Path(os.path.realpath(entry.source.path))
    if project.root.resolve() not in source.parents:
        raise RenameRefused(f"'{old}' is defined in {source}, outside the workspace folder: "
                            "rename it in a glossary of your own.")
    files: dict[str, FileEdits] = {}
    glossary = _file(ls, source, files)
    edit = entry_edit(glossary.text, entry.source.line, old, new)
    if edit is None:
        raise RenameRefused(f"'{old}' was not found in {source.name} (changed on disk?).")
    glossary.edits.append((edit, ENTRY))
    if language_of(source.name) == "markdown":  # uses in other entries' definitions
        own = analyze(glossary.text, "markdown", project.context_for(source))
        glossary.edits += [(e, USES) for e in use_edits(own, entry, old, new)
                           if e.end <= edit.start or e.start >= edit.end]
    for path in await _use_files(ls, state, entry, params.work_done_token):
        if resolve(path) == resolve(source):
            continue
        analysis = _analysis(ls, project, path, files)
        if analysis is not None:
            _file(ls, path, files).edits += [(e, USES) for e in use_edits(analysis, entry, old,
                                                                          new)]
    if old.casefold() != new.casefold():
        _record_deprecation(ls, project, old, new, files)
    return _workspace_edit(ls, old, new, files)


def _workspace_edit(ls: GlossaryServer, old: str, new: str,
                    files: dict[str, FileEdits]) -> t.WorkspaceEdit:
    annotate = ls.client.change_annotations
    changes: dict[str, list[t.TextEdit]] = {}
    document_changes: list[t.TextDocumentEdit | t.CreateFile] = []
    for uri, item in files.items():
        if not item.edits:
            continue
        text_edits: list[t.TextEdit | t.AnnotatedTextEdit] = []
        for edit, annotation in sorted(item.edits, key=lambda pair: pair[0].start):
            where = item.positions.range(edit.start, edit.end)
            text_edits.append(t.AnnotatedTextEdit(range=where, new_text=edit.text,
                                                  annotation_id=annotation) if annotate
                              else t.TextEdit(range=where, new_text=edit.text))
        if not item.exists and ls.client.create_files:
            document_changes.append(t.CreateFile(
                uri=uri, options=t.CreateFileOptions(ignore_if_exists=True),
                annotation_id=DEPRECATION if annotate else None))
        document_changes.append(t.TextDocumentEdit(
            text_document=t.OptionalVersionedTextDocumentIdentifier(uri=uri,
                                                                    version=item.version),
            edits=text_edits))
        changes[uri] = [t.TextEdit(range=e.range, new_text=e.new_text) for e in text_edits]
    if not ls.client.document_changes:
        # `changes` to a file that does not exist yet: Neovim and Emacs open a new buffer
        return t.WorkspaceEdit(changes=changes)
    annotations = {  # no needsConfirmation: VS Code would leave those edits unchecked
        ENTRY: t.ChangeAnnotation(label=f"Rename the glossary entry '{old}' to '{new}'",
                                  needs_confirmation=False),
        DEPRECATION: t.ChangeAnnotation(
            label=f"Record '{old}' as a deprecated form of '{new}'", needs_confirmation=False,
            description="so the old name is flagged from now on"),
        USES: t.ChangeAnnotation(label=f"Rename uses of '{old}' in prose",
                                 needs_confirmation=False),
    } if annotate else None
    return t.WorkspaceEdit(document_changes=document_changes, change_annotations=annotations)


def register(server: GlossaryServer) -> None:
    @server.feature(t.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare_rename(ls: GlossaryServer, params: t.PrepareRenameParams
                             ) -> t.PrepareRenamePlaceholder | None:
        await ls.until_ready()
        state = ls.document(params.text_document.uri)
        if state is None:
            return None
        target = _target(ls, state, params.position)
        if target is None:
            return None
        return t.PrepareRenamePlaceholder(range=state.positions.range(target.start, target.end),
                                          placeholder=target.old)

    @server.feature(t.TEXT_DOCUMENT_RENAME,
                    t.RenameOptions(prepare_provider=True))
    async def rename(ls: GlossaryServer, params: t.RenameParams) -> t.WorkspaceEdit | None:
        await ls.until_ready()
        state = ls.document(params.text_document.uri)
        if state is None:
            return None
        return await _rename(ls, state, params)
