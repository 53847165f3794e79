"""The document model: LSP line breaks, cheap incremental edits, no edits to closed documents.

pygls 2.1 (`pygls.workspace.TextDocument`) splits lines like `str.splitlines` (at U+2028,
U+0085, form feed...), while the LSP counts only \\n, \\r\\n and \\r, so an incremental edit
after such a character lands on the wrong line; and it applies each edit by re-splitting and
re-joining the whole text plus a Python loop over the edited line's characters (1.2 ms per
keystroke in a 5,000-line page; 2,000 keystrokes a second did not keep up). Upstream: no pygls
issue found for either (the line-break rule is microsoft/language-server-protocol#1432).

`LspTextDocument` keeps one table of LSP line starts, updated in O(lines) integer shifts per
edit, converts positions with the server's one converter (`lsp.positions.PositionMap`), and
lends the table to that converter for the document's current version.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Generator, Sequence
from typing import Any
from urllib.parse import unquote

from lsprotocol import types as t
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.workspace import TextDocument, Workspace

from harvester_glossary_ls.lsp.positions import PositionMap, lsp_line_starts

logger = logging.getLogger(__name__)

_BREAK = re.compile(r"\r\n?|\n")


class LspTextDocument(TextDocument):
    """A TextDocument whose lines end only at \\n, \\r\\n or \\r, as the LSP specification says,
    and whose incremental changes cost O(lines) integer shifts instead of a re-split."""

    _starts: list[int] | None = None
    _starts_of: str | None = None

    @property
    def lines(self) -> Sequence[str]:
        source = self.source
        starts = self._line_starts(source)
        ends = [*starts[1:], len(source)]
        return tuple(source[a:b] for a, b in zip(starts, ends, strict=True) if a < b)

    def _line_starts(self, source: str) -> list[int]:
        if self._starts is None or self._starts_of is not source:
            self._starts = lsp_line_starts(source)
            self._starts_of = source
        return self._starts

    def line_starts_of(self, text: str) -> list[int] | None:
        """The LSP line starts of `text` if it is this document's current source (the same
        object), for `PositionMap.of_lsp_lines`; None otherwise."""
        source = self.source
        return self._line_starts(source) if text is source else None

    def _apply_incremental_change(self, change: t.TextDocumentContentChangePartial) -> None:
        source = self.source
        starts = self._line_starts(source)
        encoding = self._position_codec.encoding
        positions = PositionMap.of_lsp_lines(source, starts, str(getattr(encoding, "value",
                                                                         encoding)))
        start = positions.offset(change.range.start)
        end = max(start, positions.offset(change.range.end))
        text = change.text
        updated = source[:start] + text + source[end:]
        # Line starts (break ends) before the edit stay, those from two characters after it on
        # shift (a break is at most two characters, so the edit cannot change them), and those in
        # between are rescanned from one character before the edit (a \r there may now pair
        # with an inserted \n).
        delta = len(text) - (end - start)
        stop = start + len(text) + 2
        kept = starts[:bisect.bisect_left(starts, start)] or [0]
        rescanned = [m.end() for m in _BREAK.finditer(updated, max(0, start - 1),
                                                       min(stop, len(updated)))
                     if start <= m.end() < stop]
        shifted = [y + delta for y in starts[bisect.bisect_left(starts, end + 2):]]
        self._starts = kept + rescanned + shifted
        self._starts_of = updated
        self._source = updated


class LspWorkspace(Workspace):
    """A Workspace whose documents are `LspTextDocument`s."""

    def _create_text_document(self, doc_uri: str, source: str | None = None,
                              version: int | None = None,
                              language_id: str | None = None) -> TextDocument:
        return LspTextDocument(doc_uri, source=source, version=version,
                               language_id=language_id, sync_kind=self._sync_kind,
                               position_codec=self._position_codec)


class LspDocuments(LanguageServerProtocol):
    """Installs `LspWorkspace`, and ignores didChange for a document that is not open (pygls
    2.1 creates it from the change; no upstream issue found)."""

    @lsp_method(t.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: t.DidChangeTextDocumentParams
                                      ) -> Generator[Any, Any, None]:
        """A change to a document that is not open is a client bug: log it, change nothing."""
        if unquote(params.text_document.uri) not in self.workspace.text_documents:
            logger.warning("didChange for %s, which is not open: ignored",
                           params.text_document.uri)
            return
        yield from super().lsp_text_document__did_change(params)

    @lsp_method(t.INITIALIZE)
    def lsp_initialize(self, params: t.InitializeParams) -> Generator[Any, Any,
                                                                      t.InitializeResult]:
        result = yield from super().lsp_initialize(params)
        self._workspace.__class__ = LspWorkspace  # no documents yet: only the factory changes
        return result
