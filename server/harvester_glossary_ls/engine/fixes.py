"""Applying replacements: the one place that decides which fixes are safe together, and where
`check --fix` may write them."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from harvester_glossary_ls.engine.files import write_atomically
from harvester_glossary_ls.engine.models import Finding
from harvester_glossary_ls.engine.project import resolve


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


class LeavesTree(Exception):
    """A file reached through a symlink whose real path is outside the tree: not written."""

    def __init__(self, target: Path) -> None:
        super().__init__(str(target))
        self.target = target


def fix_file(path: Path, text: str, findings: Iterable[Finding], root: Path) -> str | None:
    """Apply the safe fixes to a file on disk, atomically; the new text, or None when there was
    nothing to fix.

    A file reached through a symlink (the file's own or a directory's) is fixed only when its
    real path is inside `root` (else LeavesTree): a link must not carry --fix out of the tree.
    A symlink stays a symlink; its target gets the fixes. Raises OSError when the write fails.
    """
    real = resolve(path)
    if real != Path(os.path.abspath(path)) and root not in real.parents:
        raise LeavesTree(real)
    edits = safe_edits(findings)
    if not edits:
        return None
    fixed = apply_edits(text, edits)
    write_atomically(real, fixed)
    return fixed
