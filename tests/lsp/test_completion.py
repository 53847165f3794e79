"""Completion of glossary terms while writing prose: multi-word prefixes, the text edit that
replaces the typed words, never in code, YAML comments and strings only, no deprecated forms,
documentation through completionItem/resolve."""

from __future__ import annotations

import pytest
from lsprotocol import types as t

from tests.lsp.conftest import GlossaryClient, complete, open_doc, where

pytestmark = pytest.mark.asyncio(loop_scope="module")

MARKDOWN = """\
# Completion

Attach it to the VM mig
Then create a guest cl
The old harvester-mg
The old vip-po

```
VM mig
```

Inline `VM mig` code.

    VM mig in an indented code block

Last line mentions VM mig
"""

YAML = """\
# a comment about the guest cl
description: "a quoted guest cl"
plain: a plain guest cl
guest cl: 1
items:
  - the guest cl
block: |
  text of the guest cl
"""


async def _complete(client: GlossaryClient, uri: str, text: str, needle: str,
                    nth: int = 0) -> list[t.CompletionItem]:
    enc = client.encoding
    return await complete(client, uri, where(text, needle, nth, enc, inside=len(needle)))


async def test_multi_word_prefix(mclient: GlossaryClient) -> None:
    enc = mclient.encoding
    uri = open_doc(mclient, mclient.root / "c.md", MARKDOWN)
    items = await _complete(mclient, uri, MARKDOWN, "the VM mig")
    assert items[0].label == "VM migration network"
    edit = items[0].text_edit
    assert isinstance(edit, t.TextEdit)
    assert edit.new_text == "VM migration network"
    # replaces the typed words "VM mig", up to the cursor
    assert edit.range == t.Range(start=where(MARKDOWN, "VM mig", 0, enc),
                                 end=where(MARKDOWN, "VM mig", 0, enc, inside=6))
    # every item's edit ends at the cursor, on the same line
    for item in items:
        assert isinstance(item.text_edit, t.TextEdit)
        assert item.text_edit.range.end == edit.range.end
        assert item.text_edit.range.start.line == edit.range.start.line
        assert item.filter_text is not None


async def test_guest_cluster(mclient: GlossaryClient) -> None:
    enc = mclient.encoding
    uri = open_doc(mclient, mclient.root / "c.md", MARKDOWN)
    items = await _complete(mclient, uri, MARKDOWN, "a guest cl")
    assert items[0].label == "guest cluster"
    assert isinstance(items[0].text_edit, t.TextEdit)
    assert items[0].text_edit.range.start == where(MARKDOWN, "guest cl", 0, enc)
    labels = [i.label for i in items]
    assert labels.index("guest cluster") < labels.index("guest cluster node")
    # best first, and the client keeps that order
    assert [i.sort_text for i in items] == sorted(i.sort_text or "" for i in items)


@pytest.mark.parametrize("needle", ["The old harvester-mg", "The old vip-po"])
async def test_deprecated_forms_never_offered(mclient: GlossaryClient, needle: str) -> None:
    uri = open_doc(mclient, mclient.root / "c.md", MARKDOWN)
    labels = {i.label.casefold() for i in await _complete(mclient, uri, MARKDOWN, needle)}
    assert not labels & {"harvester-mgmt", "vip-pools", "nodenetwork"}


@pytest.mark.parametrize(("needle", "nth"), [
    ("VM mig", 1),   # fenced code
    ("VM mig", 2),   # inline code
    ("VM mig", 3),   # indented code block
])
async def test_never_in_code(mclient: GlossaryClient, needle: str, nth: int) -> None:
    uri = open_doc(mclient, mclient.root / "c.md", MARKDOWN)
    assert await _complete(mclient, uri, MARKDOWN, needle, nth) == []
    # while prose after the code still completes
    assert (await _complete(mclient, uri, MARKDOWN, "VM mig", 4))[0].label == \
        "VM migration network"


@pytest.mark.parametrize("needle", [
    "comment about the guest cl",  # comment
    "quoted guest cl",             # quoted string value
    "plain guest cl",              # plain string value
    "- the guest cl",              # list item
    "text of the guest cl",        # block scalar
])
async def test_yaml_prose(mclient: GlossaryClient, needle: str) -> None:
    uri = open_doc(mclient, mclient.root / "c.yaml", YAML)
    items = await _complete(mclient, uri, YAML, needle)
    assert items and items[0].label == "guest cluster"


async def test_yaml_key(mclient: GlossaryClient) -> None:
    uri = open_doc(mclient, mclient.root / "c.yaml", YAML)
    assert await _complete(mclient, uri, YAML, "\nguest cl") == []
    assert await _complete(mclient, uri, YAML, "descrip") == []


async def test_resolve_documentation(mclient: GlossaryClient) -> None:
    uri = open_doc(mclient, mclient.root / "c.md", MARKDOWN)
    items = await _complete(mclient, uri, MARKDOWN, "a guest cl")
    first = items[0]
    assert first.documentation is None  # left to resolve: cheaper lists
    resolved = await mclient.completion_item_resolve_async(first)
    doc = resolved.documentation
    if mclient.profile == "emacs":
        # lists no documentation format: plain text, as a string
        assert isinstance(doc, str)
        assert doc.startswith("guest cluster\n  also: guest Kubernetes cluster")
        value = doc
    else:
        assert isinstance(doc, t.MarkupContent) and doc.kind == t.MarkupKind.Markdown
        assert doc.value.startswith("**guest cluster**")
        value = doc.value
    assert "Group of integrated Kubernetes worker machines" in value
    assert "https://docs.harvesterhci.io/v1.7/getting-started/glossary#" in value
    assert resolved.text_edit == first.text_edit  # resolve changes nothing else


async def test_resolve_unknown_item(mclient: GlossaryClient) -> None:
    resolved = await mclient.completion_item_resolve_async(
        t.CompletionItem(label="no such term", data={"term": "no such term"}))
    assert resolved.label == "no such term" and resolved.documentation is None
