"""What a document scanner produces: the prose to match, and per-line context for the rules."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from harvester_glossary_ls.engine.models import YamlRule
from harvester_glossary_ls.engine.text import LineIndex

MASK = "\x00"
"""Stands in for every character that is not prose; never a word character or a space."""


class LineKind(enum.IntEnum):
    OTHER = 0  # code, front matter, HTML, JSX: no prose at all
    BLANK = 1
    PARAGRAPH = 2
    HEADING = 3
    LIST_ITEM = 4
    TABLE_HEADER = 5
    TABLE_ROW = 6
    COMMENT = 7  # YAML comment or Markdown HTML comment text
    VALUE = 8  # YAML string value


@dataclass(frozen=True, slots=True)
class StructuralHit:
    """A YAML kind, key or label value that a mapping rule ties to a term."""

    start: int
    end: int
    rule: YamlRule


@dataclass(frozen=True, slots=True)
class ProseScan:
    """A document reduced to prose: same length as the text, everything else masked."""

    match_text: str
    """Lower-cased prose; masked characters are MASK; paragraph line breaks are spaces."""
    lines: LineIndex
    kinds: bytes
    """A LineKind per line."""
    prose_starts: tuple[int, ...]
    """Per line, the column where its prose begins (after list markers, `#`, `>`, `|`)."""
    structural: tuple[StructuralHit, ...] = field(default=())
    code_blocks: tuple[tuple[int, int, str], ...] = field(default=())
    """(start, end, info string) of fenced code blocks, for hover inside YAML examples."""
