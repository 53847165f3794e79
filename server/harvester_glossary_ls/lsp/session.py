"""The language server object: the session's state and the operations every feature shares.

Features (hover, completion, diagnostics, documents, actions, navigation, configuration,
codelens) each
register their handlers on a `GlossaryServer` and import this module only for its type; they
never import each other. What more than one of them needs lives here: the document lookup,
what the client can do (`client`, resolved once at `initialize`), and the server-wide
operations: re-check every open document, push one document's diagnostics, publish the
problems of config and glossary files, and the workspace index (`index`).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path

from harvester_glossary_ls import __version__
from harvester_glossary_ls.engine.models import Problem
from harvester_glossary_ls.lsp.capabilities import ClientFeatures
from harvester_glossary_ls.lsp.convert import diagnostics_for, problem_diagnostic
from harvester_glossary_ls.lsp.indexer import WorkspaceIndex
from harvester_glossary_ls.lsp.pygls_fixes import GlossaryProtocol
from harvester_glossary_ls.lsp.pygls_fixes.document import LspTextDocument
from harvester_glossary_ls.lsp.state import DocumentCache, DocumentState, Projects

if TYPE_CHECKING:
    from pygls.server import ServerErrors

logger = logging.getLogger("harvester_glossary_ls")


@dataclass
class DiagnosticsState:
    """What the server has pushed or is about to push."""

    debounce_seconds: float = 0.15
    pending: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    """Debounced pushes by URI; each only sleeps until it publishes."""
    file_problems: dict[str, list[t.Diagnostic]] = field(default_factory=dict)
    """Diagnostics pushed for config and glossary files that are not open, by URI."""


class GlossaryServer(LanguageServer):
    """pygls server holding the workspace projects, the analysis cache and the session."""

    def __init__(self) -> None:
        super().__init__("harvester-glossary-ls", __version__,
                         text_document_sync_kind=t.TextDocumentSyncKind.Incremental,
                         protocol_cls=GlossaryProtocol)
        self.projects = Projects()
        self.documents = DocumentCache(self.projects)
        self.ready = asyncio.Event()
        """Set once `initialized` has read the configuration (requests can overtake it)."""
        self.client = ClientFeatures()
        self.diagnostics = DiagnosticsState()
        self.index = WorkspaceIndex(self)
        """Every term use and finding of the workspace folders (`lsp.indexer`)."""

    # --- the session ---------------------------------------------------------------------------

    def begin(self, capabilities: t.ClientCapabilities) -> None:
        """At `initialize`, before the server's capabilities are computed: read what the
        client can do, and withdraw the diagnostic provider from a client that could pull but
        cannot be refreshed (a client that cannot pull at all ignores it)."""
        self.client = ClientFeatures.of(capabilities)
        if self.client.can_pull_diagnostics and not self.client.pulls_diagnostics:
            for method in (t.TEXT_DOCUMENT_DIAGNOSTIC, t.WORKSPACE_DIAGNOSTIC):
                self.protocol.fm.features.pop(method, None)
                self.protocol.fm.feature_options.pop(method, None)

    @property
    def encoding(self) -> str:
        encoding = self.workspace.position_encoding
        return str(encoding.value if isinstance(encoding, t.PositionEncodingKind) else
                   encoding or "utf-16")

    def document(self, uri: str) -> DocumentState | None:
        """The open document's current state, or None if the client has not opened it."""
        if uri not in self.workspace.text_documents:
            return None
        doc = self.workspace.get_text_document(uri)
        return self.documents.state(uri, doc.version, doc.source, doc.language_id or "",
                                    self.encoding,
                                    doc if isinstance(doc, LspTextDocument) else None)

    async def until_ready(self) -> None:
        """Wait for `initialized` to have read the configuration."""
        if not self.ready.is_set():
            await self.ready.wait()

    def show(self, message: str, kind: t.MessageType = t.MessageType.Error) -> None:
        self.window_show_message(t.ShowMessageParams(type=kind, message=message))

    def report_server_error(self, error: Exception, source: ServerErrors) -> None:
        """Bytes that are not JSON get a ParseError (id null), not a pop-up in the editor."""
        protocol = self.protocol
        if isinstance(protocol, GlossaryProtocol) and protocol.answer_parse_error(error,
                                                                                  source):
            return
        super().report_server_error(error, source)

    # --- diagnostics, server-wide --------------------------------------------------------------

    def schedule_push(self, uri: str, delay: float | None = None) -> None:
        """Push diagnostics for `uri` after the debounce, unless the client pulls them."""
        if self.client.pulls_diagnostics:
            return
        pending = self.diagnostics.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()  # only ever cancels the sleep: publishing has no await

        async def run() -> None:
            await asyncio.sleep(self.diagnostics.debounce_seconds if delay is None else delay)
            await self.ready.wait()
            self.diagnostics.pending.pop(uri, None)
            self.push(uri)

        self.diagnostics.pending[uri] = asyncio.ensure_future(run())

    def cancel_push(self, uri: str) -> None:
        pending = self.diagnostics.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()

    def push(self, uri: str) -> None:
        """Publish an open document's diagnostics now."""
        state = self.document(uri)
        if state is None:
            return
        self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(
            uri=uri, version=state.version, diagnostics=diagnostics_for(state, self.client)))

    def recheck_all(self) -> None:
        """After a configuration or glossary change: new diagnostics everywhere, and the
        workspace index rebuilt."""
        self.documents.invalidate()
        self.index.rebuild()
        if self.client.pulls_diagnostics:
            self.workspace_diagnostic_refresh(None)
            return
        for uri in list(self.workspace.text_documents):
            self.schedule_push(uri, delay=0)

    def publish_problems(self, problems: list[Problem]) -> None:
        """Push problems of config/glossary files that are not open (nobody pulls those) and
        clear files now fixed. An open file has its own diagnostics (pushed or pulled);
        closing it brings these back (see `documents`)."""
        by_uri: dict[str, list[t.Diagnostic]] = {}
        for problem in problems:
            uri = from_fs_path(str(Path(problem.path)))
            if uri is None:
                continue
            by_uri.setdefault(uri, []).append(problem_diagnostic(problem))
        for uri in self.diagnostics.file_problems.keys() - by_uri.keys():
            by_uri[uri] = []
        for uri, items in by_uri.items():
            if uri not in self.workspace.text_documents:
                self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(
                    uri=uri, diagnostics=items))
        self.diagnostics.file_problems = {uri: items for uri, items in by_uri.items() if items}
