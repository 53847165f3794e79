"""Hover in Markdown and YAML: terms, aliases, plurals, deprecated forms, YAML kinds and
settings, a kind inside a ```yaml fence; the range is the occurrence; links are absolute."""

from __future__ import annotations

import re

import pytest
from lsprotocol import types as t

from tests.lsp.conftest import GlossaryClient, hover, open_doc, span, where

pytestmark = pytest.mark.asyncio(loop_scope="module")

MARKDOWN = """\
# Networking notes

Each guest cluster runs on Harvester nodes. Two guest clusters share a host.
A guest Kubernetes cluster is the same thing.
The harvester-mgmt network was renamed.
Inline `guest cluster` code is not prose.

```yaml
apiVersion: network.harvesterhci.io/v1beta1
kind: ClusterNetwork
metadata:
  name: vlan
```

Nothing to see on this line.
"""

YAML = """\
apiVersion: network.harvesterhci.io/v1beta1
kind: ClusterNetwork
metadata:
  name: vlan
---
apiVersion: harvesterhci.io/v1beta1
kind: Setting
metadata:
  name: storage-network
value: '{}'
# the guest cluster uses the harvester-mgmt network
description: "attach a guest cluster"
"""

GLOSSARY_PAGE = "https://docs.harvesterhci.io/v1.7/getting-started/glossary#"
_LINK = re.compile(r"\]\(([^)\s]+)")


async def _hover(client: GlossaryClient, uri: str, text: str, needle: str, nth: int = 0,
                 inside: int = 1) -> t.Hover | None:
    enc = client.encoding
    return await hover(client, uri, where(text, needle, nth, enc, inside=inside))


def _value(result: t.Hover | None) -> str:
    assert result is not None
    assert isinstance(result.contents, t.MarkupContent)
    assert result.contents.kind == t.MarkupKind.Markdown
    value = result.contents.value
    links = _LINK.findall(value)
    assert links, "a hover links to its glossary entry"
    assert all(link.startswith(("https://", "http://", "mailto:")) for link in links), links
    return value


@pytest.mark.parametrize(("needle", "nth", "term"), [
    ("guest cluster", 0, "guest cluster"),
    ("guest clusters", 0, "guest cluster"),               # plural
    ("guest Kubernetes cluster", 0, "guest cluster"),     # alias
    ("Harvester nodes", 0, "Harvester node"),             # plural, capitalised term
])
async def test_markdown_terms(mclient: GlossaryClient, needle: str, nth: int, term: str) -> None:
    uri = open_doc(mclient, mclient.root / "notes.md", MARKDOWN)
    result = await _hover(mclient, uri, MARKDOWN, needle, nth)
    value = _value(result)
    assert value.startswith(f"**{term}**")
    assert result is not None
    assert result.range == span(MARKDOWN, needle, mclient.encoding, nth)
    assert f"]({GLOSSARY_PAGE}" in value


async def test_alias_listed(mclient: GlossaryClient) -> None:
    uri = open_doc(mclient, mclient.root / "notes.md", MARKDOWN)
    value = _value(await _hover(mclient, uri, MARKDOWN, "guest cluster"))
    assert "Also: *guest Kubernetes cluster*" in value
    assert "Group of integrated Kubernetes worker machines" in value


async def test_deprecated_form(mclient: GlossaryClient) -> None:
    uri = open_doc(mclient, mclient.root / "notes.md", MARKDOWN)
    result = await _hover(mclient, uri, MARKDOWN, "harvester-mgmt", inside=10)
    value = _value(result)
    assert value.startswith("**mgmt**")
    assert "*harvester-mgmt* is deprecated since v1.1: use **mgmt**" in value
    assert result is not None
    assert result.range == span(MARKDOWN, "harvester-mgmt", mclient.encoding)


async def test_kind_in_yaml_fence(mclient: GlossaryClient) -> None:
    uri = open_doc(mclient, mclient.root / "notes.md", MARKDOWN)
    result = await _hover(mclient, uri, MARKDOWN, "ClusterNetwork", inside=4)
    assert _value(result).startswith("**cluster network**")
    assert result is not None
    assert result.range == span(MARKDOWN, "ClusterNetwork", mclient.encoding)


@pytest.mark.parametrize(("needle", "inside"), [
    ("`guest cluster`", 3),    # inline code
    ("apiVersion", 2),         # YAML example outside a mapped kind
    ("Nothing", 2),            # plain prose
    ("# Networking", 0),       # heading marker
])
async def test_markdown_off_term(mclient: GlossaryClient, needle: str, inside: int) -> None:
    uri = open_doc(mclient, mclient.root / "notes.md", MARKDOWN)
    assert await _hover(mclient, uri, MARKDOWN, needle, 0, inside) is None


@pytest.mark.parametrize(("needle", "nth", "term"), [
    ("ClusterNetwork", 0, "cluster network"),    # kind
    ("storage-network", 0, "storage network"),   # Setting named storage-network
    ("guest cluster", 0, "guest cluster"),       # comment
    ("harvester-mgmt", 0, "mgmt"),               # deprecated form in a comment
    ("guest cluster", 1, "guest cluster"),       # string value
])
async def test_yaml(mclient: GlossaryClient, needle: str, nth: int, term: str) -> None:
    uri = open_doc(mclient, mclient.root / "manifest.yaml", YAML)
    result = await _hover(mclient, uri, YAML, needle, nth, inside=3)
    assert _value(result).startswith(f"**{term}**")
    assert result is not None
    assert result.range == span(YAML, needle, mclient.encoding, nth)


@pytest.mark.parametrize("needle", ["apiVersion", "metadata", "name: vlan", "value"])
async def test_yaml_off_term(mclient: GlossaryClient, needle: str) -> None:
    uri = open_doc(mclient, mclient.root / "manifest.yaml", YAML)
    assert await _hover(mclient, uri, YAML, needle, inside=2) is None


async def test_unopened_document(mclient: GlossaryClient) -> None:
    uri = (mclient.root / "never-opened.md").as_uri()
    assert await hover(mclient, uri, t.Position(line=0, character=0)) is None
