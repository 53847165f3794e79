"""Glossary coverage of a docs tree: which terms are used where, in which spellings, per version.

What the `report` command shows, collected from ordinary analyses (`analysis.analyze`), with no
LSP and no rendering: per term its uses per docs version, per page and per spelling (canonical,
alias, another case, deprecated form, YAML kind); the terms each version's glossary has that its
pages never use; deprecated forms still in use per version; and the findings per page and rule,
the off-by-default `unlinked-term` included (`report_context`).

Every count is a list of indices into `Coverage.places`, so a view can link each number to the
lines behind it. A version is a docs tree's URL segment (`v1.6`, `1.12.0`); a file outside any
docs site is in the version "unversioned". A tree's own glossary page is not a use of its terms
and is left out (as are the files the project loads as glossaries).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from harvester_glossary_ls.engine.analysis import Analysis, CheckContext, analyze
from harvester_glossary_ls.engine.files import UnreadableFile, read_document
from harvester_glossary_ls.engine.models import (
    Entry,
    Occurrence,
    OccurrenceKind,
    format_version,
)
from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.engine.rule_codes import ON_SEVERITY
from harvester_glossary_ls.engine.walk import documents_in, language_of, not_glossaries

UNVERSIONED = "unversioned"
"""The version label of a file outside any docs site's version tree."""

CANONICAL, ALIAS, CASE_VARIANT, DEPRECATED, YAML_KIND = (
    "canonical", "alias", "case variant", "deprecated", "yaml")
"""Spelling categories: as the glossary writes the term, as it writes an alias, one of those in
another case, a deprecated form, a YAML kind/key/label."""

Progress = Callable[[int, int], None]
"""Called with (files done, files in all) after each file."""


@dataclass(frozen=True, slots=True)
class Place:
    """One line a number stands for: path relative to the run's root, 1-based line and column."""

    path: str
    line: int
    column: int
    text: str
    """The line around the place (80 characters before, 120 after), whitespace collapsed."""


@dataclass
class Spelling:
    text: str
    category: str
    places: list[int] = field(default_factory=list)


@dataclass
class TermUse:
    """The uses of one glossary term (every name and deprecated form of its entry)."""

    term: str
    glossary: str
    by_version: dict[str, list[int]] = field(default_factory=dict)
    by_page: dict[str, list[int]] = field(default_factory=dict)
    spellings: dict[str, Spelling] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(p) for p in self.by_version.values())


@dataclass
class DeprecatedUse:
    """A deprecated form's uses per version; `applies[v]`: deprecated in that version."""

    form: str
    term: str
    use: tuple[str, ...]
    since: str
    by_version: dict[str, list[int]] = field(default_factory=dict)
    applies: dict[str, bool] = field(default_factory=dict)


@dataclass
class FindingUse:
    path: str
    code: str
    severity: str
    message: str
    place: int


@dataclass
class Coverage:
    root: Path
    versions: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)
    """Each analysed page and its version."""
    places: list[Place] = field(default_factory=list)
    terms: dict[str, TermUse] = field(default_factory=dict)
    glossary_terms: dict[str, list[str]] = field(default_factory=dict)
    """Per version, the terms its glossary has (in glossary order)."""
    deprecated: dict[str, DeprecatedUse] = field(default_factory=dict)
    findings: list[FindingUse] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    """(path, reason) of files that could not be read."""

    def never_used(self) -> dict[str, list[str]]:
        """Per version, the glossary's terms no page of that version uses."""
        out = {}
        for version in self.versions:
            out[version] = [t for t in self.glossary_terms.get(version, [])
                            if not self.terms.get(t) or not self.terms[t].by_version.get(version)]
        return out

    def deprecated_in_use(self) -> dict[str, dict[str, int]]:
        """Per deprecated form, per version, the uses where the form is deprecated."""
        return {form: {v: len(places) for v, places in use.by_version.items()
                       if use.applies.get(v)}
                for form, use in self.deprecated.items()}


