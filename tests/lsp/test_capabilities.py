"""What the server advertises, and what it registers, per client profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as t

from tests.lsp.conftest import ENCODINGS, GlossaryClient, start


@pytest.mark.parametrize("profile", ["visual_studio_code", "vscode", "neovim", "emacs"])
async def test_capabilities(bare_client: GlossaryClient, profile: str, tmp_path: Path) -> None:
    result = await start(bare_client, profile, tmp_path)
    caps = result.capabilities
    assert result.server_info is not None and result.server_info.name == "harvester-glossary-ls"

    assert caps.position_encoding == ENCODINGS[profile]

    sync = caps.text_document_sync
    assert isinstance(sync, t.TextDocumentSyncOptions)
    assert sync.open_close is True
    assert sync.change == t.TextDocumentSyncKind.Incremental
    assert sync.save is not None and sync.save is not False  # didSave reloads where no watcher

    assert caps.hover_provider
    completion = caps.completion_provider
    assert completion is not None and completion.resolve_provider is True

    diagnostic = caps.diagnostic_provider
    if profile == "neovim":
        # Neovim pulls, but has no workspace/diagnostic/refresh: it is not offered pull, and
        # gets pushed diagnostics it can be updated with after a settings change
        assert diagnostic is None
    else:  # a client that cannot pull ignores it
        assert isinstance(diagnostic, t.DiagnosticOptions)
        assert diagnostic.inter_file_dependencies is False

    actions = caps.code_action_provider
    assert isinstance(actions, t.CodeActionOptions)
    kinds = {str(k) for k in actions.code_action_kinds or ()}
    assert {"quickfix", "source.fixAll"} <= kinds

    assert caps.definition_provider
    assert caps.references_provider
    assert caps.workspace_symbol_provider
    assert caps.execute_command_provider is not None
    assert "harvesterGlossary.ignoreWord" in caps.execute_command_provider.commands

    # multi-root: folders added and removed while running
    assert caps.workspace is not None and caps.workspace.workspace_folders is not None
    assert caps.workspace.workspace_folders.supported
    assert caps.workspace.workspace_folders.change_notifications

    if profile != "visual_studio_code":
        return
    # VS Code can register file watchers and didChangeConfiguration dynamically
    registered = await _registrations(bare_client)
    assert t.WORKSPACE_DID_CHANGE_WATCHED_FILES in registered
    assert t.WORKSPACE_DID_CHANGE_CONFIGURATION in registered


async def _registrations(client: GlossaryClient) -> set[str]:
    import asyncio

    for _ in range(200):
        if client.registrations:
            break
        await asyncio.sleep(0.01)
    return {r.method for r in client.registrations}


async def test_neovim_registers_no_watcher(bare_client: GlossaryClient, tmp_path: Path) -> None:
    """Neovim on Linux cannot watch files: nothing is registered, didSave does the job."""
    await start(bare_client, "neovim", tmp_path)
    # a request round trip after `initialized` has run
    await bare_client.workspace_symbol_async(t.WorkspaceSymbolParams(query="mgmt"))
    assert not any(r.method == t.WORKSPACE_DID_CHANGE_WATCHED_FILES
                   for r in bare_client.registrations)
