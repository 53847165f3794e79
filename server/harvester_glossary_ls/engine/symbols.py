"""Workspace symbols: glossary entries ranked against what the user typed in the symbol search.

A fuzzy partial match (rapidfuzz) on the term and its aliases, so "mig" finds "VM migration
network"; an empty query lists every entry. Entries without a source location are left out
(an editor cannot jump to them).
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz

from harvester_glossary_ls.engine.models import Entry

MIN_SCORE = 70.0
"""Below this partial-match score (0-100) an entry is not listed."""


def rank_entries(query: str, entries: Iterable[Entry], limit: int) -> list[Entry]:
    """The entries matching `query`, best first then by term, one per term, at most `limit`."""
    wanted = query.casefold().strip()
    seen: set[str] = set()
    found: list[tuple[float, Entry]] = []
    for entry in entries:
        if entry.source is None or entry.term in seen:
            continue
        score = _score(wanted, entry)
        if score < MIN_SCORE:
            continue
        seen.add(entry.term)
        found.append((score, entry))
    found.sort(key=lambda pair: (-pair[0], pair[1].term.casefold()))
    return [entry for _, entry in found[:limit]]


def _score(query: str, entry: Entry) -> float:
    if not query:
        return 100.0
    return max((float(fuzz.partial_ratio(query, name.casefold())) for name in entry.names),
               default=0.0)