def version_key(label: str) -> tuple[object, ...]:
    """Versions in numeric order (1.11.4 before 1.12.0, v1.6 before v1.7); 'unversioned' last."""
    numbers = tuple(int(n) for n in re.findall(r"\d+", label))
    return (label == UNVERSIONED, numbers, label)


def _relative(path: Path, root: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


class Collector:
    """Adds one analysed file after another to a `Coverage`."""

    def __init__(self, project: Project, root: Path) -> None:
        self.project = project
        self.coverage = Coverage(root)
        self._glossary_pages: set[Path] = set()

    def version_of(self, path: Path) -> str:
        absolute = Path(os.path.abspath(path))
        site = self.project.site_for(absolute)
        tree = site.tree_for(absolute.parent) if site is not None else None
        if tree is None:
            return UNVERSIONED
        if tree.page is not None:
            self._glossary_pages.add(Path(os.path.abspath(tree.page)))
        return tree.url_segment.strip("/") or format_version(tree.version)

    def is_glossary_page(self, path: Path) -> bool:
        return Path(os.path.abspath(path)) in self._glossary_pages

    def _place(self, name: str, analysis: Analysis, offset: int) -> int:
        lines, text = analysis.scan.lines, analysis.text
        line, column = lines.position(offset)
        start = max(lines.starts[line], offset - 80)
        content = " ".join(text[start:min(lines.line_end(line), offset + 120)].split())
        if start > lines.starts[line]:
            content = "…" + content
        self.coverage.places.append(Place(name, line + 1, column + 1, content))
        return len(self.coverage.places) - 1

    def _term(self, entry: Entry) -> TermUse:
        use = self.coverage.terms.get(entry.term)
        if use is None:
            use = self.coverage.terms[entry.term] = TermUse(entry.term, entry.glossary)
        return use

    def add(self, path: Path, analysis: Analysis, version: str) -> None:
        cov = self.coverage
        name = _relative(path, cov.root)
        cov.pages[name] = version
        if version not in cov.glossary_terms:
            cov.versions.append(version)
            cov.versions.sort(key=version_key)
            cov.glossary_terms[version] = [e.term for e in
                                           analysis.context.compiled.glossary.entries]
        for occurrence in analysis.occurrences:
            place = self._place(name, analysis, occurrence.start)
            use = self._term(occurrence.entry)
            use.by_version.setdefault(version, []).append(place)
            use.by_page.setdefault(name, []).append(place)
            written, category = _spelling(occurrence)
            spelling = use.spellings.get(written)
            if spelling is None:
                spelling = use.spellings[written] = Spelling(written, category)
            spelling.places.append(place)
            self._deprecated(occurrence, analysis, version, place)
        for finding in analysis.findings:
            cov.findings.append(FindingUse(name, finding.code, finding.severity.label,
                                           finding.message,
                                           self._place(name, analysis, finding.start)))

    def _deprecated(self, occurrence: Occurrence, analysis: Analysis, version: str,
                    place: int) -> None:
        dep = occurrence.deprecation
        if dep is None:
            return
        use = self.coverage.deprecated.get(dep.form)
        if use is None:
            since = format_version(dep.since) if dep.since else ""
            use = self.coverage.deprecated[dep.form] = DeprecatedUse(
                dep.form, occurrence.entry.term, dep.use, since)
        use.by_version.setdefault(version, []).append(place)
        use.applies[version] = dep.applies_to(analysis.context.version, analysis.context.product)


def _spelling(occurrence: Occurrence) -> tuple[str, str]:
    """The spelling as written, without its inflection, and its category."""
    text = occurrence.text
    text = " ".join(text.split())
    base = text[:len(text) - occurrence.suffix_len] if occurrence.suffix_len else text
    if occurrence.kind == OccurrenceKind.YAML:
        return text, YAML_KIND
    if occurrence.kind == OccurrenceKind.DEPRECATED or occurrence.deprecation is not None:
        return base, DEPRECATED
    form = occurrence.form
    written = base + form[len(form) - occurrence.strip:] if occurrence.strip else base
    if written == form:
        return form, ALIAS if occurrence.kind == OccurrenceKind.ALIAS else CANONICAL
    return written, CASE_VARIANT


def documents(project: Project, paths: Iterable[str],
              missing: Callable[[str], None] | None = None) -> list[Path]:
    """The documents `check PATH…` would read (config include/exclude, glossaries left out)."""
    checked = not_glossaries(project.glossary_paths(), project.included)
    return [p for p in documents_in(paths, checked, missing=missing)
            if language_of(p.name) is not None]


def collect(project: Project, files: list[Path], root: Path,
            progress: Progress | None = None) -> Coverage:
    """Analyse every file and collect its term uses and findings."""
    collector = Collector(project, root.resolve())
    for done, path in enumerate(files, 1):
        version = collector.version_of(path)
        if not collector.is_glossary_page(path):
            _collect_one(collector, path, version)
        if progress is not None:
            progress(done, len(files))
    return collector.coverage


def _collect_one(collector: Collector, path: Path, version: str) -> None:
    try:
        text = read_document(path)
    except UnreadableFile as unreadable:
        collector.coverage.errors.append((str(path), str(unreadable)))
        return
    language = language_of(path.name)
    assert language is not None  # documents() keeps only these
    context = report_context(collector.project, collector.project.context_for(path.resolve()))
    analysis = analyze(text, language, context)
    collector.add(path, analysis, version)


def report_context(project: Project, context: CheckContext) -> CheckContext:
    """The report counts the off-by-default rules (`unlinked-term`) too, at their on-severity,
    unless the config names their severity (`off` included)."""
    configured = dict(project.config.rules or ())
    wanted = {code: severity for code, severity in ON_SEVERITY.items()
              if code not in configured and context.settings.severity(code) is None}
    if not wanted:
        return context
    settings = context.settings
    return replace(context, settings=replace(
        settings, severities={**settings.severities, **wanted}))


def as_json(coverage: Coverage) -> dict[str, object]:
    """The coverage as plain data (`report --format json`); places as `path:line:col`."""
    def where(indices: list[int]) -> list[str]:
        return [f"{p.path}:{p.line}:{p.column}" for p in (coverage.places[i] for i in indices)]

    terms = []
    for use in sorted(coverage.terms.values(), key=lambda u: (-u.count, u.term.casefold())):
        pages = sorted(use.by_page.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        terms.append({
            "term": use.term, "glossary": use.glossary, "count": use.count,
            "versions": {v: len(use.by_version[v]) for v in coverage.versions
                         if v in use.by_version},
            "pages": [{"path": path, "count": len(places), "places": where(places)}
                      for path, places in pages],
            "spellings": [{"text": s.text, "category": s.category, "count": len(s.places),
                           "places": where(s.places)}
                          for s in sorted(use.spellings.values(),
                                          key=lambda s: (-len(s.places), s.text))],
        })
    deprecated = [{"form": d.form, "term": d.term, "use": list(d.use), "since": d.since,
                   "versions": {v: {"count": len(d.by_version[v]), "deprecated": d.applies[v],
                                    "places": where(d.by_version[v])}
                                for v in coverage.versions if v in d.by_version}}
                  for d in sorted(coverage.deprecated.values(), key=lambda d: d.form.casefold())]
    return {
        "versions": coverage.versions,
        "pages": len(coverage.pages),
        "terms": terms,
        "never_used": coverage.never_used(),
        "deprecated": deprecated,
        "findings": [{"path": f.path, "code": f.code, "severity": f.severity,
                      "message": f.message, "line": coverage.places[f.place].line,
                      "column": coverage.places[f.place].column} for f in coverage.findings],
        "errors": [{"path": path, "message": reason} for path, reason in coverage.errors],
    }
