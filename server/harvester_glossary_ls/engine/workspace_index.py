"""The workspace index: every use of every glossary term in one workspace folder, and each
file's findings, kept so that references, usage counts and workspace diagnostics never re-read
or re-analyse a file.

One `FolderIndex` per `Project` with a root. It holds, per document the folder's walk yields
(the same walk as `check`, glossary files left out), what the features need and nothing more:
the term uses grouped by entry term (form, kind, span) and the findings with their spans, not
the text. Spans are whatever the caller's `Locate` makes of code-point offsets (the language
server converts them into its negotiated position encoding, `lsp/positions.py`); the engine's
default is (line, column) in code points.

It is filled in steps (`step`), so a caller can interleave the work with other tasks, and kept
current per file: `index_file` re-reads a file only when its (mtime, size) changed, `record`
takes an analysis the caller already has (an open document), `remove` forgets a file.
Nothing here knows about LSP.
"""

from __future__ import annotations

import enum
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from harvester_glossary_ls.engine.analysis import Analysis, analyze
from harvester_glossary_ls.engine.config import CONFIG_NAME
from harvester_glossary_ls.engine.files import UnreadableFile, read_document
from harvester_glossary_ls.engine.glossary_lint import is_glossary_document
from harvester_glossary_ls.engine.models import Finding, Occurrence, OccurrenceKind
from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.engine.rule_codes import SPELLING
from harvester_glossary_ls.engine.walk import (
    is_document,
    language_of,
    not_glossaries,
    skipped_folder,
    walk_documents,
)

Span = tuple[int, int, int, int]
"""(start line, start column, end line, end column), in the units the caller chose."""
Spans = Callable[[int, int], Span]
Locate = Callable[[Analysis], Spans]
"""Makes the span converter for one analysed text (`code_point_spans` by default)."""
Stamp = tuple[int, int]
"""(mtime in ns, size) of a file when it was indexed."""

MAX_FILES = 20_000
MAX_FINDINGS = 1000
"""Findings kept per file (as diagnostics show at most that many)."""


class UseKind(enum.Enum):
    CANONICAL = "canonical"
    """Written as the glossary writes the term (or a YAML kind/key/label of it)."""
    VARIANT = "variant"
    """An alias, another case or an inflection, or a deprecated form still allowed here."""
    DEPRECATED = "deprecated"
    """A deprecated form, in a document whose version the deprecation applies to."""
    MISSPELT = "misspelt"
    """A near-miss spelling (`term-spelling`)."""


class TermUse(NamedTuple):
    """One use of an entry's term in a document (the term is the key it is filed under)."""

    form: str
    """The glossary's spelling that matched (term, alias or deprecated form), or as written
    for a misspelling."""
    kind: UseKind
    start_line: int
    start_char: int
    end_line: int
    end_char: int

    @property
    def span(self) -> Span:
        return self.start_line, self.start_char, self.end_line, self.end_char


class IndexedFinding(NamedTuple):
    finding: Finding
    span: Span


@dataclass(slots=True)
class FileRecord:
    """What the index keeps about one document."""

    path: Path
    stamp: Stamp | None
    """The file's (mtime, size) when read from disk; None when it came from an open document."""
    uses: dict[str, tuple[TermUse, ...]] = field(default_factory=dict)
    findings: tuple[IndexedFinding, ...] = ()
    more_findings: int = 0
    """Findings beyond MAX_FINDINGS that are not kept."""
    serial: int = 0
    """Changes whenever the record's content may have changed (a result id)."""

    def count(self, term: str) -> tuple[int, int]:
        """(uses of `term` that are not misspellings, of which deprecated)."""
        uses = self.uses.get(term, ())
        kept = [u for u in uses if u.kind is not UseKind.MISSPELT]
        return len(kept), sum(1 for u in kept if u.kind is UseKind.DEPRECATED)


class Usage(NamedTuple):
    uses: int
    pages: int
    deprecated: int


def code_point_spans(analysis: Analysis) -> Spans:
    lines = analysis.scan.lines

    def spans(start: int, end: int) -> Span:
        return (*lines.position(start), *lines.position(end))

    return spans


