"""textDocument/diagnostic and workspace/diagnostic: diagnostics pulled by clients that can (and
can be refreshed).

Everyone else gets them pushed, debounced, by the server (`GlossaryServer.schedule_push`,
scheduled from `documents`), never both. Glossary and config files get their own problems as
diagnostics; `convert` turns findings and problems into diagnostics.

workspace/diagnostic answers from the workspace index (closed files only: open ones are pulled
per document), after the index build; each file's result id changes only when its record does,
so a file the client already holds costs one `unchanged` item. `workspaceDiagnostics: false`
answers nothing. Pushing clients get closed files' findings only with `workspaceDiagnostics:
true` (`lsp.indexer`).
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
                                        workspace_diagnostics=True))
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

    @server.feature(t.WORKSPACE_DIAGNOSTIC)
    async def pull_workspace(ls: GlossaryServer,
                             params: t.WorkspaceDiagnosticParams) -> t.WorkspaceDiagnosticReport:
        await ls.until_ready()
        # a build the user cancelled is not restarted by the client's periodic pulls
        await ls.index.ensure_complete(params.work_done_token, restart=False)
        ls.index.sync_open()
        return ls.index.workspace_report(list(params.previous_result_ids))
