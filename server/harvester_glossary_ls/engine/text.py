"""Line/offset bookkeeping and a length-preserving lower-case, shared by scanners and rules."""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LineIndex:
    """Offsets of line starts, built once per document version, for offset -> (line, column)."""

    starts: tuple[int, ...]
    length: int

    @classmethod
    def of(cls, text: str) -> LineIndex:
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        return cls(tuple(starts), len(text))

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) in code points, both 0-based."""
        line = self.line_of(offset)
        return line, offset - self.starts[line]

    def line_end(self, line: int) -> int:
        """Offset just before the line's newline (or the document end)."""
        if line + 1 < len(self.starts):
            return self.starts[line + 1] - 1
        return self.length


def lower_same_length(text: str) -> str:
    """Lower-case without changing any offset (a few characters, like 'İ', grow when lowered)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def smallest_change(current: str, updated: str) -> tuple[int, int, str]:
    """(start, end, replacement): the one edit that turns `current` into `updated`, keeping
    their common prefix and suffix, so an editor's undo and a reviewer see only what changed."""
    prefix = 0
    limit = min(len(current), len(updated))
    while prefix < limit and current[prefix] == updated[prefix]:
        prefix += 1
    suffix = 0
    while (suffix < limit - prefix
           and current[len(current) - 1 - suffix] == updated[len(updated) - 1 - suffix]):
        suffix += 1
    return prefix, len(current) - suffix, updated[prefix:len(updated) - suffix]
