"""Engine offsets (code points) to and from LSP positions in the negotiated encoding.

The one place positions change units. UTF-32 columns are code points; UTF-16 counts astral
characters twice; UTF-8 counts bytes. Out-of-range positions are clamped, never an error.
"""

from __future__ import annotations

from lsprotocol import types as t

from harvester_glossary_ls.engine.text import LineIndex


def _units(text: str, encoding: str) -> int:
    if encoding == "utf-16":
        return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
    if encoding == "utf-8":
        return len(text.encode("utf-8", errors="surrogatepass"))
    return len(text)


class PositionMap:
    """Converts for one document version; holds its text and line index."""

    def __init__(self, text: str, lines: LineIndex, encoding: str) -> None:
        self.text = text
        self.lines = lines
        self.encoding = encoding
        self._ascii = text.isascii()

    def line_text(self, line: int) -> str:
        return self.text[self.lines.starts[line]:self.lines.line_end(line)]

    def position(self, offset: int) -> t.Position:
        offset = max(0, min(offset, len(self.text)))
        line, column = self.lines.position(offset)
        if self._ascii or self.encoding == "utf-32":
            return t.Position(line=line, character=column)
        start = self.lines.starts[line]
        return t.Position(line=line, character=_units(self.text[start:start + column],
                                                       self.encoding))

    def range(self, start: int, end: int) -> t.Range:
        return t.Range(start=self.position(start), end=self.position(end))

    def offset(self, position: t.Position) -> int:
        """The code-point offset of a client position, clamped into the document."""
        line = position.line
        if line < 0:
            return 0
        if line >= self.lines.line_count:
            return len(self.text)
        start = self.lines.starts[line]
        end = self.lines.line_end(line)
        wanted = max(position.character, 0)
        if self._ascii or self.encoding == "utf-32":
            return min(start + wanted, end)
        units = 0
        for index in range(start, end):
            if units >= wanted:
                return index
            units += _units(self.text[index], self.encoding)
        return end