def use_kind(occurrence: Occurrence, analysis: Analysis) -> UseKind:
    dep = occurrence.deprecation
    if occurrence.kind is OccurrenceKind.DEPRECATED or dep is not None:
        context = analysis.context
        if dep is None or dep.applies_to(context.version, context.product):
            return UseKind.DEPRECATED
        return UseKind.VARIANT
    if occurrence.kind is OccurrenceKind.YAML:
        return UseKind.CANONICAL
    if occurrence.kind is OccurrenceKind.ALIAS:
        return UseKind.VARIANT
    written = occurrence.text[:len(occurrence.text) - occurrence.suffix_len]
    form = occurrence.form[:len(occurrence.form) - occurrence.strip]
    return UseKind.CANONICAL if written == form else UseKind.VARIANT


def summarise(analysis: Analysis, spans: Spans) -> tuple[dict[str, tuple[TermUse, ...]],
                                                       tuple[IndexedFinding, ...], int]:
    """An analysis as the index keeps it: uses by term, findings (at most MAX_FINDINGS)."""
    grouped: dict[str, list[TermUse]] = {}
    for occurrence in analysis.occurrences:
        grouped.setdefault(occurrence.entry.term, []).append(
            TermUse(occurrence.form, use_kind(occurrence, analysis),
                    *spans(occurrence.start, occurrence.end)))
    for finding in analysis.findings:
        if finding.code == SPELLING:
            text = analysis.text[finding.start:finding.end]
            grouped.setdefault(finding.entry.term, []).append(
                TermUse(text, UseKind.MISSPELT, *spans(finding.start, finding.end)))
    findings = tuple(IndexedFinding(f, spans(f.start, f.end))
                     for f in analysis.findings[:MAX_FINDINGS])
    more = max(0, len(analysis.findings) - MAX_FINDINGS)
    return {term: tuple(uses) for term, uses in grouped.items()}, findings, more


def _stamp(path: Path) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


