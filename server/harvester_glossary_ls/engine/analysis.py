"""One call from document text to occurrences and findings: the engine's front door.

Both the CLI and the language server call `analyze`; the server caches the result per document
version, so hover, completion and diagnostics all read the same scan. The glossary it matches
against comes compiled (`compiled.CheckContext`); what is under a cursor is `cursor`'s job.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from harvester_glossary_ls.engine.compiled import CheckContext, CompiledGlossary
from harvester_glossary_ls.engine.index import TermIndex
from harvester_glossary_ls.engine.models import Finding, Occurrence, OccurrenceKind
from harvester_glossary_ls.engine.rules import evaluate
from harvester_glossary_ls.engine.scan import ProseScan, StructuralHit
from harvester_glossary_ls.engine.scan_markdown import scan_markdown
from harvester_glossary_ls.engine.scan_yaml import scan_yaml
from harvester_glossary_ls.engine.suppress import find_suppressions

__all__ = ["Analysis", "CheckContext", "CompiledGlossary", "analyze"]
"""`CheckContext` and `CompiledGlossary` live in `compiled`; importable from here too."""



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
        extra = [o for i in range(len(self.scan.code_blocks)) for o in self._block_hits(i)]
        return tuple(sorted(self.occurrences + tuple(extra), key=lambda o: o.start))

    @cached_property
    def _starts(self) -> list[int]:
        return [o.start for o in self.occurrences]

    @cached_property
    def _block_starts(self) -> list[int]:
        return [start for start, _, _ in self.scan.code_blocks]

    @cached_property
    def _blocks_scanned(self) -> dict[int, list[Occurrence]]:
        return {}

    def _block_hits(self, index: int) -> list[Occurrence]:
        """YAML rule hits of one fenced block, scanned on first use (hover needs one block)."""
        hits = self._blocks_scanned.get(index)
        if hits is None:
            hits = _fenced_yaml(self.text, self.scan.code_blocks[index], self.context)
            self._blocks_scanned[index] = hits
        return hits

    def occurrence_at(self, offset: int) -> Occurrence | None:
        """The occurrence covering `offset` (its end counts too, for a cursor after a word)."""
        found = self.occurrences
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and found[i].start <= offset <= found[i].end:
            return found[i]
        if i >= 1 and found[i - 1].start <= offset <= found[i - 1].end:
            return found[i - 1]
        if self.language != "markdown" or not self.scan.code_blocks:
            return None
        block = bisect.bisect_right(self._block_starts, offset) - 1
        if block < 0 or offset > self.scan.code_blocks[block][1]:
            return None
        return next((o for o in self._block_hits(block) if o.start <= offset <= o.end), None)

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


def _fenced_yaml(text: str, block: tuple[int, int, str], ctx: CheckContext) -> list[Occurrence]:
    """Kinds and keys inside one ```yaml example in Markdown: for hover only, never findings."""
    rules = ctx.compiled.glossary.yaml_rules
    start, end, info = block
    if not rules or info not in ("yaml", "yml", "") or "kind:" not in text[start:end]:
        return []
    body_start = text.find("\n", start) + 1
    body = text[body_start:end]
    inner = scan_yaml(body, rules)
    return [Occurrence(occ.start + body_start, occ.end + body_start, occ.entry, occ.kind,
                       occ.form, occ.text, rule=occ.rule)
            for occ in _structural(body, inner.structural, ctx.compiled.index)]


_AUTO_GENERATED = re.compile(r"""^auto_generated\s*[:=]\s*["']?(?:true|yes|on)["']?\s*(?:#.*)?$""",
                             re.IGNORECASE | re.MULTILINE)
_FRONT_MATTER_END = {"---": re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE),
                     "+++": re.compile(r"^\+\+\+[ \t]*\r?$", re.MULTILINE)}


def auto_generated(text: str) -> bool:
    """Front matter (YAML `---` or TOML `+++`) that says `auto_generated: true`: a reference page
    generated from source code, whose wording is fixed in the source, not on the page."""
    fence = text[:3]
    if fence not in _FRONT_MATTER_END or "auto_generated" not in text[:20_000]:
        return False
    end = _FRONT_MATTER_END[fence].search(text, 3)
    front = text[3:end.start() if end else len(text)]
    return _AUTO_GENERATED.search(front) is not None


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
    near = ctx.compiled.spelling.find(scan.match_text, covered, text)
    suppressions = find_suppressions(text, scan.lines, [(s, e) for s, e, _ in scan.code_blocks])
    findings = evaluate(text, scan, occurrences, near, ctx.settings, ctx.version, suppressions,
                        ctx.product, ctx.compiled.casing,
                        ctx.links if language == "markdown" else None)
    if language == "markdown" and not ctx.settings.check_generated and auto_generated(text):
        findings = []  # occurrences stay: hover and references still work on the page
    return Analysis(text, language, scan, occurrences, tuple(findings), ctx)
