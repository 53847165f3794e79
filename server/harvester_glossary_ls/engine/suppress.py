"""Suppression comments: turn findings off for a line, a block or a whole file.

Markdown uses HTML comments and YAML uses `#` comments, with the same directives:
`harvester-glossary-disable-next-line`, `-disable-line`, `-disable` ... `-enable`, and
`-disable-file`, each optionally followed by rule codes (all rules when none are given).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from harvester_glossary_ls.engine.text import LineIndex

ALL = "*"
_DIRECTIVE = re.compile(
    r"(?:<!--|#)[ \t]*harvester-glossary-(disable-next-line|disable-line|disable-file|disable|"
    r"enable)\b([^\n]*?)(?:-->|$)",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Suppressions:
    file_codes: frozenset[str] = frozenset()
    line_codes: dict[int, frozenset[str]] = field(default_factory=dict)

    def suppressed(self, line: int, code: str) -> bool:
        if ALL in self.file_codes or code in self.file_codes:
            return True
        codes = self.line_codes.get(line)
        return codes is not None and (ALL in codes or code in codes)


def _codes(raw: str) -> frozenset[str]:
    codes = frozenset(c for c in re.split(r"[\s,]+", raw.strip()) if c)
    return codes or frozenset({ALL})


def _in_code(text: str, lines: LineIndex, at: int, spans: Sequence[tuple[int, int]]) -> bool:
    """A directive shown as an example: in a fenced block, or in an inline code span."""
    if any(start <= at < end for start, end in spans):
        return True
    return text.count("`", lines.starts[lines.line_of(at)], at) % 2 == 1


class _Collector:
    """Directives as they are read, in document order: `disable` opens a block per code that
    the matching `enable` (or the end of the file) closes."""

    def __init__(self) -> None:
        self.file_codes: set[str] = set()
        self.per_line: dict[int, set[str]] = {}
        self.open_blocks: dict[str, int] = {}  # code -> line of its open `disable`

    def add(self, line: int, codes: frozenset[str]) -> None:
        self.per_line.setdefault(line, set()).update(codes)

    def directive(self, directive: str, line: int, codes: frozenset[str]) -> None:
        if directive == "disable-file":
            self.file_codes.update(codes)
        elif directive == "disable-line":
            self.add(line, codes)
        elif directive == "disable-next-line":
            self.add(line + 1, codes)
        elif directive == "disable":
            for code in codes:
                self.open_blocks.setdefault(code, line)
        else:
            self.enable(line, codes)

    def enable(self, line: int, codes: frozenset[str]) -> None:
        """Close the blocks of these codes (every open block for a bare `enable`)."""
        for code in list(self.open_blocks) if ALL in codes else codes:
            start = self.open_blocks.pop(code, None)
            if start is not None:
                self.suppress_lines(code, start, line + 1)

    def suppress_lines(self, code: str, start: int, stop: int) -> None:
        for number in range(start, stop):
            self.add(number, frozenset({code}))

    def result(self, line_count: int) -> Suppressions:
        """Blocks still open run to the end of the file."""
        for code, start in self.open_blocks.items():
            self.suppress_lines(code, start, line_count)
        return Suppressions(frozenset(self.file_codes),
                            {k: frozenset(v) for k, v in self.per_line.items()})


def find_suppressions(text: str, lines: LineIndex,
                      code_spans: Sequence[tuple[int, int]] = ()) -> Suppressions:
    """Collect the directives of a document; cheap when there are none.

    `code_spans` (fenced blocks) hold examples, not directives; so do inline code spans.
    """
    if "harvester-glossary-" not in text:
        return Suppressions()
    collector = _Collector()
    for match in _DIRECTIVE.finditer(text):
        if not _in_code(text, lines, match.start(), code_spans):
            collector.directive(match.group(1), lines.line_of(match.start()),
                                _codes(match.group(2)))
    return collector.result(lines.line_count)
