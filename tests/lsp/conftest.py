"""pytest-lsp fixtures: the real server over stdio, driven with real editors' capabilities."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

CLIENTS = ["visual_studio_code", "neovim", "emacs"]
SERVER = [sys.executable, "-m", "harvester_glossary_ls", "--stdio"]


async def start(client: LanguageClient, profile: str, root: Path,
                settings: dict[str, Any] | None = None,
                init_options: dict[str, Any] | None = None) -> t.InitializeResult:
    """Initialize a session the way the named editor would, and wait until it is ready."""
    client.set_configuration({"harvesterGlossary": settings or {}})
    client.registrations = []  # type: ignore[attr-defined]

    @client.feature(t.CLIENT_REGISTER_CAPABILITY)
    def register(params: t.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    @client.feature(t.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: t.ApplyWorkspaceEditParams) -> t.ApplyWorkspaceEditResult:
        client.applied_edits.append(params)  # type: ignore[attr-defined]
        return t.ApplyWorkspaceEditResult(applied=True)

    client.applied_edits = []  # type: ignore[attr-defined]
    options = {"debounceMs": 0, **(init_options or {})}
    result = await client.initialize_session(t.InitializeParams(
        capabilities=client_capabilities(profile),
        root_uri=root.as_uri(),
        workspace_folders=[t.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        initialization_options=options))
    return result


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=CLIENTS)
async def client(request: pytest.FixtureRequest,
                 lsp_client: LanguageClient) -> AsyncIterator[LanguageClient]:
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield lsp_client
    await lsp_client.shutdown_session()
