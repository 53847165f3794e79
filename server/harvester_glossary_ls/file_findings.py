"""One checked file's findings as `check` reports them, without the file's text.

`check` needs, per finding, its place (line and column), what the report formats print, and the
text a baseline fingerprint quotes. Taking those out of the Analysis once lets the same value
come from three places with one meaning: the analysis in this process, a worker process (it is
sent back as JSON), and `--cache` (it is stored as JSON).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from harvester_glossary_ls.engine.models import Entry, Finding, Severity

if TYPE_CHECKING:
    from harvester_glossary_ls.engine.analysis import Analysis

Place = tuple[int, int, int, int]
"""1-based (line, column, end line, end column)."""


@dataclass(frozen=True, slots=True)
class FileFindings:
    """The findings of one file in document order, each with its place and its quote:
    (the text found, the whole line it is on), which a baseline fingerprint is made of."""

    findings: tuple[Finding, ...] = ()
    places: tuple[Place, ...] = ()
    quotes: tuple[tuple[str, str], ...] = ()

    @staticmethod
    def of(analysis: Analysis) -> FileFindings:
        lines, text = analysis.scan.lines, analysis.text
        line_texts: dict[int, str] = {}  # one slice per line: a 1 MB line may hold 50,000
        places, quotes = [], []
        for finding in analysis.findings:
            line, column = lines.position(finding.start)
            end_line, end_column = lines.position(finding.end)
            places.append((line + 1, column + 1, end_line + 1, end_column + 1))
            if line not in line_texts:
                line_texts[line] = text[lines.starts[line]:lines.line_end(line)]
            quotes.append((text[finding.start:finding.end], line_texts[line]))
        return FileFindings(tuple(analysis.findings), tuple(places), tuple(quotes))

    def to_json(self) -> list[list[Any]]:
        """What a report needs of each finding; the glossary entry is kept by its term only."""
        return [[f.code, int(f.severity), f.start, f.end, f.message, f.entry.term,
                 list(f.replacements), f.safe_fix, list(place), list(quote)]
                for f, place, quote in zip(self.findings, self.places, self.quotes, strict=True)]

    @staticmethod
    def from_json(items: list[list[Any]]) -> FileFindings:
        """The inverse of `to_json`; a KeyError/ValueError/TypeError for data of another shape
        (the cache treats that as a miss)."""
        findings, places, quotes = [], [], []
        for code, severity, start, end, message, term, replacements, safe, place, quote in items:
            findings.append(Finding(str(code), Severity(int(severity)), int(start), int(end),
                                    str(message), Entry(str(term)),
                                    tuple(str(r) for r in replacements), bool(safe)))
            line, column, end_line, end_column = (int(n) for n in place)
            places.append((line, column, end_line, end_column))
            found, line_text = quote
            quotes.append((str(found), str(line_text)))
        return FileFindings(tuple(findings), tuple(places), tuple(quotes))
