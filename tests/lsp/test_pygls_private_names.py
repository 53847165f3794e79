"""The private pygls names `lsp/pygls_fixes` relies on still exist (a pygls upgrade that drops
one fails here, not in a user's editor)."""

from __future__ import annotations

import importlib

import pytest
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument, Workspace

from harvester_glossary_ls.lsp.pygls_fixes.names import PRIVATE_NAMES
from harvester_glossary_ls.lsp.session import GlossaryServer


def _instances() -> dict[str, object]:
    """An instance per owner, so that attributes set in __init__ count too."""
    server = LanguageServer("names", "0")
    return {
        "pygls.protocol:LanguageServerProtocol": server.protocol,
        "pygls.workspace:Workspace": Workspace(None),
        "pygls.workspace:TextDocument": TextDocument("file:///x.md", "text"),
        "pygls.lsp.server:LanguageServer": server,
    }


@pytest.mark.parametrize("owner", sorted(PRIVATE_NAMES))
def test_private_pygls_names_exist(owner: str) -> None:
    module_name, _, class_name = owner.partition(":")
    owner_object = getattr(importlib.import_module(module_name), class_name)
    instance = _instances()[owner]
    missing = [name for name in PRIVATE_NAMES[owner]
               if not hasattr(owner_object, name) and not hasattr(instance, name)]
    assert not missing, f"pygls no longer has {owner}.{missing}"


def test_the_server_builds_with_the_fixes() -> None:
    """The protocol class combining the fixes is the one pygls uses."""
    from harvester_glossary_ls.lsp.pygls_fixes import GlossaryProtocol
    from harvester_glossary_ls.lsp.server import create_server

    server = create_server()
    assert isinstance(server, GlossaryServer)
    assert isinstance(server.protocol, GlossaryProtocol)
