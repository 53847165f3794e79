"""Go to definition, workspace symbols and find references for glossary terms.

References come from the workspace index (`lsp.indexer`), never from reading files; the index's
part of an answer is sent as JSON text made once per term and index state
(`lsp.reference_answers`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as t

from harvester_glossary_ls.engine.project import resolve
from harvester_glossary_ls.engine.symbols import rank_entries
from harvester_glossary_ls.lsp.convert import entry_location
from harvester_glossary_ls.lsp.pygls_fixes.prepared import PreparedResult
from harvester_glossary_ls.lsp.reference_answers import ReferenceAnswers
from harvester_glossary_ls.lsp.state import DocumentState

if TYPE_CHECKING:
    from harvester_glossary_ls.lsp.session import GlossaryServer

MAX_SYMBOLS = 200


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


async def _references(ls: GlossaryServer, answers: ReferenceAnswers, state: DocumentState,
                      params: t.ReferenceParams) -> PreparedResult | list[t.Location] | None:
    """From the workspace index: no file is read. While the index is being built this waits
    for it (a build the user cancelled is finished under this request's progress, and
    $/cancelRequest stops it); a document outside every workspace folder answers for itself."""
    assert state.analysis is not None
    occurrence = state.analysis.occurrence_at(state.positions.offset(params.position))
    if occurrence is None:
        return None
    term = occurrence.entry.term
    locations: list[t.Location] = []
    declaration = entry_location(occurrence.entry)
    if params.context.include_declaration and declaration is not None:
        locations.append(declaration)
    if state.path is None or ls.index.folder_for(resolve(state.path)) is None:
        return locations + [t.Location(uri=state.uri, range=state.positions.range(o.start, o.end))
                            for o in state.analysis.occurrences if o.entry.term == term]
    await ls.index.ensure_complete(params.work_done_token)
    ls.index.sync_open()
    return answers.answer(ls.index, state.path, term, locations)


def register(server: GlossaryServer) -> None:
    answers = ReferenceAnswers()

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
                         params: t.ReferenceParams) -> PreparedResult | list[t.Location] | None:
        await ls.until_ready()
        state = ls.document(params.text_document.uri)
        if state is None or state.analysis is None:
            return None
        return await _references(ls, answers, state, params)
