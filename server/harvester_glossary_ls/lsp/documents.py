"""Document synchronisation: open, change and close, and what each means for diagnostics.

pygls keeps the text (`pygls_fixes.document`); this module schedules the diagnostics push (for
clients that do not pull), warns about a document too large to check, and on close puts back
the problems of a broken config or glossary file that the open document's diagnostics hid. The
workspace index learns of every change (it reads the analysis only when a query needs it) and
reads a closed document from disk again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as t

from harvester_glossary_ls.engine.files import MAX_DOCUMENT_BYTES

if TYPE_CHECKING:
    from harvester_glossary_ls.lsp.session import GlossaryServer


def register(server: GlossaryServer) -> None:
    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: GlossaryServer, params: t.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        size = len(params.text_document.text)
        if size > MAX_DOCUMENT_BYTES:
            name = uri.rsplit("/", 1)[-1]
            ls.show(f"harvester-glossary-ls: {name} is not checked: {size:,} characters is over "
                    f"the {MAX_DOCUMENT_BYTES:,} limit.", t.MessageType.Warning)
        ls.schedule_push(uri, delay=0)
        ls.index.changed(uri)
        if ls.client.pulls_diagnostics and uri in ls.diagnostics.file_problems:
            # the client pulls for open files: withdraw the copy pushed while it was closed
            ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(
                uri=uri, diagnostics=[]))

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: GlossaryServer, params: t.DidChangeTextDocumentParams) -> None:
        ls.schedule_push(params.text_document.uri)
        ls.index.changed(params.text_document.uri)  # read from the analysis when needed

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: GlossaryServer, params: t.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.documents.forget(uri)
        ls.cancel_push(uri)
        file_problems = ls.diagnostics.file_problems
        # workspaceDiagnostics: true pushes its findings on disk as a closed file's
        if ls.index.closed(uri, publish=uri not in file_problems):
            return
        if uri in file_problems:  # a broken config or glossary: its problems stay shown
            ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(
                uri=uri, diagnostics=file_problems[uri]))
        elif not ls.client.pulls_diagnostics:
            ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri,
                                                                            diagnostics=[]))
