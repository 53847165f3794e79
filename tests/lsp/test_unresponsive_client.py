"""A client that never answers workspace/configuration must not keep the server from serving."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.lsp.conftest import lsp_fixture

SERVER = [sys.executable, "-m", "harvester_glossary_ls", "--stdio"]


@lsp_fixture(config=ClientServerConfig(server_command=SERVER))
async def silent_client(lsp_client: LanguageClient) -> AsyncIterator[LanguageClient]:
    release = asyncio.Event()  # set at teardown, so no handler outlives the test

    async def never_answer(params: t.ConfigurationParams) -> list[object]:
        await release.wait()
        return []

    # pytest-lsp answers workspace/configuration itself: replace its handler with a silent one
    lsp_client.protocol.fm.features[t.WORKSPACE_CONFIGURATION] = never_answer

    async def never_register(params: t.RegistrationParams) -> None:
        await release.wait()

    lsp_client.protocol.fm.features[t.CLIENT_REGISTER_CAPABILITY] = never_register

    yield lsp_client
    release.set()
    await lsp_client.shutdown_session()


async def test_server_serves_after_the_startup_timeout(silent_client: LanguageClient,
                                                       tmp_path: Path) -> None:
    await silent_client.initialize_session(t.InitializeParams(
        capabilities=client_capabilities("neovim"), root_uri=tmp_path.as_uri(),
        initialization_options={"debounceMs": 0}))
    uri = (tmp_path / "a.md").as_uri()
    started = time.monotonic()
    silent_client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(
        uri=uri, language_id="markdown", version=1, text="Use the harvester-mgmt network.\n")))
    await asyncio.wait_for(silent_client.wait_for_notification(
        t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout=20)
    waited = time.monotonic() - started
    assert [d.code for d in silent_client.diagnostics[uri]] == ["deprecated-term"]
    assert waited < 15, waited
