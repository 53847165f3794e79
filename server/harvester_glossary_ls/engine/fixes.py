"""Applying replacements to text: the one place that decides which fixes are safe together."""

from __future__ import annotations

from collections.abc import Iterable

from harvester_glossary_ls.engine.models import Finding


def safe_edits(findings: Iterable[Finding]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, replacement) edits for findings with one safe replacement."""
    edits: list[tuple[int, int, str]] = []
    last_end = -1
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        if not finding.safe_fix or len(finding.replacements) != 1 or finding.start < last_end:
            continue
        edits.append((finding.start, finding.end, finding.replacements[0]))
        last_end = finding.end
    return edits


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply sorted, non-overlapping edits in one pass."""
    pieces = []
    cursor = 0
    for start, end, replacement in edits:
        pieces.append(text[cursor:start])
        pieces.append(replacement)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
