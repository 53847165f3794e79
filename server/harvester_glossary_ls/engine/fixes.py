"""Applying replacements: the one place that decides which fixes are safe together, and where
`check --fix` may write them.

`--fix` is safe by construction: an edit is applied only when it is certain (a casing fix that
changes nothing but the case of letters, a deprecation's single replacement of exactly its
form, or an `unlinked-term` use made a link and nothing else: `[use](target)` or the glossary
shortcode with `text="use"`, applied only when asked for by name), lies in prose (no character
of it masked by the scanner, not a YAML kind, key or label), and the file on disk still holds
the text that was analysed. The new file is spliced from the old bytes and the replacements,
so no byte outside an edit's span changes: a UTF-8 BOM, CRLF or CR line endings and everything
else come through as they were.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Collection, Iterable
from pathlib import Path

from harvester_glossary_ls.engine.files import read_bytes, write_atomically
from harvester_glossary_ls.engine.models import Finding
from harvester_glossary_ls.engine.project import resolve
from harvester_glossary_ls.engine.rule_codes import CASING, DEPRECATED, OPT_IN_FIXES, UNLINKED
from harvester_glossary_ls.engine.scan import MASK, ProseScan

Edit = tuple[int, int, str]
"""(start, end, replacement) in code points of the analysed text."""


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


_LINK_TARGET = re.compile(r"[^\s()<>\[\]]+")
_TOOLTIP = re.compile(r'\{\{< glossary_tooltip text="([^"\n]*)" term_id="[\w.-]+" >\}\}')


def _link_of(original: str, replacement: str) -> bool:
    """`replacement` is exactly `original` made a link: `[original](target)` with a target of
    no spaces, brackets or parentheses, or the glossary shortcode with `text="original"`."""
    if "\n" in original or "\r" in original:
        return False
    head = f"[{original}]("
    if replacement.startswith(head) and replacement.endswith(")"):
        return _LINK_TARGET.fullmatch(replacement[len(head):-1]) is not None
    tooltip = _TOOLTIP.fullmatch(replacement)
    return tooltip is not None and tooltip.group(1) == original


def certain(finding: Finding, text: str, scan: ProseScan) -> bool:
    """Whether `finding`'s one replacement may be written without asking: in prose, and
    changing only what the finding says (the case of letters, a deprecated form for its
    single replacement, or the use made a link around its unchanged text)."""
    start, end = finding.start, finding.end
    if not 0 <= start < end <= len(text) or MASK in scan.match_text[start:end]:
        return False
    if any(hit.start < end and start < hit.end for hit in scan.structural):
        return False  # a YAML kind, key or label value: renaming it changes the manifest
    original, replacement = text[start:end], finding.replacements[0]
    if finding.code == CASING:
        return replacement != original and replacement.lower() == original.lower()
    if finding.code == DEPRECATED:
        dep = finding.deprecation
        return (dep is not None and dep.safe_replacement == replacement
                and _words(original) == _words(dep.form)
                and "\n" not in replacement and "\r" not in replacement)
    if finding.code == UNLINKED:
        return _link_of(original, replacement)
    return False


def _wanted(code: str, rules: Collection[str] | None) -> bool:
    """Without `rules`, every rule's fixes but the opt-in ones; with them, only theirs."""
    return code not in OPT_IN_FIXES if rules is None else code in rules


def safe_edits(findings: Iterable[Finding], text: str, scan: ProseScan,
               rules: Collection[str] | None = None) -> list[Edit]:
    """Non-overlapping edits for findings with one safe replacement, in document order, each
    verified against the analysed `text` and its `scan` (`certain`): `check --fix` and the
    editor's fix-all apply exactly the same edits. `rules` names the rules whose fixes to apply
    (`check --fix-rule`); without it, all but `OPT_IN_FIXES` (`unlinked-term`)."""
    edits: list[Edit] = []
    last_end = -1
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        if not finding.safe_fix or len(finding.replacements) != 1 or finding.start < last_end:
            continue
        if not _wanted(finding.code, rules):
            continue
        if not certain(finding, text, scan):
            continue
        edits.append((finding.start, finding.end, finding.replacements[0]))
        last_end = finding.end
    return edits


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply sorted, non-overlapping edits in one pass."""
    pieces = []
    cursor = 0
    for start, end, replacement in edits:
        pieces.append(text[cursor:start])
        pieces.append(replacement)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def splice_bytes(raw: bytes, text: str, edits: list[Edit]) -> bytes:
    """The file's bytes with the edits applied: every byte outside the spans is copied from
    `raw` (which must be `text` in UTF-8, after an optional BOM), never re-encoded."""
    prefix = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    pieces = [raw[:prefix]]
    cursor, byte_cursor = 0, prefix
    for start, end, replacement in edits:
        byte_start = byte_cursor + len(text[cursor:start].encode("utf-8"))
        byte_end = byte_start + len(text[start:end].encode("utf-8"))
        pieces += [raw[byte_cursor:byte_start], replacement.encode("utf-8")]
        cursor, byte_cursor = end, byte_end
    pieces.append(raw[byte_cursor:])
    return b"".join(pieces)


class LeavesTree(Exception):
    """A file reached through a symlink whose real path is outside the tree: not written."""

    def __init__(self, target: Path) -> None:
        super().__init__(str(target))
        self.target = target


class ChangedOnDisk(Exception):
    """The file no longer holds the text that was analysed: its findings' spans are stale."""


def fix_file(path: Path, text: str, findings: Iterable[Finding], root: Path,
             scan: ProseScan, rules: Collection[str] | None = None) -> str | None:
    """Apply the safe fixes to a file on disk, atomically; the new text, or None when there was
    nothing to fix.

    `text` and `scan` are the analysed document (read without its BOM). A file reached through a
    symlink (the file's own or a directory's) is fixed only when its real path is inside `root`
    (else LeavesTree): a link must not carry --fix out of the tree. A symlink stays a symlink;
    its target gets the fixes. Raises ChangedOnDisk when the file is not `text` any more,
    UnreadableFile when it cannot be read again, and OSError when writing fails. `rules` as
    for `safe_edits`.
    """
    real = resolve(path)
    if real != Path(os.path.abspath(path)) and root not in real.parents:
        raise LeavesTree(real)
    edits = safe_edits(findings, text, scan, rules)
    if not edits:
        return None
    raw = read_bytes(real)
    body = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
    if body.decode("utf-8", errors="replace") != text:
        raise ChangedOnDisk(str(path))
    fixed = apply_edits(text, edits)
    new = splice_bytes(raw, text, edits)
    if new[len(raw) - len(body):].decode("utf-8") != fixed:  # the splice is the edits, no more
        raise ChangedOnDisk(str(path))
    write_atomically(real, new)
    return fixed
