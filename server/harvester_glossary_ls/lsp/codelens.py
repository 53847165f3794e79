"""textDocument/codeLens: on each entry of an open glossary file, how the workspace uses it.

"N uses in M pages · K deprecated", counted from the workspace index (every folder; a
misspelling is not a use, a deprecated form is one). While the index is still being built the
lens says so, and the client is asked to refresh its lenses when the build ends (where it can
be). The lens is a label: its command id is empty (VS Code renders such a lens as plain text;
`editor.action.showReferences` needs VS Code's own types as arguments, which a server cannot
send), so a click does nothing anywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as t

from harvester_glossary_ls.engine.workspace_index import Usage

if TYPE_CHECKING:
    from harvester_glossary_ls.lsp.session import GlossaryServer


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def lens_title(usage: Usage, complete: bool = True) -> str:
    title = (f"{_plural(usage.uses, 'use')} in {_plural(usage.pages, 'page')} · "
             f"{usage.deprecated} deprecated")
    return title if complete else f"{title} (indexing…)"


def register(server: GlossaryServer) -> None:
    @server.feature(t.TEXT_DOCUMENT_CODE_LENS, t.CodeLensOptions(resolve_provider=False))
    async def code_lens(ls: GlossaryServer, params: t.CodeLensParams) -> list[t.CodeLens] | None:
        await ls.until_ready()
        state = ls.document(params.text_document.uri)
        if state is None or state.path is None or state.kind == "config":
            return None
        entries = ls.index.entries_defined_in(state.path)
        if not entries:
            return None
        ls.index.lens_asked = True
        ls.index.sync_open()
        complete = ls.index.complete
        lenses = []
        for entry in entries:
            assert entry.source is not None
            line = min(entry.source.line, state.positions.lines.line_count - 1)
            at = t.Position(line=line, character=0)
            lenses.append(t.CodeLens(range=t.Range(start=at, end=at), command=t.Command(
                title=lens_title(ls.index.usage(entry.term), complete), command="")))
        return lenses
