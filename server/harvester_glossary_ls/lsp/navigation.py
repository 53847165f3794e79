"""Go to definition, workspace symbols and find references for glossary terms."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as t
from pygls.uris import from_fs_path

from harvester_glossary_ls.engine.analysis import analyze, language_of
from harvester_glossary_ls.engine.files import UnreadableFile, read_document
from harvester_glossary_ls.engine.glossary_lint import is_glossary_document
from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.engine.symbols import rank_entries
from harvester_glossary_ls.engine.text import LineIndex
from harvester_glossary_ls.engine.walk import walk_documents
from harvester_glossary_ls.lsp.convert import entry_location
from harvester_glossary_ls.lsp.positions import PositionMap
from harvester_glossary_ls.lsp.state import DocumentState

if TYPE_CHECKING:
    from harvester_glossary_ls.lsp.session import GlossaryServer

MAX_SYMBOLS = 200
MAX_REFERENCE_FILES = 20_000


def _workspace_files(project: Project) -> list[Path]:
    """The documents references search: the same walk as `check` over the folder."""
    if project.root is None:
        return []
    return list(walk_documents(project.root, project.included, limit=MAX_REFERENCE_FILES))


def _symbols(ls: GlossaryServer, query: str) -> list[t.SymbolInformation]:
    entries = [entry for project in ls.projects.all()
               for entry in project.default_glossary().glossary.entries]
    symbols = []
    for entry in rank_entries(query, entries, MAX_SYMBOLS):
        location = entry_location(entry)
        if location is not None:
            symbols.append(t.SymbolInformation(
                name=entry.term, kind=t.SymbolKind.String, location=location,
                container_name=entry.glossary or "glossary"))
    return symbols


class _Progress:
    """Work-done progress of one references search: the client's token, or one we create
    where the client supports it; no-ops without either."""

    def __init__(self, ls: GlossaryServer, token: t.ProgressToken | None) -> None:
        self.ls = ls
        self.token = token

    async def create(self) -> None:
        if self.token is None and self.ls.client.work_done_progress:
            self.token = str(uuid.uuid4())
            await self.ls.work_done_progress.create_async(self.token)

    def begin(self, title: str, message: str) -> None:
        if self.token is not None:
            self.ls.work_done_progress.begin(self.token, t.WorkDoneProgressBegin(
                title=title, cancellable=True, percentage=0, message=message))

    def cancelled(self) -> bool:
        tokens = self.ls.work_done_progress.tokens
        return self.token is not None and self.token in tokens and tokens[self.token].cancelled()

    def report(self, percentage: int) -> None:
        if self.token is not None:
            self.ls.work_done_progress.report(self.token, t.WorkDoneProgressReport(
                percentage=percentage))

    def end(self, message: str) -> None:
        if self.token is not None:
            self.ls.work_done_progress.end(self.token, t.WorkDoneProgressEnd(message=message))


async def _references(ls: GlossaryServer, state: DocumentState,
                      params: t.ReferenceParams) -> list[t.Location] | None:
    assert state.analysis is not None
    occurrence = state.analysis.occurrence_at(state.positions.offset(params.position))
    if occurrence is None:
        return None
    term = occurrence.entry.term
    project = state.project
    progress = _Progress(ls, params.work_done_token)
    await progress.create()
    files = _workspace_files(project) or ([state.path] if state.path else [])
    progress.begin("Finding glossary references", f"'{term}' in {len(files)} files")
    locations: list[t.Location] = []
    declaration = entry_location(occurrence.entry)
    if params.context.include_declaration and declaration is not None:
        locations.append(declaration)
    cancelled = False
    try:
        for number, path in enumerate(files):
            if progress.cancelled():
                cancelled = True
                break
            locations += _references_in(ls, project, path, term)
            if number % 20 == 19:
                progress.report(int(100 * (number + 1) / len(files)))
                await asyncio.sleep(0)
    except asyncio.CancelledError:  # $/cancelRequest: pygls answers RequestCancelled
        cancelled = True
        raise
    finally:
        progress.end("cancelled" if cancelled else f"{len(locations)} references")
    return locations


def register(server: GlossaryServer) -> None:
    @server.feature(t.TEXT_DOCUMENT_DEFINITION)
    async def definition(ls: GlossaryServer, params: t.DefinitionParams) -> t.Location | None:
        await ls.until_ready()
        state = ls.document(params.text_document.uri)
        if state is None or state.analysis is None:
            return None
        occurrence = state.analysis.occurrence_at(state.positions.offset(params.position))
        return entry_location(occurrence.entry) if occurrence else None

    @server.feature(t.WORKSPACE_SYMBOL)
    async def symbols(ls: GlossaryServer,
                      params: t.WorkspaceSymbolParams) -> list[t.SymbolInformation]:
        await ls.until_ready()
        return _symbols(ls, params.query)

    @server.feature(t.TEXT_DOCUMENT_REFERENCES)
    async def references(ls: GlossaryServer,
                         params: t.ReferenceParams) -> list[t.Location] | None:
        await ls.until_ready()
        state = ls.document(params.text_document.uri)
        if state is None or state.analysis is None:
            return None
        return await _references(ls, state, params)


def _references_in(ls: GlossaryServer, project: Project, path: Path,
                   term: str) -> list[t.Location]:
    uri = from_fs_path(str(path))
    if uri is None:
        return []
    open_state = ls.document(uri)
    if open_state is not None:
        if open_state.kind == "glossary":
            return []
        analysis = open_state.analysis
        positions = open_state.positions
    else:
        language = language_of(path.name)
        if language is None:
            return []
        try:
            text = read_document(path)
        except UnreadableFile:
            return []
        if is_glossary_document(path.name, text):
            return []  # where terms are defined, not used: the declaration stands for it
        analysis = analyze(text, language, project.context_for(path))
        positions = PositionMap(text, analysis.scan.lines if analysis else LineIndex.of(text),
                                ls.encoding)
    if analysis is None:
        return []
    return [t.Location(uri=uri, range=positions.range(o.start, o.end))
            for o in analysis.occurrences if o.entry.term == term]
