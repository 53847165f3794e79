"""Term completion while writing prose: what the user typed, and the terms that fit it.

The typed words before the cursor (up to four, so "VM mig" finds "VM migration network") are
compared with every term and alias: a prefix match of the whole phrase ranks first, then
rapidfuzz similarity of the last words. Deprecated forms are never offered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from harvester_glossary_ls.engine.analysis import Analysis
from harvester_glossary_ls.engine.models import Entry, Glossary
from harvester_glossary_ls.engine.scan import MASK

MAX_WORDS = 4
MAX_ITEMS = 50
_TYPED = re.compile(r"((?:[\w'-]+ ){0,3}[\w'-]*)$")  # up to MAX_WORDS words


@dataclass(frozen=True, slots=True)
class Candidate:
    name: str
    entry: Entry
    start: int
    """Offset where the replaced text begins (the cursor is the end)."""
    score: float


def in_prose(analysis: Analysis, offset: int) -> bool:
    """Completion is offered only where the scanner sees prose (never inside code)."""
    text = analysis.scan.match_text
    if offset > len(text):
        return False
    before = text[offset - 1] if offset > 0 else "\n"
    if before == MASK:
        return False
    if before in " \n\t":
        after = text[offset] if offset < len(text) else "\n"
        line = analysis.scan.lines.line_of(offset)
        kinds = analysis.scan.kinds
        return after != MASK and line < len(kinds) and kinds[line] != 0
    return True


def typed_phrase(text: str, offset: int, line_start: int) -> str:
    """The words just before the cursor on its line, as typed."""
    match = _TYPED.search(text, line_start, offset)
    return match.group(1) if match else ""


def candidates(glossary: Glossary, analysis: Analysis, offset: int,
               line_start: int) -> list[Candidate]:
    """Best terms for what is typed before `offset`, best first."""
    if not in_prose(analysis, offset):
        return []
    phrase = typed_phrase(analysis.text, offset, line_start)
    words = phrase.split(" ") if phrase else []
    best: dict[str, Candidate] = {}

    def offer(name: str, entry: Entry, start: int, score: float) -> None:
        key = name.casefold()
        if key not in best or best[key].score < score:
            best[key] = Candidate(name, entry, start, score)

    for entry in glossary.entries:
        for name in entry.names:
            lowered = name.casefold()
            if not words or words == [""]:
                offer(name, entry, offset, 10.0)
                continue
            for count in range(min(len(words), MAX_WORDS), 0, -1):
                typed = " ".join(words[-count:])
                if not typed:
                    continue
                start = offset - len(typed)
                if lowered.startswith(typed.casefold()):
                    offer(name, entry, start, 200.0 + 10 * count + len(typed))
                    break
                if count <= 2 and len(typed) >= 3:
                    score = fuzz.partial_ratio(typed.casefold(), lowered[: len(typed) + 2])
                    if score >= 75:
                        offer(name, entry, start, score + count)
    ranked = sorted(best.values(), key=lambda c: (-c.score, c.name.casefold()))
    return ranked[:MAX_ITEMS]
