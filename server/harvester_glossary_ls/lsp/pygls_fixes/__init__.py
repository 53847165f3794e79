"""Workarounds for pygls 2.1 behaviour, one module per job, each naming what it covers upstream.

- `jsonrpc`: JSON-RPC 2.0 and lifecycle conformance (every request is answered);
- `leaks`: request bookkeeping pygls leaves behind (handler futures, replies to cancelled
  requests);
- `document`: the document model (LSP line breaks, cheap incremental edits);
- `transport`: the bounded stdin reader and `serve_stdio`;
- `prepared`: results a handler has already serialised, sent as they are;
- `names`: the private pygls names all of these rely on (checked by a test).

`GlossaryProtocol` combines them; the server is built with it as its protocol class.
"""

from __future__ import annotations

from harvester_glossary_ls.lsp.pygls_fixes.document import LspDocuments
from harvester_glossary_ls.lsp.pygls_fixes.jsonrpc import JsonRpcConformance
from harvester_glossary_ls.lsp.pygls_fixes.leaks import LeakFixes
from harvester_glossary_ls.lsp.pygls_fixes.prepared import PreparedResults
from harvester_glossary_ls.lsp.pygls_fixes.transport import SkippedFrameReport, serve_stdio

__all__ = ["GlossaryProtocol", "serve_stdio"]


class GlossaryProtocol(SkippedFrameReport, JsonRpcConformance, LeakFixes, PreparedResults,
                       LspDocuments):
    """pygls' LanguageServerProtocol with every fix in this package."""
