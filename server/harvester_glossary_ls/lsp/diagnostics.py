"""Diagnostics: pulled (textDocument/diagnostic) by clients that can, pushed and debounced
otherwise, never both. Glossary and config files get their own problems as diagnostics.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types as t
from pygls.uris import from_fs_path

from harvester_glossary_ls.engine.files import MAX_DOCUMENT_BYTES
from harvester_glossary_ls.engine.models import Finding, Problem
from harvester_glossary_ls.engine.rules import DEPRECATED
from harvester_glossary_ls.lsp.server import GlossaryServer
from harvester_glossary_ls.lsp.state import DocumentState

SOURCE = "harvester-glossary"
PROBLEM_CODE = "glossary-problem"
TOO_MANY_CODE = "too-many-findings"
MAX_DIAGNOSTICS = 1000
"""Diagnostics per document: real pages have a few dozen; 50,000 would be 35 MB of JSON."""


def _related(finding: Finding) -> list[t.DiagnosticRelatedInformation] | None:
    source = finding.entry.source
    if source is None:
        return None
    uri = from_fs_path(source.path)
    if uri is None:
        return None
    position = t.Position(line=source.line, character=0)
    return [t.DiagnosticRelatedInformation(
        location=t.Location(uri=uri, range=t.Range(start=position, end=position)),
        message=f"glossary entry '{finding.entry.term}'")]


def finding_diagnostic(state: DocumentState, finding: Finding,
                       ls: GlossaryServer | None = None) -> t.Diagnostic:
    href = finding.entry.url or next((link.url for link in finding.entry.links), "")
    if ls is not None and not ls.diagnostics_allow("code_description_support"):
        href = ""
    related = ls is None or ls.diagnostics_allow("related_information")
    return t.Diagnostic(
        range=state.positions.range(finding.start, finding.end),
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
                    ls: GlossaryServer | None = None) -> list[t.Diagnostic]:
    if state.kind in ("config", "glossary"):
        return [problem_diagnostic(p, state) for p in state.problems]
    if state.analysis is None:
        return []
    findings = state.analysis.findings
    shown = [finding_diagnostic(state, f, ls) for f in findings[:MAX_DIAGNOSTICS]]
    if len(findings) > MAX_DIAGNOSTICS:  # a generated or pathological file: keep the editor fast
        rest = findings[MAX_DIAGNOSTICS]
        shown.append(t.Diagnostic(
            range=state.positions.range(rest.start, rest.start),
            message=f"{len(findings) - MAX_DIAGNOSTICS} more glossary findings in this file are "
                    f"not shown (at most {MAX_DIAGNOSTICS} are)",
            severity=t.DiagnosticSeverity.Information, code=TOO_MANY_CODE, source=SOURCE))
    return shown


def schedule(ls: GlossaryServer, uri: str, delay: float | None = None) -> None:
    """Push diagnostics for `uri` after the debounce, unless the client pulls them."""
    if ls.client_pulls_diagnostics():
        return
    pending = ls.pending.pop(uri, None)
    if pending is not None:
        pending.cancel()  # only ever cancels the sleep: publishing has no await

    async def run() -> None:
        await asyncio.sleep(ls.debounce_seconds if delay is None else delay)
        await ls.ready.wait()
        ls.pending.pop(uri, None)
        publish(ls, uri)

    ls.pending[uri] = asyncio.ensure_future(run())


def publish(ls: GlossaryServer, uri: str) -> None:
    state = ls.document(uri)
    if state is None:
        return
    ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(
        uri=uri, version=state.version, diagnostics=diagnostics_for(state, ls)))


def publish_problems(ls: GlossaryServer, problems: list[Problem]) -> None:
    """Push problems of config/glossary files that are not open (nobody pulls those) and clear
    files now fixed. An open file has its own diagnostics (pushed or pulled); closing it brings
    these back (see did_close)."""
    by_uri: dict[str, list[t.Diagnostic]] = {}
    for problem in problems:
        uri = from_fs_path(str(Path(problem.path)))
        if uri is None:
            continue
        by_uri.setdefault(uri, []).append(problem_diagnostic(problem))
    for uri in ls.file_problems.keys() - by_uri.keys():
        by_uri[uri] = []
    for uri, items in by_uri.items():
        if uri not in ls.workspace.text_documents:
            ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri,
                                                                            diagnostics=items))
    ls.file_problems = {uri: items for uri, items in by_uri.items() if items}


def refresh_all(ls: GlossaryServer) -> None:
    """After a configuration or glossary change: new diagnostics everywhere."""
    if ls.client_pulls_diagnostics():
        if ls.supports("workspace", "diagnostics", "refresh_support"):
            ls.workspace_diagnostic_refresh(None)
        return
    for uri in list(ls.workspace.text_documents):
        schedule(ls, uri, delay=0)


def register(server: GlossaryServer) -> None:
    @server.feature(t.TEXT_DOCUMENT_DIAGNOSTIC,
                    t.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False,
                                        workspace_diagnostics=False))
    async def pull(ls: GlossaryServer,
                   params: t.DocumentDiagnosticParams) -> t.DocumentDiagnosticReport:
        await ls.ready.wait()
        state = ls.document(params.text_document.uri)
        if state is None:
            return t.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = f"{state.generation}:{state.version}:{len(state.text)}"
        if params.previous_result_id == result_id:
            return t.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return t.RelatedFullDocumentDiagnosticReport(items=diagnostics_for(state, ls),
                                                     result_id=result_id)

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: GlossaryServer, params: t.DidOpenTextDocumentParams) -> None:
        size = len(params.text_document.text)
        if size > MAX_DOCUMENT_BYTES:
            name = params.text_document.uri.rsplit("/", 1)[-1]
            ls.show(f"harvester-glossary-ls: {name} is not checked: {size:,} characters is over "
                    f"the {MAX_DOCUMENT_BYTES:,} limit.", t.MessageType.Warning)
        schedule(ls, params.text_document.uri, delay=0)
        if ls.client_pulls_diagnostics() and params.text_document.uri in ls.file_problems:
            # the client pulls for open files: withdraw the copy pushed while it was closed
            ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(
                uri=params.text_document.uri, diagnostics=[]))

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: GlossaryServer, params: t.DidChangeTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: GlossaryServer, params: t.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.documents.forget(uri)
        pending = ls.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        if uri in ls.file_problems:  # a broken config or glossary: its problems stay shown
            ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(
                uri=uri, diagnostics=ls.file_problems[uri]))
        elif not ls.client_pulls_diagnostics():
            ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri,
                                                                            diagnostics=[]))
