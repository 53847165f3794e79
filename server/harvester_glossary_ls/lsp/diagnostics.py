"""textDocument/diagnostic: diagnostics pulled by clients that can (and can be refreshed).

Everyone else gets them pushed, debounced, by the server (`GlossaryServer.schedule_push`,
scheduled from `documents`), never both. Glossary and config files get their own problems as
diagnostics; `convert` turns findings and problems into diagnostics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as t

from harvester_glossary_ls.lsp.convert import SOURCE, diagnostics_for

if TYPE_CHECKING:
    from harvester_glossary_ls.lsp.session import GlossaryServer



def register(server: GlossaryServer) -> None:
    @server.feature(t.TEXT_DOCUMENT_DIAGNOSTIC,
                    t.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False,
                                        workspace_diagnostics=False))
    async def pull(ls: GlossaryServer,
                   params: t.DocumentDiagnosticParams) -> t.DocumentDiagnosticReport:
        await ls.until_ready()
        state = ls.document(params.text_document.uri)
        if state is None:
            return t.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = f"{state.generation}:{state.version}:{len(state.text)}"
        if params.previous_result_id == result_id:
            return t.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return t.RelatedFullDocumentDiagnosticReport(items=diagnostics_for(state, ls.client),
                                                     result_id=result_id)
