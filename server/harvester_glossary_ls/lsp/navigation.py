"""Go to definition, workspace symbols and find references for glossary terms."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

from lsprotocol import types as t
from pygls.uris import from_fs_path
from rapidfuzz import fuzz

from harvester_glossary_ls.engine.analysis import analyze, language_of
from harvester_glossary_ls.engine.files import UnreadableFile, read_document
from harvester_glossary_ls.engine.glossary_lint import is_glossary_document
from harvester_glossary_ls.engine.models import Entry
from harvester_glossary_ls.engine.project import SKIP_DIRS, Project
from harvester_glossary_ls.engine.text import LineIndex
from harvester_glossary_ls.lsp.positions import PositionMap
from harvester_glossary_ls.lsp.server import GlossaryServer

MAX_SYMBOLS = 200
MAX_REFERENCE_FILES = 20_000


def entry_location(entry: Entry) -> t.Location | None:
    if entry.source is None:
        return None
    uri = from_fs_path(entry.source.path)
    if uri is None:
        return None
    start = t.Position(line=entry.source.line, character=0)
    end = t.Position(line=entry.source.line, character=0)
    return t.Location(uri=uri, range=t.Range(start=start, end=end))


def _workspace_files(project: Project) -> list[Path]:
    if project.root is None:
        return []
    files: list[Path] = []
    for folder, dirs, names in os.walk(project.root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            if language_of(name) is not None and project.included(path):
                files.append(path)
                if len(files) >= MAX_REFERENCE_FILES:
                    return files
    return files


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
        query = params.query.casefold().strip()
        seen: set[str] = set()
        found: list[tuple[float, t.SymbolInformation]] = []
        for project in ls.projects.all():
            for entry in project.default_glossary().glossary.entries:
                location = entry_location(entry)
                if location is None or entry.term in seen:
                    continue
                score = max((fuzz.partial_ratio(query, n.casefold()) for n in entry.names),
                            default=0.0) if query else 100.0
                if score < 70:
                    continue
                seen.add(entry.term)
                found.append((score, t.SymbolInformation(
                    name=entry.term, kind=t.SymbolKind.String, location=location,
                    container_name="Harvester glossary")))
        found.sort(key=lambda pair: (-pair[0], pair[1].name.casefold()))
        return [symbol for _, symbol in found[:MAX_SYMBOLS]]

    @server.feature(t.TEXT_DOCUMENT_REFERENCES)
    async def references(ls: GlossaryServer,
                         params: t.ReferenceParams) -> list[t.Location] | None:
        await ls.until_ready()
        state = ls.document(params.text_document.uri)
        if state is None or state.analysis is None:
            return None
        occurrence = state.analysis.occurrence_at(state.positions.offset(params.position))
        if occurrence is None:
            return None
        term = occurrence.entry.term
        project = state.project
        token: t.ProgressToken | None = params.work_done_token
        if token is None and ls.supports("window", "work_done_progress"):
            token = str(uuid.uuid4())
            await ls.work_done_progress.create_async(token)
        files = _workspace_files(project) or ([state.path] if state.path else [])
        if token is not None:
            ls.work_done_progress.begin(token, t.WorkDoneProgressBegin(
                title="Finding glossary references", cancellable=True, percentage=0,
                message=f"'{term}' in {len(files)} files"))
        locations: list[t.Location] = []
        declaration = entry_location(occurrence.entry)
        if params.context.include_declaration and declaration is not None:
            locations.append(declaration)
        cancelled = False
        try:
            for number, path in enumerate(files):
                if token is not None and token in ls.work_done_progress.tokens and \
                        ls.work_done_progress.tokens[token].cancelled():
                    cancelled = True
                    break
                locations += _references_in(ls, project, path, term)
                if number % 20 == 19:
                    if token is not None:
                        ls.work_done_progress.report(token, t.WorkDoneProgressReport(
                            percentage=int(100 * (number + 1) / len(files))))
                    await asyncio.sleep(0)
        except asyncio.CancelledError:  # $/cancelRequest: pygls answers RequestCancelled
            cancelled = True
            raise
        finally:
            if token is not None:
                ls.work_done_progress.end(token, t.WorkDoneProgressEnd(
                    message="cancelled" if cancelled else f"{len(locations)} references"))
        return locations


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
