"""Engine offsets (code points) to and from LSP positions in the negotiated encoding.

The one place positions change units: diagnostics, hovers and edits go out through
`PositionMap.position`/`range`, and client positions (requests, and the incremental edits the
document model applies) come in through `PositionMap.offset`. UTF-32 columns are code points;
UTF-16 counts astral characters twice; UTF-8 counts bytes. Lines end at \\n, \\r\\n or \\r, as
the LSP says. Out-of-range positions are clamped, never an error: past a line's end means its
end (before its line break), past the last line the document's end.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from lsprotocol import types as t

from harvester_glossary_ls.engine.text import LineIndex

_LONE_CR = re.compile(r"\r(?!\n)")
_BREAK = re.compile(r"\r\n?|\n")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def lsp_line_starts(text: str) -> list[int]:
    """Where each LSP line starts (after \\n, \\r\\n or a lone \\r)."""
    return [0, *(m.end() for m in _BREAK.finditer(text))]


def lsp_lines(text: str, lines: LineIndex) -> LineIndex:
    """The engine's lines end at \\n only; LSP lines also end at a lone \\r."""
    if "\r" not in text or _LONE_CR.search(text) is None:
        return lines
    return LineIndex(tuple(lsp_line_starts(text)), len(text))


def _extra(ch: str, encoding: str) -> int:
    """Units a character takes beyond one."""
    code = ord(ch)
    if encoding == "utf-16":
        return 1 if code > 0xFFFF else 0
    return 0 if code < 0x80 else 1 if code < 0x800 else 2 if code < 0x10000 else 3


class _LineUnits:
    """Where one line's non-ASCII characters sit, with running extra units: column <-> units
    by bisection, so a megabyte-long line costs O(log n) per position, not O(n)."""

    def __init__(self, line: str, encoding: str) -> None:
        self.columns: list[int] = []
        self.extras: list[int] = []
        total = 0
        for match in _NON_ASCII.finditer(line):
            extra = _extra(match.group(), encoding)
            if extra:
                total += extra
                self.columns.append(match.start())
                self.extras.append(total)
        self.length = len(line)

    def units(self, column: int) -> int:
        before = bisect.bisect_left(self.columns, column)
        return column + (self.extras[before - 1] if before else 0)

    def column(self, wanted: int) -> int:
        """The first column whose units reach `wanted` (the line's end if none does)."""
        low, high = 0, self.length
        if self.units(high) < wanted:
            return high
        while low < high:
            middle = (low + high) // 2
            if self.units(middle) >= wanted:
                high = middle
            else:
                low = middle + 1
        return low


class PositionMap:
    """Converts for one document version; holds its text and LSP line index."""

    def __init__(self, text: str, lines: LineIndex, encoding: str) -> None:
        """`lines` may be the engine's (\\n only): lone \\r breaks are added where present."""
        self.text = text
        self.lines = lsp_lines(text, lines)
        self.encoding = encoding
        self._ascii: bool | None = None
        self._units: dict[int, _LineUnits] = {}

    @classmethod
    def of_lsp_lines(cls, text: str, starts: Sequence[int], encoding: str) -> PositionMap:
        """For line starts already split the LSP way (the document model's own table)."""
        positions = cls.__new__(cls)
        positions.text = text
        positions.lines = LineIndex(tuple(starts), len(text))
        positions.encoding = encoding
        positions._ascii = None
        positions._units = {}
        return positions

    def content_end(self, line: int) -> int:
        """The offset where the line's text ends, before its line break."""
        start, end = self.lines.starts[line], self.lines.line_end(line)
        return end - 1 if end > start and self.text[end - 1] == "\r" else end

    def line_text(self, line: int) -> str:
        return self.text[self.lines.starts[line]:self.content_end(line)]

    def _line_units(self, line: int) -> _LineUnits:
        found = self._units.get(line)
        if found is None:
            found = self._units[line] = _LineUnits(self.line_text(line), self.encoding)
        return found

    def position(self, offset: int) -> t.Position:
        offset = max(0, min(offset, len(self.text)))
        line, column = self.lines.position(offset)
        if self._ascii is None:
            self._ascii = self.text.isascii()
        if self._ascii or self.encoding == "utf-32":
            return t.Position(line=line, character=column)
        return t.Position(line=line, character=self._line_units(line).units(column))

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
        end = self.content_end(line)
        wanted = max(position.character, 0)
        if self.encoding == "utf-32" or self._ascii or (
                line not in self._units and self.text[start:end].isascii()):
            return min(start + wanted, end)
        return start + self._line_units(line).column(wanted)