class FolderIndex:
    """The index of one workspace folder (a `Project` with a root)."""

    def __init__(self, project: Project, locate: Locate = code_point_spans, *,
                 limit: int = MAX_FILES) -> None:
        self.project = project
        self.root = project.root
        self.locate = locate
        self.limit = limit
        self.files: dict[Path, FileRecord] = {}
        self.by_term: dict[str, set[Path]] = {}
        self.changed: set[Path] = set()
        """Files stored or forgotten since the caller last emptied this (to publish them)."""
        self.planned = False
        """Whether a walk has finished since the last `plan`."""
        self.walked = 0
        """Files the current (or last) walk has yielded."""
        self._walk: Iterator[Path] | None = None
        self._seen: set[Path] = set()
        self._serial = 0
        self.version = 0
        """Changes whenever any record is stored or forgotten (for caches of answers)."""
        self._included: Callable[[Path], bool] | None = None

    # --- building ------------------------------------------------------------------------------

    @property
    def complete(self) -> bool:
        return self.planned and self._walk is None

    def included(self, path: Path) -> bool:
        """Whether `path` is a document of this folder's walk (extension, include/exclude,
        not a configured glossary, inside the root, not in a skipped folder)."""
        if self.root is None or not is_document(path.name):
            return False
        if self.root not in path.parents:
            return False
        if any(skipped_folder(part) for part in path.relative_to(self.root).parts[:-1]):
            return False
        if self._included is None:
            self._included = self._predicate()
        return self._included(path)

    def _predicate(self) -> Callable[[Path], bool]:
        """The walk's filter: include/exclude, not a glossary, not the config file."""
        documents = not_glossaries(self.project.glossary_paths(), self.project.included)

        def included(path: Path) -> bool:
            return path.name != CONFIG_NAME and documents(path)

        return included

    def plan(self) -> None:
        """Start a walk of the folder: `step` (re)checks every document it yields and, at its
        end, forgets the files it did not yield."""
        self._included = self._predicate()
        self._walk = (walk_documents(self.root, self._included, limit=self.limit)
                      if self.root is not None else iter(()))
        self._seen = set()
        self.walked = 0
        self.planned = False

    def step(self, budget: float = 0.004, skip: Callable[[Path], bool] | None = None) -> bool:
        """Walk and index for about `budget` seconds (at least one file); whether the walk has
        more. `skip`: files someone else keeps current (open documents)."""
        deadline = time.perf_counter() + budget
        while self._walk is not None:
            path = next(self._walk, None)
            if path is None:
                for gone in self.files.keys() - self._seen:
                    self.remove(gone)
                self._walk, self._seen, self.planned = None, set(), True
                return False
            self._seen.add(path)
            self.walked += 1
            if skip is None or not skip(path):
                self.index_file(path)
            if time.perf_counter() >= deadline:
                return True
        return False

    def run(self) -> None:
        """Plan and build in one go (the CLI, tests)."""
        self.plan()
        while self.step(1.0):
            pass

    # --- keeping current -----------------------------------------------------------------------

    def index_file(self, path: Path) -> bool:
        """(Re)index one file from disk if it changed since it was indexed; False when it is
        no document (any more): then it is forgotten."""
        stamp = _stamp(path)
        known = self.files.get(path)
        if stamp is None:
            self.remove(path)
            return False
        if known is not None and known.stamp == stamp:
            return True
        language = language_of(path.name)
        if language is None:
            return False
        try:
            text = read_document(path)
        except UnreadableFile:
            self._store(FileRecord(path, stamp))
            return True
        if is_glossary_document(path.name, text):
            self.remove(path)  # where terms are defined, not used
            return False
        analysis = analyze(text, language, self.project.context_for(path))
        self.record(path, analysis, stamp=stamp)
        return True

    def record(self, path: Path, analysis: Analysis | None, *, stamp: Stamp | None = None,
               spans: Spans | None = None) -> None:
        """Store an analysis the caller already has (an open document: `stamp` None)."""
        if analysis is None:
            self._store(FileRecord(path, stamp))
            return
        uses, findings, more = summarise(analysis, spans or self.locate(analysis))
        self._store(FileRecord(path, stamp, uses, findings, more))

    def remove(self, path: Path) -> None:
        """Forget a file, or every file under a folder that is gone."""
        gone = [path] if path in self.files else [p for p in self.files if path in p.parents]
        for item in gone:
            record = self.files.pop(item)
            self._unfile(record)
            self.changed.add(item)
            self.version += 1

    def invalidate(self, path: Path) -> None:
        """The file's record no longer matches the disk (an open document was closed): read it
        again on the next `index_file`."""
        record = self.files.get(path)
        if record is not None:
            record.stamp = None

    def _store(self, record: FileRecord) -> None:
        old = self.files.get(record.path)
        if old is not None:
            self._unfile(old)
        self._serial += 1
        self.version += 1
        record.serial = self._serial
        self.files[record.path] = record
        self.changed.add(record.path)
        for term in record.uses:
            self.by_term.setdefault(term, set()).add(record.path)

    def _unfile(self, record: FileRecord) -> None:
        for term in record.uses:
            paths = self.by_term.get(term)
            if paths is not None:
                paths.discard(record.path)
                if not paths:
                    del self.by_term[term]

    # --- queries -------------------------------------------------------------------------------

    def uses_of(self, term: str, *, misspelt: bool = False) -> Iterator[tuple[Path, TermUse]]:
        """Every use of `term`, by file in sorted order, then by position."""
        for path, uses in self.uses_by_file(term, misspelt=misspelt):
            for use in uses:
                yield path, use

    def uses_by_file(self, term: str, *,
                     misspelt: bool = False) -> Iterator[tuple[Path, tuple[TermUse, ...]]]:
        """The same uses as `uses_of`, in the same order, grouped by file (files left out
        where none is left)."""
        for path in sorted(self.by_term.get(term, ())):
            uses = self.files[path].uses[term]
            if not misspelt:
                uses = tuple(use for use in uses if use.kind is not UseKind.MISSPELT)
            if uses:
                yield path, uses

    def usage(self, term: str) -> Usage:
        uses = pages = deprecated = 0
        for path in self.by_term.get(term, ()):
            count, old = self.files[path].count(term)
            if count:
                uses += count
                pages += 1
                deprecated += old
        return Usage(uses, pages, deprecated)
