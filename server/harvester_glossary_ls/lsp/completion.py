"""textDocument/completion and completionItem/resolve: glossary terms while writing prose."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as t

from harvester_glossary_ls.engine.complete import Candidate
from harvester_glossary_ls.engine.cursor import completions
from harvester_glossary_ls.engine.render import hover_markdown, terminal_text

if TYPE_CHECKING:
    from harvester_glossary_ls.lsp.session import GlossaryServer


def _summary(definition: str) -> str:
    first = definition.split("\n\n", 1)[0].replace("\n", " ")
    return first if len(first) <= 80 else first[:77].rstrip() + "..."


def _detail(candidate: Candidate) -> str:
    """The first line of the definition, after the name of the glossary it comes from."""
    summary = _summary(candidate.entry.definition) or candidate.entry.term
    glossary = candidate.entry.glossary
    return f"{glossary}: {summary}" if glossary else summary


def _item(candidate: Candidate, rank: int, replaced: t.Range, uri: str) -> t.CompletionItem:
    return t.CompletionItem(
        label=candidate.name,
        kind=t.CompletionItemKind.Text,
        detail=_detail(candidate),
        sort_text=f"{rank:04d}",
        filter_text=candidate.name,
        text_edit=t.TextEdit(range=replaced, new_text=candidate.name),
        data={"term": candidate.entry.term, "uri": uri},
    )


def register(server: GlossaryServer) -> None:
    @server.feature(t.TEXT_DOCUMENT_COMPLETION,
                    t.CompletionOptions(resolve_provider=True, trigger_characters=[]))
    async def completion(ls: GlossaryServer,
                         params: t.CompletionParams) -> t.CompletionList | None:
        await ls.until_ready()
        uri = params.text_document.uri
        state = ls.document(uri)
        if state is None or state.analysis is None:
            return None
        offset = state.positions.offset(params.position)
        found = completions(state.analysis, offset)
        cursor = state.positions.position(offset)
        items = [_item(candidate, rank, t.Range(start=state.positions.position(candidate.start),
                                                end=cursor), uri)
                 for rank, candidate in enumerate(found)]
        return t.CompletionList(is_incomplete=bool(items), items=items)

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
            if ls.client.completion_markdown:
                item.documentation = t.MarkupContent(kind=t.MarkupKind.Markdown,
                                                     value=hover_markdown(entry))
            else:  # a plain string: clients that list no format accept no MarkupContent
                item.documentation = terminal_text(entry)
        return item
