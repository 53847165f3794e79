"""Engine results as LSP values: findings and problems as diagnostics, entries as locations.

Shared by the features and by the server's own operations (publishing diagnostics), so no
feature has to import another.
"""

from __future__ import annotations

from lsprotocol import types as t
from pygls.uris import from_fs_path

from harvester_glossary_ls.engine.models import Entry, Finding, Problem
from harvester_glossary_ls.engine.rule_codes import DEPRECATED
from harvester_glossary_ls.lsp.capabilities import ClientFeatures
from harvester_glossary_ls.lsp.state import DocumentState

SOURCE = "harvester-glossary"
PROBLEM_CODE = "glossary-problem"
TOO_MANY_CODE = "too-many-findings"
MAX_DIAGNOSTICS = 1000
"""Diagnostics per document: real pages have a few dozen; 50,000 would be 35 MB of JSON."""


def entry_location(entry: Entry) -> t.Location | None:
    """Where the glossary defines `entry` (its heading or YAML item), if known."""
    if entry.source is None:
        return None
    uri = from_fs_path(entry.source.path)
    if uri is None:
        return None
    position = t.Position(line=entry.source.line, character=0)
    return t.Location(uri=uri, range=t.Range(start=position, end=position))


def _related(finding: Finding) -> list[t.DiagnosticRelatedInformation] | None:
    location = entry_location(finding.entry)
    if location is None:
        return None
    return [t.DiagnosticRelatedInformation(
        location=location, message=f"glossary entry '{finding.entry.term}'")]


def finding_diagnostic(state: DocumentState, finding: Finding,
                       client: ClientFeatures | None = None) -> t.Diagnostic:
    """A finding as a diagnostic; optional fields only for a client that takes them."""
    return ranged_diagnostic(state.positions.range(finding.start, finding.end), finding, client)


def span_range(span: tuple[int, int, int, int]) -> t.Range:
    """A workspace index span (already in the client's position encoding) as a range."""
    return t.Range(start=t.Position(line=span[0], character=span[1]),
                   end=t.Position(line=span[2], character=span[3]))


def ranged_diagnostic(where: t.Range, finding: Finding,
                      client: ClientFeatures | None = None) -> t.Diagnostic:
    """A finding at a range already converted (an open document's, or the workspace index's
    for a closed file)."""
    href = finding.entry.url or next((link.url for link in finding.entry.links), "")
    if client is not None and not client.code_description:
        href = ""
    related = client is None or client.related_information
    return t.Diagnostic(
        range=where,
        message=finding.message,
        severity=t.DiagnosticSeverity(int(finding.severity)),
        code=finding.code,
        code_description=t.CodeDescription(href=href) if href.startswith("http") else None,
        source=SOURCE,
        tags=[t.DiagnosticTag.Deprecated] if finding.code == DEPRECATED else None,
        related_information=_related(finding) if related else None,
        data={"code": finding.code, "replacements": list(finding.replacements),
              "safe": finding.safe_fix, "term": finding.entry.term},
    )


def problem_diagnostic(problem: Problem, state: DocumentState | None = None) -> t.Diagnostic:
    """A config or glossary problem; on an open file it spans the rest of its line."""
    line = max(problem.line, 0)
    if state is not None and line < state.positions.lines.line_count:
        lines = state.positions.lines
        line_start, line_end = lines.starts[line], lines.line_end(line)
        start = min(line_start + max(problem.column, 0), line_end)
        text = state.text[start:line_end]
        start += len(text) - len(text.lstrip())
        end = line_start + len(state.text[line_start:line_end].rstrip("\r \t"))
        if end <= start:
            end = line_end
        problem_range = state.positions.range(start, max(start, end))
    else:
        position = t.Position(line=line, character=max(problem.column, 0))
        end_position = t.Position(line=line, character=max(problem.column, 0) + 1)
        problem_range = t.Range(start=position, end=end_position)
    return t.Diagnostic(range=problem_range, message=problem.message,
                        severity=t.DiagnosticSeverity(int(problem.severity)),
                        code=PROBLEM_CODE, source=SOURCE)


def diagnostics_for(state: DocumentState,
                    client: ClientFeatures | None = None) -> list[t.Diagnostic]:
    """An open document's diagnostics: its findings, or its problems (config, glossary)."""
    if state.kind in ("config", "glossary"):
        return [problem_diagnostic(p, state) for p in state.problems]
    if state.analysis is None:
        return []
    findings = state.analysis.findings
    shown = [finding_diagnostic(state, f, client) for f in findings[:MAX_DIAGNOSTICS]]
    if len(findings) > MAX_DIAGNOSTICS:  # a generated or pathological file: keep the editor fast
        rest = findings[MAX_DIAGNOSTICS]
        shown.append(t.Diagnostic(
            range=state.positions.range(rest.start, rest.start),
            message=f"{len(findings) - MAX_DIAGNOSTICS} more glossary findings in this file are "
                    f"not shown (at most {MAX_DIAGNOSTICS} are)",
            severity=t.DiagnosticSeverity.Information, code=TOO_MANY_CODE, source=SOURCE))
    return shown


def too_many_diagnostic(where: t.Range, more: int) -> t.Diagnostic:
    return t.Diagnostic(
        range=where, message=f"{more} more glossary findings in this file are not shown "
                             f"(at most {MAX_DIAGNOSTICS} are)",
        severity=t.DiagnosticSeverity.Information, code=TOO_MANY_CODE, source=SOURCE)
