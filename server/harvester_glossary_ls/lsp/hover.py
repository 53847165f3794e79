"""textDocument/hover: the entry of the term under the cursor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as t

from harvester_glossary_ls.engine.render import hover_markdown, terminal_text

if TYPE_CHECKING:
    from harvester_glossary_ls.lsp.session import GlossaryServer


def register(server: GlossaryServer) -> None:
    @server.feature(t.TEXT_DOCUMENT_HOVER)
    async def hover(ls: GlossaryServer, params: t.HoverParams) -> t.Hover | None:
        await ls.until_ready()
        state = ls.document(params.text_document.uri)
        if state is None or state.language is None or state.kind != "document":
            return None
        occurrence = state.hover_occurrence(state.positions.offset(params.position))
        if occurrence is None:
            return None
        if ls.client.hover_markdown:
            contents = t.MarkupContent(kind=t.MarkupKind.Markdown,
                                       value=hover_markdown(occurrence.entry, occurrence))
        else:
            contents = t.MarkupContent(kind=t.MarkupKind.PlainText,
                                       value=terminal_text(occurrence.entry))
        return t.Hover(contents=contents,
                       range=state.positions.range(occurrence.start, occurrence.end))
