"""Find references on a large workspace can be cancelled, by window/workDoneProgress/cancel
(a partial result) or by $/cancelRequest (RequestCancelled), and the server carries on."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types as t
from pygls.exceptions import JsonRpcRequestCancelled

from tests.lsp.conftest import GlossaryClient, doc_id, hover, open_doc, wait_for, where

pytestmark = pytest.mark.asyncio(loop_scope="module")
PROFILES = ["visual_studio_code", "neovim"]

PAGES = 3000
PAGE = "# Page\n\n" + "A guest cluster runs on Harvester nodes, says paragraph {n}.\n\n" * 30
DOC = "The guest cluster.\n"
FILES = {f"docs/part-{n // 100}/page-{n:04d}.md": PAGE.format(n=n) for n in range(PAGES)}


def _params(client: GlossaryClient) -> t.ReferenceParams:
    uri = open_doc(client, client.root / "main.md", DOC)
    return t.ReferenceParams(
        text_document=doc_id(uri),
        position=where(DOC, "guest cluster", encoding=client.encoding, inside=1),
        context=t.ReferenceContext(include_declaration=False))


async def _started(client: GlossaryClient, before: set[int | str]) -> str:
    """The server's new progress token, once it has reported progress at least once."""
    def reported() -> object:
        for token in set(client.progress_reports) - before:
            if any(isinstance(r, t.WorkDoneProgressReport)
                   for r in client.progress_reports[token]):
                return token
        return None
    return str(await wait_for(reported, timeout=20, message="a progress report"))


async def _ended(client: GlossaryClient, token: str) -> t.WorkDoneProgressEnd:
    end = await wait_for(lambda: [r for r in client.progress_reports[token]
                                  if isinstance(r, t.WorkDoneProgressEnd)], message="end")
    return end[0]  # type: ignore[no-any-return]


async def _still_serving(client: GlossaryClient) -> None:
    uri = open_doc(client, client.root / "main.md", DOC)
    result = await hover(client, uri, where(DOC, "guest cluster", inside=2))
    assert result is not None


async def test_cancel_progress(mclient: GlossaryClient) -> None:
    before = set(mclient.progress_reports)
    request = asyncio.ensure_future(mclient.text_document_references_async(_params(mclient)))
    token = await _started(mclient, before)
    started = asyncio.get_running_loop().time()
    mclient.window_work_done_progress_cancel(t.WorkDoneProgressCancelParams(token=token))
    found = await asyncio.wait_for(request, timeout=10)
    took = asyncio.get_running_loop().time() - started
    assert found is not None
    assert 0 < len(found) < PAGES * 30  # a partial result, and not an error
    assert took < 2.0
    assert (await _ended(mclient, token)).message == "cancelled"
    await _still_serving(mclient)


async def test_cancel_request(mclient: GlossaryClient) -> None:
    before = set(mclient.progress_reports)
    msg_id = f"references-{mclient.profile}"
    request = asyncio.ensure_future(mclient.protocol.send_request_async(  # type: ignore[no-untyped-call]
        t.TEXT_DOCUMENT_REFERENCES, _params(mclient), msg_id=msg_id))
    token = await _started(mclient, before)
    mclient.cancel_request(t.CancelParams(id=msg_id))
    with pytest.raises(JsonRpcRequestCancelled):
        await asyncio.wait_for(request, timeout=10)
    assert (await _ended(mclient, token)).message == "cancelled"
    await _still_serving(mclient)
