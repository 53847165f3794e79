"""The workspace index in the session: built in the background, kept current, and served.

One `engine.workspace_index.FolderIndex` per workspace folder. After `initialized` (and after
every configuration or glossary change: `GlossaryServer.recheck_all`) the index is rebuilt by
one background task, in steps of a few milliseconds that each yield to the event loop, so a
hover or completion waits for at most one step. The build reports work-done progress where the
client supports it and stops when the user cancels it (window/workDoneProgress/cancel); the
files indexed so far stay. A request that needs the whole index (`ensure_complete`) waits for
the running build, or, when the user had cancelled it, builds the rest itself under its own
progress, so $/cancelRequest of that request stops the build too.

Kept current:
- open documents from the analysis the server already makes per version (`changed` marks
  them; `sync_open` reads the cached analysis only when a query needs the index);
- closed files from `workspace/didChangeWatchedFiles` (the server registers a watcher for
  documents where the client can), queued and indexed in the background; where the client
  cannot watch, every save re-walks the folders and re-reads the files whose (mtime, size)
  changed;
- a closed document is read again from disk.

Spans are made with the open document's own `PositionMap` or one per file read from disk, in the
negotiated encoding, so answers need no conversion and no file.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as t
from pygls.uris import from_fs_path

from harvester_glossary_ls.engine.analysis import Analysis
from harvester_glossary_ls.engine.compiled import CompiledGlossary
from harvester_glossary_ls.engine.models import Entry
from harvester_glossary_ls.engine.project import Project, resolve
from harvester_glossary_ls.engine.workspace_index import (
    FileRecord,
    FolderIndex,
    Span,
    Spans,
    Usage,
)
from harvester_glossary_ls.lsp.convert import (
    MAX_DIAGNOSTICS,
    ranged_diagnostic,
    span_range,
    too_many_diagnostic,
)
from harvester_glossary_ls.lsp.positions import PositionMap
from harvester_glossary_ls.lsp.state import uri_to_path

if TYPE_CHECKING:
    from harvester_glossary_ls.lsp.session import GlossaryServer

logger = logging.getLogger(__name__)

STEP_SECONDS = 0.003
"""Work between two yields to the event loop: what a hover may wait at most (plus one file)."""
PAUSE_SECONDS = 0.0005
"""The pause after each step: long enough for the loop to poll stdin, so a request that
arrived during a step runs before the next one (a zero sleep would queue it behind it)."""
REPORT_SECONDS = 0.25
CREATE_TIMEOUT = 5.0


class Progress:
    """Work-done progress of one piece of work: the client's token, or one we create where the
    client supports it; no-ops without either."""

    def __init__(self, ls: GlossaryServer, token: t.ProgressToken | None) -> None:
        self.ls = ls
        self.token = token
        self.created = False

    async def create(self) -> None:
        if self.token is None and self.ls.client.work_done_progress:
            token = str(uuid.uuid4())
            try:
                await asyncio.wait_for(self.ls.work_done_progress.create_async(token),
                                       CREATE_TIMEOUT)
            except Exception as error:  # a client that fails or never answers: no progress
                logger.warning("window/workDoneProgress/create: %r", error)
                return
            self.token = token
            self.created = True

    def begin(self, title: str, message: str) -> None:
        if self.token is not None:
            self.ls.work_done_progress.begin(self.token, t.WorkDoneProgressBegin(
                title=title, cancellable=True, percentage=0, message=message))

    def cancelled(self) -> bool:
        tokens = self.ls.work_done_progress.tokens
        return self.token is not None and self.token in tokens and tokens[self.token].cancelled()

    def report(self, message: str, percentage: int | None = None) -> None:
        if self.token is not None:
            self.ls.work_done_progress.report(self.token, t.WorkDoneProgressReport(
                message=message, percentage=percentage))

    def end(self, message: str) -> None:
        if self.token is not None:
            self.ls.work_done_progress.end(self.token, t.WorkDoneProgressEnd(message=message))
            self.ls.work_done_progress.tokens.pop(self.token, None)


def file_uri(path: Path) -> str:
    """The URI the index names a file by (references and diagnostics use the same)."""
    return from_fs_path(str(path)) or path.as_uri()


class WorkspaceIndex:
    """The session's index: one `FolderIndex` per workspace folder and the build task."""

    def __init__(self, ls: GlossaryServer) -> None:
        self.ls = ls
        self.folders: dict[Path, FolderIndex] = {}
        self.generation = 0
        self.task: asyncio.Task[None] | None = None
        self.cancelled = False
        """The user cancelled the last build: it is not restarted until someone needs it."""
        self.dirty: set[str] = set()
        """Open documents changed since the index last read them."""
        self.queue: dict[Path, None] = {}
        """Files on disk to re-index (watched-file changes), in arrival order."""
        self.pushed: set[str] = set()
        """Closed files whose findings were pushed (workspaceDiagnostics: true)."""
        self.lens_asked = False
        self._sources: dict[int, tuple[CompiledGlossary, dict[str, list[Entry]]]] = {}
        self.last_total = 0

    # --- building ------------------------------------------------------------------------------

    def _locate(self, analysis: Analysis) -> Spans:
        positions = PositionMap(analysis.text, analysis.scan.lines, self.ls.encoding)

        def spans(start: int, end: int) -> Span:
            where = positions.range(start, end)
            return (where.start.line, where.start.character, where.end.line,
                    where.end.character)

        return spans

    @property
    def complete(self) -> bool:
        return not self.queue and all(f.complete for f in self.folders.values())

    def rebuild(self) -> None:
        """Configuration, glossaries or folders changed: index everything again."""
        if self.task is not None and not self.task.done():
            self.task.cancel()  # it stops at its next await: a new build must not wait for it
        self.task = None
        self.generation += 1
        self.folders = {root: FolderIndex(project, self._locate)
                        for root, project in self.ls.projects.folders.items()}
        for folder in self.folders.values():
            folder.plan()
        if self.pushed and not any(self._pushes(f) for f in self.folders.values()):
            self.withdraw_pushed()
        self.queue.clear()
        self.dirty = set(self.ls.workspace.text_documents)
        self.cancelled = False
        self._start()

    def refresh(self) -> None:
        """Walk every folder again, re-reading only files whose (mtime, size) changed: what a
        save does where the client cannot watch files."""
        for folder in self.folders.values():
            if folder.complete:
                folder.plan()
        if not self.cancelled:
            self._start()

    def _start(self, token: t.ProgressToken | None = None) -> asyncio.Task[None]:
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._run(token))
        return self.task

    async def ensure_complete(self, token: t.ProgressToken | None = None, *,
                              restart: bool = True) -> None:
        """Wait until every folder is indexed. A build the user cancelled is finished here
        (unless `restart` is False), under this request's progress and cancellation."""
        while not self.complete:
            owner = self.task is None or self.task.done()
            if owner and not restart:
                return
            task = self._start(token)
            try:
                await asyncio.wait([task])
            except asyncio.CancelledError:  # $/cancelRequest: stop the build it started
                if owner:
                    task.cancel()
                raise
            if self.task is task:  # it ended (done, or cancelled by the user): that is all
                return
            # else a rebuild replaced it while we waited (settings changed): wait for the new one

    async def _run(self, token: t.ProgressToken | None) -> None:
        progress = Progress(self.ls, token)
        cancelled = False
        try:
            await progress.create()
            progress.begin("Indexing glossary terms",
                           f"{len(self.folders)} workspace folder(s)")
            reported = time.perf_counter()
            while True:
                if not self._step():
                    break
                if progress.cancelled():
                    cancelled = True
                    break
                if time.perf_counter() - reported > REPORT_SECONDS:
                    reported = time.perf_counter()
                    walked = self.files_walked()
                    total = self.last_total or None
                    progress.report(f"{walked} files",
                                    min(99, 100 * walked // total) if total else None)
                await asyncio.sleep(PAUSE_SECONDS)
        except asyncio.CancelledError:
            cancelled = True
            raise
        finally:
            if self.task is asyncio.current_task():  # not a build a rebuild replaced
                self.cancelled = cancelled
            progress.end("cancelled" if cancelled else f"{self.files_indexed()} files indexed")
        self.last_total = self.files_walked()
        self._completed()

    def _step(self) -> bool:
        """One slice of work (a folder's walk, or queued files); whether more is left."""
        open_paths = self._open_paths()
        for folder in self.folders.values():
            if not folder.complete:
                folder.step(STEP_SECONDS, skip=open_paths.__contains__)
                self._publish(folder)
                return True
        deadline = time.perf_counter() + STEP_SECONDS
        while self.queue:
            path = next(iter(self.queue))
            del self.queue[path]
            target = self.folder_for(path)
            if target is not None and path not in open_paths:
                if target.included(path):
                    target.index_file(path)
                else:
                    target.remove(path)
                self._publish(target)
            if time.perf_counter() >= deadline:
                break
        return bool(self.queue) or not self.complete

    def _completed(self) -> None:
        if self.lens_asked and self.ls.client.code_lens_refresh:
            self.ls.workspace_code_lens_refresh(None)

    def files_indexed(self) -> int:
        return sum(len(f.files) for f in self.folders.values())

    def files_walked(self) -> int:
        return sum(f.walked for f in self.folders.values())

    # --- keeping current -----------------------------------------------------------------------

    def _open_paths(self) -> set[Path]:
        found = set()
        for uri in self.ls.workspace.text_documents:
            path = uri_to_path(uri)
            if path is not None:
                found.add(path)
        return found

    def folder_for(self, path: Path | None) -> FolderIndex | None:
        if path is None:
            return None
        project: Project = self.ls.projects.for_path(path)
        return self.folders.get(project.root) if project.root is not None else None

    def changed(self, uri: str) -> None:
        """An open document changed (or opened): the index reads it when next needed."""
        self.dirty.add(uri)

    def sync_open(self) -> None:
        """Bring the changed open documents into the index, from their cached analyses."""
        for uri in list(self.dirty):
            self.dirty.discard(uri)
            state = self.ls.document(uri)
            if state is None or state.path is None:
                continue
            path = resolve(state.path)
            folder = self.folder_for(path)
            if folder is None:
                continue
            if state.kind != "document" or not folder.included(path):
                folder.remove(path)
                continue
            positions = state.positions

            def spans(start: int, end: int, positions: PositionMap = positions) -> Span:
                where = positions.range(start, end)
                return (where.start.line, where.start.character, where.end.line,
                        where.end.character)

            folder.record(path, state.analysis, spans=spans)
            folder.changed.discard(path)  # an open document's diagnostics are its own

    def closed(self, uri: str, *, publish: bool = True) -> bool:
        """A document was closed: index it from disk again (its unsaved text is gone). True
        when its findings were pushed as a closed file's (workspaceDiagnostics: true), which
        replace what was pushed while it was open."""
        self.dirty.discard(uri)
        path = uri_to_path(uri)
        if path is None:
            return False
        path = resolve(path)
        folder = self.folder_for(path)
        if folder is None:
            return False
        folder.invalidate(path)
        if folder.included(path):
            folder.index_file(path)
        else:
            folder.remove(path)
        folder.changed.add(path)
        pushes = publish and self._pushes(folder)
        if pushes:
            self.pushed.add(uri)  # so that no findings on disk still clears the open ones
            self._publish(folder)
        else:
            self.pushed.discard(uri)
        return pushes

    def files_changed(self, changes: Iterable[t.FileEvent]) -> None:
        """workspace/didChangeWatchedFiles for documents: queue them for the background."""
        for change in changes:
            path = uri_to_path(change.uri)
            if path is None:
                continue
            path = resolve(path)
            folder = self.folder_for(path)
            if folder is None:
                continue
            if change.type == t.FileChangeType.Deleted:
                folder.remove(path)
                self._publish(folder)
            else:
                self.queue[path] = None
        if self.queue and self.folders and not self.cancelled:
            self._start()

    # --- queries -------------------------------------------------------------------------------

    def usage(self, term: str) -> Usage:
        """Uses of `term` over every folder."""
        uses = pages = deprecated = 0
        for folder in self.folders.values():
            found = folder.usage(term)
            uses, pages = uses + found.uses, pages + found.pages
            deprecated += found.deprecated
        return Usage(uses, pages, deprecated)

    def entries_defined_in(self, path: Path) -> list[Entry]:
        """The glossary entries whose definition is in the file at `path`."""
        target = os.path.realpath(path)
        project = self.ls.projects.for_path(path)
        seen: set[str] = set()
        found = []
        for compiled in (project.context_for(path).compiled, project.default_glossary()):
            for entry in self._entries_by_file(compiled).get(target, ()):
                if entry.term not in seen:
                    seen.add(entry.term)
                    found.append(entry)
        return found

    def _entries_by_file(self, compiled: CompiledGlossary) -> dict[str, list[Entry]]:
        """A compiled glossary's entries by the real path of their file, made once."""
        known = self._sources.get(id(compiled))
        if known is not None and known[0] is compiled:
            return known[1]
        by_file: dict[str, list[Entry]] = {}
        for entry in compiled.glossary.entries:
            if entry.source is not None:
                by_file.setdefault(os.path.realpath(entry.source.path), []).append(entry)
        if len(self._sources) > 64:
            self._sources.clear()
        self._sources[id(compiled)] = (compiled, by_file)
        return by_file

    # --- workspace diagnostics -----------------------------------------------------------------

    def _diagnostics(self, record: FileRecord) -> list[t.Diagnostic]:
        client = self.ls.client
        shown = [ranged_diagnostic(span_range(item.span), item.finding, client)
                 for item in record.findings[:MAX_DIAGNOSTICS]]
        if record.more_findings:
            last = span_range(record.findings[-1].span)
            shown.append(too_many_diagnostic(t.Range(start=last.start, end=last.start),
                                             record.more_findings))
        return shown

    def _pushes(self, folder: FolderIndex) -> bool:
        return (not self.ls.client.pulls_diagnostics
                and folder.project.config.workspace_diagnostics is True)

    def _publish(self, folder: FolderIndex) -> None:
        """Push the findings of closed files that changed, where the setting asks for it."""
        changed, folder.changed = folder.changed, set()
        if not self._pushes(folder):
            return
        open_uris = self.ls.workspace.text_documents
        for path in changed:
            uri = file_uri(path)
            if uri in open_uris:
                continue
            record = folder.files.get(path)
            items = self._diagnostics(record) if record is not None else []
            if items or uri in self.pushed:
                self.ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(
                    uri=uri, diagnostics=items))
            if items:
                self.pushed.add(uri)
            else:
                self.pushed.discard(uri)

    def withdraw_pushed(self) -> None:
        """Before a rebuild: clear what was pushed for closed files (the rebuild pushes again
        where the setting still asks for it)."""
        open_uris = self.ls.workspace.text_documents
        for uri in sorted(self.pushed):
            if uri not in open_uris:
                self.ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(
                    uri=uri, diagnostics=[]))
        self.pushed.clear()

    def workspace_report(self, previous: list[t.PreviousResultId]) -> t.WorkspaceDiagnosticReport:
        """workspace/diagnostic: closed files with findings, or whose earlier report the client
        holds; a file whose result id the client already has costs one `unchanged` item."""
        known = {item.uri: item.value for item in previous}
        open_uris = self.ls.workspace.text_documents
        items: list[t.WorkspaceDocumentDiagnosticReport] = []
        for folder in self.folders.values():
            if folder.project.config.workspace_diagnostics is False:
                continue
            for path, record in folder.files.items():
                uri = file_uri(path)
                if uri in open_uris:
                    known.pop(uri, None)
                    continue
                result_id = f"{self.generation}:{record.serial}"
                held = known.pop(uri, None)
                if held == result_id:
                    items.append(t.WorkspaceUnchangedDocumentDiagnosticReport(
                        uri=uri, version=None, result_id=result_id))
                elif record.findings or held is not None:
                    items.append(t.WorkspaceFullDocumentDiagnosticReport(
                        uri=uri, version=None, items=self._diagnostics(record),
                        result_id=result_id))
        for uri in known:  # gone, or no longer reported: clear what the client holds
            if uri not in open_uris:
                items.append(t.WorkspaceFullDocumentDiagnosticReport(
                    uri=uri, version=None, items=[], result_id=f"{self.generation}:-"))
        return t.WorkspaceDiagnosticReport(items=items)
