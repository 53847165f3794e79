"""Old import path of the pygls workarounds, kept for tests/robustness (which import
`LspTextDocument` and `MAX_MESSAGE_BYTES` from here); server code imports `pygls_fixes`."""

from __future__ import annotations

from harvester_glossary_ls.lsp.pygls_fixes.document import LspTextDocument
from harvester_glossary_ls.lsp.pygls_fixes.transport import MAX_MESSAGE_BYTES

__all__ = ["MAX_MESSAGE_BYTES", "LspTextDocument"]
