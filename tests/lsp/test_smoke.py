from __future__ import annotations

from pathlib import Path

from lsprotocol import types as t

from tests.lsp.conftest import GlossaryClient, diagnostics, start

TEXT = "# Notes\n\nAttach the VM to the harvester-mgmt network of the guest cluster.\nVM mig"


async def test_smoke(client: GlossaryClient, tmp_path: Path) -> None:
    await start(client, client.profile, tmp_path)
    uri = (tmp_path / "a.md").as_uri()
    client.text_document_did_open(t.DidOpenTextDocumentParams(
        text_document=t.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=TEXT)))
    found = await diagnostics(client, uri, version=1)
    assert [d.code for d in found] == ["deprecated-term"]
    hover = await client.text_document_hover_async(t.HoverParams(
        text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(line=2, character=60)))
    assert hover is not None
    comp = await client.text_document_completion_async(t.CompletionParams(
        text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(line=3, character=6)))
    assert isinstance(comp, t.CompletionList)
    assert [i.label for i in comp.items][:1] == ["VM migration network"]
