"""textDocument/completion and completionItem/resolve: glossary terms while writing prose."""

from __future__ import annotations

from lsprotocol import types as t

from harvester_glossary_ls.engine.complete import candidates
from harvester_glossary_ls.engine.render import hover_markdown, terminal_text
from harvester_glossary_ls.lsp.server import GlossaryServer


def _summary(definition: str) -> str:
    first = definition.split("\n\n", 1)[0].replace("\n", " ")
    return first if len(first) <= 80 else first[:77].rstrip() + "..."


def register(server: GlossaryServer) -> None:
    @server.feature(t.TEXT_DOCUMENT_COMPLETION,
                    t.CompletionOptions(resolve_provider=True, trigger_characters=[]))
    async def completion(ls: GlossaryServer,
                         params: t.CompletionParams) -> t.CompletionList | None:
        await ls.until_ready()
        state = ls.document(params.text_document.uri)
        if state is None or state.analysis is None:
            return None
        offset = state.positions.offset(params.position)
        line_start = state.lines.starts[state.lines.line_of(offset)]
        completion_index = state.analysis.context.compiled.completion
        found = candidates(completion_index, state.analysis, offset, line_start)
        if not found:
            return t.CompletionList(is_incomplete=False, items=[])
        cursor = state.positions.position(offset)
        items = []
        for rank, candidate in enumerate(found):
            start = state.positions.position(candidate.start)
            replaced = t.Range(start=start, end=cursor)
            items.append(t.CompletionItem(
                label=candidate.name,
                kind=t.CompletionItemKind.Text,
                detail=_summary(candidate.entry.definition) or candidate.entry.term,
                sort_text=f"{rank:04d}",
                filter_text=candidate.name,
                text_edit=t.TextEdit(range=replaced, new_text=candidate.name),
                data={"term": candidate.entry.term, "uri": params.text_document.uri},
            ))
        return t.CompletionList(is_incomplete=True, items=items)

    @server.feature(t.COMPLETION_ITEM_RESOLVE)
    async def resolve(ls: GlossaryServer, item: t.CompletionItem) -> t.CompletionItem:
        await ls.until_ready()
        data = item.data if isinstance(item.data, dict) else {}
        term = str(data.get("term", item.label))
        uri = str(data.get("uri", ""))
        state = ls.document(uri) if uri else None
        project = state.project if state else ls.projects.fallback
        compiled = (state.analysis.context.compiled if state and state.analysis
                    else project.default_glossary())
        entry = compiled.index.entry(term)
        if entry is not None:
            if ls.accepts_markdown("text_document", "completion", "completion_item",
                                   "documentation_format"):
                item.documentation = t.MarkupContent(kind=t.MarkupKind.Markdown,
                                                     value=hover_markdown(entry))
            else:  # a plain string: clients that list no format accept no MarkupContent
                item.documentation = terminal_text(entry)
        return item
