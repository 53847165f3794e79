"""Find references waits for the workspace index while it is built; the build can be
cancelled by window/workDoneProgress/cancel (references then answer from what is indexed), and a
references request that finishes a cancelled build can be cancelled by $/cancelRequest
(RequestCancelled, and the build stops with it); the server carries on."""

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
BUILD = "Indexing glossary terms"


def _params(client: GlossaryClient) -> t.ReferenceParams:
    uri = open_doc(client, client.root / "main.md", DOC)
    return t.ReferenceParams(
        text_document=doc_id(uri),
        position=where(DOC, "guest cluster", encoding=client.encoding, inside=1),
        context=t.ReferenceContext(include_declaration=False))


async def _started(client: GlossaryClient, seen: set[int | str]) -> str:
    """A token of an index build not in `seen` that has reported progress and not ended."""
    def reported() -> object:
        for token, reports in client.progress_reports.items():
            if (token not in seen and reports and isinstance(reports[0], t.WorkDoneProgressBegin)
                    and reports[0].title == BUILD
                    and any(isinstance(r, t.WorkDoneProgressReport) for r in reports)
                    and not isinstance(reports[-1], t.WorkDoneProgressEnd)):
                return token
        return None
    return str(await wait_for(reported, timeout=20, message="index build progress"))


async def _ended(client: GlossaryClient, token: str) -> t.WorkDoneProgressEnd:
    end = await wait_for(lambda: [r for r in client.progress_reports[token]
                                  if isinstance(r, t.WorkDoneProgressEnd)], message="end")
    return end[0]  # type: ignore[no-any-return]


async def _still_serving(client: GlossaryClient) -> None:
    uri = open_doc(client, client.root / "main.md", DOC)
    result = await hover(client, uri, where(DOC, "guest cluster", inside=2))
    assert result is not None


async def test_cancel_build_progress(mclient: GlossaryClient) -> None:
    """References wait for the build; cancelling the build answers them with what is indexed."""
    request = asyncio.ensure_future(mclient.text_document_references_async(_params(mclient)))
    token = await _started(mclient, set())
    assert not request.done()
    mclient.window_work_done_progress_cancel(t.WorkDoneProgressCancelParams(token=token))
    found = await asyncio.wait_for(request, timeout=10)
    assert found is not None
    assert 0 < len(found) < PAGES * 30  # a partial result, and not an error
    assert (await _ended(mclient, token)).message == "cancelled"
    await _still_serving(mclient)


async def test_cancel_request(mclient: GlossaryClient) -> None:
    """After the build was cancelled, references finish it under their own progress, and
    $/cancelRequest stops both."""
    seen = set(mclient.progress_reports)
    msg_id = f"references-{mclient.profile}"
    request = asyncio.ensure_future(mclient.protocol.send_request_async(  # type: ignore[no-untyped-call]
        t.TEXT_DOCUMENT_REFERENCES, _params(mclient), msg_id=msg_id))
    token = await _started(mclient, seen)
    mclient.cancel_request(t.CancelParams(id=msg_id))
    with pytest.raises(JsonRpcRequestCancelled):
        await asyncio.wait_for(request, timeout=10)
    assert (await _ended(mclient, token)).message == "cancelled"
    await _still_serving(mclient)
