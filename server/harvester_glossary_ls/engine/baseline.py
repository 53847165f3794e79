"""A baseline: today's findings, recorded so that CI fails only on new ones
(`check --write-baseline FILE`, `check --baseline FILE`).

A finding is identified by what it is, not where it is, so that lines added above it do not
make it new: the file (relative to the root), the rule code, the text found, the line it is on
with whitespace collapsed, and its index among findings with those same four values in that
file (a page that says "harvester-mgmt" twice on identical lines has two entries). Editing the
line a finding is on makes it new again: that line is what someone touched.

The file is JSON, versioned, one entry per line and sorted, so that a baseline diff reads as
the findings that came and went.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from harvester_glossary_ls.engine.files import UnreadableFile, read_text_file

FORMAT_VERSION = 1
MAX_CONTEXT = 200
"""Characters of a finding's line kept as they are; a longer line is cut and hashed."""
MAX_BASELINE_BYTES = 100_000_000
"""A baseline holds about 300 bytes per finding: this is room for 300,000 findings."""
_SPACES = re.compile(r"\s+")
_FIELDS = ("path", "code", "text", "context", "occurrence")


class BaselineError(Exception):
    """A baseline file that cannot be read or is not a baseline; the message is for the user."""


@dataclass(frozen=True, slots=True, order=True)
class Fingerprint:
    """What identifies one finding across edits elsewhere in its file."""

    path: str
    code: str
    text: str
    context: str
    occurrence: int


def collapse(line: str) -> str:
    """A line's text with runs of whitespace made one space, and no leading or trailing space
    (re-indenting or re-wrapping spaces does not make a finding new)."""
    return _SPACES.sub(" ", line).strip()


def context(line: str) -> str:
    """A finding's line as the baseline records it: collapsed, and when longer than
    MAX_CONTEXT its start and a hash of the whole, so that a 1 MB line with 50,000 findings
    does not make a 50 GB baseline."""
    collapsed = collapse(line)
    if len(collapsed) <= MAX_CONTEXT:
        return collapsed
    digest = hashlib.sha256(collapsed.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{collapsed[:MAX_CONTEXT - 40]}… sha256:{digest}"


def fingerprints(path: str, items: Iterable[tuple[str, str, str]]) -> list[Fingerprint]:
    """Fingerprints of one file's findings, given as (code, text found, line text) in document
    order; the occurrence index counts identical ones from the top of the file."""
    seen: Counter[tuple[str, str, str]] = Counter()
    contexts: dict[str, str] = {}  # findings on one line share its (maybe long) text
    result = []
    for code, text, line in items:
        if line not in contexts:
            contexts[line] = context(line)
        key = (code, collapse(text)[:MAX_CONTEXT], contexts[line])
        result.append(Fingerprint(path, *key, seen[key]))
        seen[key] += 1
    return result


def dumps(entries: Iterable[Fingerprint]) -> str:
    """The baseline file's text: sorted, one entry per line, ending in a newline."""
    lines = [json.dumps({name: getattr(entry, name) for name in _FIELDS}, ensure_ascii=False)
             for entry in sorted(set(entries))]
    body = ",\n".join(f"    {line}" for line in lines)
    findings = f"[\n{body}\n  ]" if lines else "[]"
    return (f'{{\n  "version": {FORMAT_VERSION},\n  "tool": "harvester-glossary-ls",\n'
            f'  "findings": {findings}\n}}\n')


def _entry(item: object, number: int) -> Fingerprint:
    if not isinstance(item, dict) or set(item) != set(_FIELDS):
        raise BaselineError(f"finding {number} must have exactly the keys "
                            f"{', '.join(_FIELDS)}")
    values = [item[name] for name in _FIELDS]
    if not all(isinstance(v, str) for v in values[:4]) or not isinstance(values[4], int) \
            or isinstance(values[4], bool) or values[4] < 0:
        raise BaselineError(f"finding {number}: path, code, text and context must be strings "
                            "and occurrence a number from 0")
    return Fingerprint(*values)


def loads(text: str) -> frozenset[Fingerprint]:
    """The entries of a baseline file's text; BaselineError when it is not one we can read."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"not JSON ({error.msg} at line {error.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise BaselineError("not a baseline: expected an object with a 'findings' list")
    if data.get("version") != FORMAT_VERSION:
        raise BaselineError(f"baseline format version {data.get('version')!r} is not "
                            f"{FORMAT_VERSION}: write it again with --write-baseline")
    return frozenset(_entry(item, n) for n, item in enumerate(data["findings"], 1))


def load(path: Path) -> frozenset[Fingerprint]:
    """A baseline file's entries; BaselineError (naming the file) when missing or broken."""
    try:
        return loads(read_text_file(path, MAX_BASELINE_BYTES))
    except UnreadableFile as unreadable:
        reason = "does not exist" if not path.exists() else str(unreadable)
        raise BaselineError(f"baseline {path}: {reason}") from None
    except BaselineError as broken:
        raise BaselineError(f"baseline {path}: {broken}") from None


@dataclass(slots=True)
class Matcher:
    """Which findings a baseline already records, and how many of its entries were not seen."""

    entries: frozenset[Fingerprint]
    used: set[Fingerprint] = field(default_factory=set)

    @property
    def suppressed(self) -> int:
        return len(self.used)

    def known(self, fingerprint: Fingerprint) -> bool:
        """Whether the baseline records this finding (which then counts as suppressed)."""
        if fingerprint not in self.entries:
            return False
        self.used.add(fingerprint)
        return True

    def stale(self, checked_paths: Iterable[str]) -> int:
        """Entries for the files checked in this run that no finding matched any more (fixed,
        or their line was edited): writing the baseline again drops them."""
        paths = set(checked_paths)
        return sum(1 for entry in self.entries if entry.path in paths and entry not in self.used)
