"""One call from document text to occurrences and findings: the engine's front door.

Both the CLI and the language server call `analyze`; the server caches the result per document
version, so hover, completion and diagnostics all read the same scan.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from harvester_glossary_ls.engine.index import TermIndex

if TYPE_CHECKING:
    from harvester_glossary_ls.engine.complete import CompletionIndex
from harvester_glossary_ls.engine.models import (
    Finding,
    Glossary,
    Occurrence,
    OccurrenceKind,
    Version,
)
from harvester_glossary_ls.engine.rules import RuleSettings, evaluate
from harvester_glossary_ls.engine.scan import ProseScan, StructuralHit
from harvester_glossary_ls.engine.scan_markdown import scan_markdown
from harvester_glossary_ls.engine.scan_yaml import scan_yaml
from harvester_glossary_ls.engine.spelling import SpellingIndex
from harvester_glossary_ls.engine.suppress import find_suppressions

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")
YAML_SUFFIXES = (".yaml", ".yml")


def language_of(path: str) -> str | None:
    """"markdown", "yaml" or None, from a file name."""
    lower = path.lower()
    if lower.endswith(MARKDOWN_SUFFIXES):
        return "markdown"
    if lower.endswith(YAML_SUFFIXES):
        return "yaml"
    return None


@dataclass(frozen=True)
class CompiledGlossary:
    """A glossary with the structures matching needs, built once per glossary change."""

    glossary: Glossary
    index: TermIndex
    spelling: SpellingIndex

    @classmethod
    def build(cls, glossary: Glossary) -> CompiledGlossary:
        return cls(glossary, TermIndex(glossary), SpellingIndex(glossary))

    @cached_property
    def completion(self) -> CompletionIndex:
        """Built on the first completion request, not for every CLI check."""
        from harvester_glossary_ls.engine.complete import CompletionIndex

        return CompletionIndex(self.glossary)


@dataclass(frozen=True)
class CheckContext:
    """Everything a document's analysis depends on besides its text."""

    compiled: CompiledGlossary
    settings: RuleSettings = field(default_factory=RuleSettings)
    version: Version | None = None


@dataclass(frozen=True)
class Analysis:
    text: str
    language: str
    scan: ProseScan
    occurrences: tuple[Occurrence, ...]
    findings: tuple[Finding, ...]
    context: CheckContext

    @cached_property
    def hover_occurrences(self) -> tuple[Occurrence, ...]:
        """Occurrences plus YAML kinds in Markdown code examples (for hover, never findings)."""
        if self.language != "markdown":
            return self.occurrences
        extra = _fenced_yaml(self.text, self.scan, self.context)
        return tuple(sorted(self.occurrences + tuple(extra), key=lambda o: o.start))

    @cached_property
    def _starts(self) -> list[int]:
        return [o.start for o in self.hover_occurrences]

    def occurrence_at(self, offset: int) -> Occurrence | None:
        """The occurrence covering `offset` (its end counts too, for a cursor after a word)."""
        found = self.hover_occurrences
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and found[i].start <= offset <= found[i].end:
            return found[i]
        if i >= 1 and found[i - 1].start <= offset <= found[i - 1].end:
            return found[i - 1]
        return None

    def findings_in(self, start: int, end: int) -> list[Finding]:
        return [f for f in self.findings if f.start <= end and start <= f.end]


def _structural(text: str, hits: tuple[StructuralHit, ...], index: TermIndex) -> list[Occurrence]:
    out = []
    for hit in hits:
        entry = index.entry(hit.rule.term)
        if entry is None:
            continue
        dep = hit.rule.deprecation
        out.append(Occurrence(hit.start, hit.end, entry, OccurrenceKind.YAML,
                              entry.term, text[hit.start:hit.end], deprecation=dep,
                              rule=hit.rule))
    return out


def _merge(primary: list[Occurrence], secondary: list[Occurrence]) -> tuple[Occurrence, ...]:
    """Structural (YAML rule) hits win over text hits they overlap."""
    if not primary:
        return tuple(secondary)
    spans = sorted((o.start, o.end) for o in primary)
    kept = [o for o in secondary
            if not any(s < o.end and o.start < e for s, e in spans)]
    return tuple(sorted(primary + kept, key=lambda o: o.start))


def _fenced_yaml(text: str, scan: ProseScan, ctx: CheckContext) -> list[Occurrence]:
    """Kinds and keys inside ```yaml examples in Markdown: for hover only, never findings."""
    rules = ctx.compiled.glossary.yaml_rules
    out: list[Occurrence] = []
    if not rules:
        return out
    for start, end, info in scan.code_blocks:
        if info not in ("yaml", "yml", "") or "kind:" not in text[start:end]:
            continue
        body_start = text.find("\n", start) + 1
        body = text[body_start:end]
        inner = scan_yaml(body, rules)
        for occ in _structural(body, inner.structural, ctx.compiled.index):
            out.append(Occurrence(occ.start + body_start, occ.end + body_start, occ.entry,
                                  occ.kind, occ.form, occ.text, rule=occ.rule))
    return out


def analyze(text: str, language: str, ctx: CheckContext) -> Analysis:
    """Scan, match and evaluate one document. Never raises on any text."""
    index = ctx.compiled.index
    if language == "yaml":
        scan = scan_yaml(text, ctx.compiled.glossary.yaml_rules)
        structural = _structural(text, scan.structural, index)
    else:
        scan = scan_markdown(text)
        structural = []
    prose = index.find(text, scan.match_text)
    occurrences = _merge(structural, prose)
    covered = [(o.start, o.end) for o in occurrences]
    near = ctx.compiled.spelling.find(scan.match_text, covered)
    suppressions = find_suppressions(text, scan.lines, [(s, e) for s, e, _ in scan.code_blocks])
    findings = evaluate(text, scan, occurrences, near, ctx.settings, ctx.version, suppressions)
    return Analysis(text, language, scan, occurrences, tuple(findings), ctx)
