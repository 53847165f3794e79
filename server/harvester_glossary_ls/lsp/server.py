"""The language server object: state, the document lookup every feature uses, and `serve()`.

Features live in their own modules (hover, completion, diagnostics, actions, navigation,
configuration); each has a `register(server)` that adds its handlers. All answers come from the
engine; this package only converts between it and the protocol.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import TYPE_CHECKING, cast

from lsprotocol import types as t
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from harvester_glossary_ls import __version__
from harvester_glossary_ls.lsp.protocol import (
    PARSE_ERROR,
    GlossaryProtocol,
    serve_stdio,
)
from harvester_glossary_ls.lsp.state import DocumentCache, DocumentState, Projects

if TYPE_CHECKING:
    from pygls.server import ServerErrors

logger = logging.getLogger("harvester_glossary_ls")


class GlossaryServer(LanguageServer):
    """pygls server holding the workspace projects and the analysis cache."""

    def __init__(self) -> None:
        super().__init__("harvester-glossary-ls", __version__,
                         text_document_sync_kind=t.TextDocumentSyncKind.Incremental,
                         protocol_cls=GlossaryProtocol)
        self.projects = Projects()
        self.documents = DocumentCache(self.projects)
        self.ready = asyncio.Event()
        self.debounce_seconds = 0.15
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.pushed: set[str] = set()
        self.file_problems: dict[str, list[t.Diagnostic]] = {}
        """Diagnostics pushed for config and glossary files that are not open, by URI."""

    # --- documents -----------------------------------------------------------------------------

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
                                    self.encoding)

    async def until_ready(self) -> None:
        """Wait for `initialized` to have read the configuration (requests can overtake it)."""
        if not self.ready.is_set():
            await self.ready.wait()

    # --- client capabilities -------------------------------------------------------------------

    def client_pulls_diagnostics(self) -> bool:
        """Whether this client pulls diagnostics: it can, and it can be told to pull again
        (workspace/diagnostic/refresh). Neovim 0.10/0.11 pull but have no refresh, so after a
        settings or glossary change their open buffers would keep stale diagnostics until the
        next edit: they are not offered pull (see `offer_pull_diagnostics`) and get pushes."""
        td = self.client_capabilities.text_document
        return (td is not None and td.diagnostic is not None
                and self.supports("workspace", "diagnostics", "refresh_support"))

    def offer_pull_diagnostics(self) -> None:
        """Called from `initialize`, before the capabilities are computed: withdraw the
        diagnostic provider from a client that could pull but cannot be refreshed (a client
        that cannot pull at all ignores it)."""
        td = self.client_capabilities.text_document
        if td is not None and td.diagnostic is not None and not self.client_pulls_diagnostics():
            self.protocol.fm.features.pop(t.TEXT_DOCUMENT_DIAGNOSTIC, None)
            self.protocol.fm.feature_options.pop(t.TEXT_DOCUMENT_DIAGNOSTIC, None)

    def supports(self, *path: str) -> bool:
        """Whether a nested client capability is present and truthy."""
        node: object = self.client_capabilities
        for name in path:
            node = getattr(node, name, None)
            if node is None:
                return False
        return bool(node)

    def diagnostics_allow(self, name: str) -> bool:
        """Whether diagnostics may carry an optional field (`related_information`,
        `code_description_support`, `data_support`): only a client that says no, in its
        publish or pull diagnostic capabilities, gets diagnostics without it."""
        td = self.client_capabilities.text_document
        if td is None:
            return True
        values = [getattr(caps, name, None) for caps in (td.publish_diagnostics, td.diagnostic)
                  if caps is not None]
        return any(values) or all(v is None for v in values)

    def accepts_markdown(self, *path: str) -> bool:
        """Whether the client lists Markdown among the formats at `path` (e.g. hover's
        content_format); a client that lists nothing gets plain text."""
        node: object = self.client_capabilities
        for name in path:
            node = getattr(node, name, None)
            if node is None:
                return False
        return isinstance(node, (list, tuple)) and t.MarkupKind.Markdown in node

    def show(self, message: str, kind: t.MessageType = t.MessageType.Error) -> None:
        self.window_show_message(t.ShowMessageParams(type=kind, message=message))

    def report_server_error(self, error: Exception, source: ServerErrors) -> None:
        """Bytes that are not JSON get a ParseError (id null), not a pop-up in the editor."""
        if source is JsonRpcException and isinstance(error, (ValueError, RecursionError)):
            logger.warning("parse error: %s", error)
            cast(GlossaryProtocol, self.protocol).send_error(None, PARSE_ERROR,
                                                            f"parse error: {error}")
            return
        super().report_server_error(error, source)


def create_server() -> GlossaryServer:
    from harvester_glossary_ls.lsp import (
        actions,
        completion,
        configuration,
        diagnostics,
        hover,
        navigation,
    )

    server = GlossaryServer()
    for module in (configuration, diagnostics, hover, completion, actions, navigation):
        module.register(server)
    return server


def serve() -> int:
    """Serve LSP on stdio until the client says exit (or goes away). The exit code is 0 after a
    `shutdown` request, 1 otherwise, as the specification says for `exit`."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING,
                        format="harvester-glossary-ls %(levelname)s: %(message)s")
    server = create_server()
    serve_stdio(server)
    return 0 if getattr(server.protocol, "_shutdown", False) else 1
