"""Term completion while writing prose: what the user typed, and the terms that fit it.

The typed words before the cursor (up to four, so "VM mig" finds "VM migration network") are
looked up as a prefix of every term and alias in a sorted list (a bisect, so the cost does not
grow with the glossary), then rapidfuzz ranks near matches of the last words in one C call.
Deprecated forms are never offered. This module sees a document only as its text and scan, so
`compiled` can build a `CompletionIndex` without importing the analysis (`cursor.completions`
is the entry point for an analysed document).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from harvester_glossary_ls.engine.models import Entry, Glossary
from harvester_glossary_ls.engine.scan import MASK, LineKind, ProseScan

MAX_WORDS = 4
MAX_ITEMS = 50
FUZZY_CUTOFF = 82.0
_TYPED = re.compile(r"((?:[\w'-]+ ){0,3}[\w'-]*)$")  # up to MAX_WORDS words


@dataclass(frozen=True, slots=True)
class Candidate:
    name: str
    entry: Entry
    start: int
    """Offset where the replaced text begins (the cursor is the end)."""
    score: float


class CompletionIndex:
    """Every term and alias, case-folded and sorted; built once per glossary."""

    def __init__(self, glossary: Glossary) -> None:
        pairs = sorted((name.casefold(), name, entry)
                       for entry in glossary.entries for name in entry.names)
        self.keys = [key for key, _, _ in pairs]
        self.names = [(name, entry) for _, name, entry in pairs]

    def with_prefix(self, prefix: str) -> list[tuple[str, Entry]]:
        start = bisect.bisect_left(self.keys, prefix)
        end = start
        while end < len(self.keys) and self.keys[end].startswith(prefix):
            end += 1
        return self.names[start:end]


def in_prose(scan: ProseScan, offset: int) -> bool:
    """Completion is offered only where the scanner sees prose (never inside code)."""
    text = scan.match_text
    if offset > len(text) or offset < 0:
        return False
    before = text[offset - 1] if offset > 0 else "\n"
    if before == MASK:
        return False
    if before in " \n\t":
        after = text[offset] if offset < len(text) else "\n"
        line = scan.lines.line_of(offset)
        kinds = scan.kinds
        return after != MASK and line < len(kinds) and kinds[line] != LineKind.OTHER
    return True


def typed_phrase(text: str, offset: int, line_start: int) -> str:
    """The words just before the cursor on its line, as typed."""
    match = _TYPED.search(text, line_start, offset)
    return match.group(1) if match else ""


def candidates(index: CompletionIndex, text: str, scan: ProseScan, offset: int,
               line_start: int) -> list[Candidate]:
    """Best terms for what is typed before `offset` in `text` (scanned as `scan`), best first."""
    if not in_prose(scan, offset):
        return []
    phrase = typed_phrase(text, offset, line_start)
    words = [w for w in phrase.split(" ")] if phrase else []
    best: dict[str, Candidate] = {}

    def offer(name: str, entry: Entry, start: int, score: float) -> None:
        key = name.casefold()
        if key not in best or best[key].score < score:
            best[key] = Candidate(name, entry, start, score)

    if not words or words == [""]:
        for name, entry in index.names[:MAX_ITEMS]:
            offer(name, entry, offset, 10.0)
    for count in range(min(len(words), MAX_WORDS), 0, -1):
        typed = " ".join(words[-count:])
        if not typed:
            continue
        start = offset - len(typed)
        for name, entry in index.with_prefix(typed.casefold()):
            offer(name, entry, start, 200.0 + 10 * count + len(typed))
        if count <= 2 and len(typed) >= 3:
            for _, score, position in process.extract(
                    typed.casefold(), index.keys, scorer=fuzz.partial_ratio,
                    score_cutoff=FUZZY_CUTOFF, limit=MAX_ITEMS):
                name, entry = index.names[position]
                offer(name, entry, start, float(score) + count)
    ranked = sorted(best.values(), key=lambda c: (-c.score, c.name.casefold()))
    return ranked[:MAX_ITEMS]
