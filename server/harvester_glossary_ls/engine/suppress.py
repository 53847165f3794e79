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


def find_suppressions(text: str, lines: LineIndex,
                      code_spans: Sequence[tuple[int, int]] = ()) -> Suppressions:
    """Collect the directives of a document; cheap when there are none.

    `code_spans` (fenced blocks) hold examples, not directives; so do inline code spans.
    """
    if "harvester-glossary-" not in text:
        return Suppressions()
    file_codes: set[str] = set()
    per_line: dict[int, set[str]] = {}
    open_blocks: dict[str, int] = {}

    def add(line: int, codes: frozenset[str]) -> None:
        per_line.setdefault(line, set()).update(codes)

    for match in _DIRECTIVE.finditer(text):
        if _in_code(text, lines, match.start(), code_spans):
            continue
        directive, codes = match.group(1), _codes(match.group(2))
        line = lines.line_of(match.start())
        if directive == "disable-file":
            file_codes.update(codes)
        elif directive == "disable-line":
            add(line, codes)
        elif directive == "disable-next-line":
            add(line + 1, codes)
        elif directive == "disable":
            for code in codes:
                open_blocks.setdefault(code, line)
        else:
            for code in list(open_blocks) if ALL in codes else codes:
                start = open_blocks.pop(code, None)
                if start is not None:
                    for number in range(start, line + 1):
                        add(number, frozenset({code}))
    for code, start in open_blocks.items():
        for number in range(start, lines.line_count):
            add(number, frozenset({code}))
    return Suppressions(frozenset(file_codes), {k: frozenset(v) for k, v in per_line.items()})
