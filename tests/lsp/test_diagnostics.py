"""Diagnostics: pulled by clients that can pull and be refreshed (current VS Code), pushed with
the document version to the others (VS Code 1.65, Emacs, and Neovim 0.11, which pulls but has no
workspace/diagnostic/refresh), never both; codes, severities, links, tags and
related information; problems of an open glossary file."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from lsprotocol import types as t

from tests.lsp.conftest import (
    GlossaryClient,
    change,
    close_doc,
    diagnostics,
    doc_id,
    open_doc,
    pulls,
    pushes,
    span,
    start,
    wait_for,
)

PROFILES = ["visual_studio_code", "vscode", "neovim", "emacs"]

TEXT = """\
# Findings

We attach the disk to the Guest cluster today.
The harvester-mgmt network is gone, and so are vip-pools.
Each guest clustr runs somewhere.
"""

YAML_GLOSSARY = """\
format: harvester-glossary/v1
entries:
  - term: widget
    definition: A thing.
  - term: gadget
    definition: ""
  - term: widget
    definition: Another thing.
"""

DOCS_CONFIG = "module.exports = { presets: [['classic', {docs: {lastVersion: 'current', \
versions: {current: {label: 'v1.8', path: 'v1.8'}}}}]] };\n"
GLOSSARY_PAGE = """\
---
id: glossary
title: Glossary
---

## **widget**

A thing, see [the missing page](../missing.md) and [the other page](./other.md).

## **gadget**

Another thing, see [a section](./other.md#no-such-heading) and [ok](./other.md#real-heading).
"""
OTHER_PAGE = "# Other\n\n## Real heading\n\nText.\n"

FILES = {
    "glossaries/team.yaml": YAML_GLOSSARY,
    "site/docusaurus.config.js": DOCS_CONFIG,
    "site/docs/getting-started/glossary.md": GLOSSARY_PAGE,
    "site/docs/getting-started/other.md": OTHER_PAGE,
}


def _profile(client: GlossaryClient) -> str:
    return client.profile


@pytest.mark.asyncio(loop_scope="module")
async def test_findings(mclient: GlossaryClient) -> None:
    enc = mclient.encoding
    uri = open_doc(mclient, mclient.root / "findings.md", TEXT)
    found = await diagnostics(mclient, uri, version=1)
    expected = [
        ("Guest cluster", "term-casing", t.DiagnosticSeverity.Information),
        ("harvester-mgmt", "deprecated-term", t.DiagnosticSeverity.Warning),
        ("vip-pools", "deprecated-term", t.DiagnosticSeverity.Warning),
        ("guest clustr", "term-spelling", t.DiagnosticSeverity.Hint),
    ]
    assert [(d.code, d.severity) for d in found] == [(c, s) for _, c, s in expected]
    assert [d.range for d in found] == [span(TEXT, needle, enc) for needle, _, _ in expected]
    assert all(d.source == "harvester-glossary" for d in found)

    casing, mgmt, pools, spelling = found
    assert mgmt.message == "'harvester-mgmt' is deprecated since v1.1: use 'mgmt'"
    assert casing.message == "The glossary writes 'guest cluster' (found 'Guest cluster')"
    assert spelling.message == "Did you mean 'guest cluster'? (found 'guest clustr')"

    # the Deprecated tag, on deprecated wordings only
    assert mgmt.tags == (t.DiagnosticTag.Deprecated,)
    assert pools.tags == (t.DiagnosticTag.Deprecated,)
    assert casing.tags is None and spelling.tags is None

    if _profile(mclient) == "emacs":
        # Emacs 29 says it takes neither: the diagnostics come without them
        assert all(d.code_description is None and d.related_information is None for d in found)
        return
    # codeDescription: the term's entry on the published glossary page
    assert mgmt.code_description is not None
    assert mgmt.code_description.href == \
        "https://docs.harvesterhci.io/v1.7/getting-started/glossary#mgmt"
    assert pools.code_description is not None
    assert pools.code_description.href.startswith("https://")
    # related information: the glossary entry's source line
    assert mgmt.related_information is not None
    (related,) = mgmt.related_information
    path = Path(urlparse(related.location.uri).path)
    line = path.read_text(encoding="utf-8").splitlines()[related.location.range.start.line]
    assert line == "## **mgmt**"
    assert "mgmt" in related.message


@pytest.mark.asyncio(loop_scope="module")
async def test_push_or_pull_never_both(mclient: GlossaryClient) -> None:
    uri = open_doc(mclient, mclient.root / "both.md", TEXT)
    if pulls(_profile(mclient)):
        await diagnostics(mclient, uri)
        change(mclient, uri, 2, TEXT + "More text.\n")
        await diagnostics(mclient, uri)
        await asyncio.sleep(0.2)  # any push would have arrived by now (debounce is 0)
        assert pushes(mclient, uri) == []
    else:
        found = await diagnostics(mclient, uri, version=1)
        assert len(found) == 4
        change(mclient, uri, 2, TEXT + "More text.\n")
        await diagnostics(mclient, uri, version=2)
        assert [p.version for p in pushes(mclient, uri)] == [1, 2]


@pytest.mark.asyncio(loop_scope="module")
async def test_pull_result_ids(mclient: GlossaryClient) -> None:
    if not pulls(_profile(mclient)):
        pytest.skip("push client")
    uri = open_doc(mclient, mclient.root / "ids.md", TEXT)
    first = await mclient.text_document_diagnostic_async(
        t.DocumentDiagnosticParams(text_document=doc_id(uri)))
    assert isinstance(first, t.RelatedFullDocumentDiagnosticReport) and first.result_id
    again = await mclient.text_document_diagnostic_async(t.DocumentDiagnosticParams(
        text_document=doc_id(uri), previous_result_id=first.result_id))
    assert isinstance(again, t.RelatedUnchangedDocumentDiagnosticReport)
    change(mclient, uri, 2, TEXT.replace("harvester-mgmt", "mgmt"))
    after = await mclient.text_document_diagnostic_async(t.DocumentDiagnosticParams(
        text_document=doc_id(uri), previous_result_id=first.result_id))
    assert isinstance(after, t.RelatedFullDocumentDiagnosticReport)
    assert len(after.items) == 3


@pytest.mark.asyncio(loop_scope="module")
async def test_close_clears_pushed(mclient: GlossaryClient) -> None:
    if pulls(_profile(mclient)):
        pytest.skip("pull client: the editor drops diagnostics of a closed document itself")
    uri = open_doc(mclient, mclient.root / "close.md", TEXT)
    assert await diagnostics(mclient, uri, version=1)
    close_doc(mclient, uri)
    await wait_for(lambda: pushes(mclient, uri)[-1].diagnostics == (), message="cleared")


@pytest.mark.asyncio(loop_scope="module")
async def test_yaml_glossary_problems(mclient: GlossaryClient) -> None:
    path = mclient.root / "glossaries" / "team.yaml"
    uri = open_doc(mclient, path, YAML_GLOSSARY)
    found = await diagnostics(mclient, uri, version=1)
    lines = YAML_GLOSSARY.splitlines()
    got = sorted((d.range.start.line, d.message, d.severity) for d in found)
    assert got == [
        (5, "'gadget' has an empty definition", t.DiagnosticSeverity.Warning),
        (6, "'widget' is defined twice (first on line 3)", t.DiagnosticSeverity.Error),
    ]
    for d in found:
        assert d.code == "glossary-problem" and d.source == "harvester-glossary"
        # the range covers the offending line's text
        text = lines[d.range.start.line]
        assert d.range.start.character == len(text) - len(text.lstrip())
        assert d.range.end == t.Position(line=d.range.start.line, character=len(text))


@pytest.mark.asyncio(loop_scope="module")
async def test_docusaurus_glossary_page_links(mclient: GlossaryClient) -> None:
    enc = mclient.encoding
    path = mclient.root / "site/docs/getting-started/glossary.md"
    uri = open_doc(mclient, path, GLOSSARY_PAGE)
    found = await diagnostics(mclient, uri, version=1)
    got = [(d.range.start, d.message) for d in found]
    assert got == [
        (span(GLOSSARY_PAGE, "../missing.md", enc).start,
         "link target ../missing.md does not exist"),
        (span(GLOSSARY_PAGE, "./other.md#no-such-heading", enc).start,
         "anchor #no-such-heading is not a heading of other.md"),
    ]
    # fixing the link in the editor fixes the diagnostic, before any save
    change(mclient, uri, 2, GLOSSARY_PAGE.replace("../missing.md", "./other.md"))
    found = await diagnostics(mclient, uri, version=2)
    assert [d.message for d in found] == ["anchor #no-such-heading is not a heading of other.md"]


# --- configured severities and the debounce: a fresh server each -----------------------------

SEVERITY_TEXT = "We attach the disk to the Guest cluster. The harvester-mgmt net. A guest clustr.\n"


@pytest.mark.parametrize("source", ["configuration", "initializationOptions"])
async def test_configured_severities(client: GlossaryClient, tmp_path: Path, source: str) -> None:
    rules = {"term-casing": "error", "term-spelling": "off", "deprecated-term": "hint"}
    if source == "configuration":
        await start(client, _profile(client), tmp_path, settings={"rules": rules})
    else:
        await start(client, _profile(client), tmp_path, init_options={"rules": rules})
    uri = open_doc(client, tmp_path / "sev.md", SEVERITY_TEXT)
    found = await diagnostics(client, uri, version=1)
    assert [(d.code, d.severity) for d in found] == [
        ("term-casing", t.DiagnosticSeverity.Error),
        ("deprecated-term", t.DiagnosticSeverity.Hint),
    ]


async def test_push_is_debounced(bare_client: GlossaryClient, tmp_path: Path) -> None:
    """VS Code 1.65: one push for a burst of edits, after the debounce, for the last version."""
    client = bare_client
    await start(client, "visual_studio_code", tmp_path, init_options={"debounceMs": 300})
    uri = open_doc(client, tmp_path / "burst.md", TEXT)
    await diagnostics(client, uri, version=1)  # opening publishes at once
    text = TEXT
    sent = 0.0
    for version in (2, 3, 4):
        text = text.replace("harvester-mgmt", "mgmt") if version == 4 else text + "x\n"
        change(client, uri, version, text)
        sent = time.monotonic()
        await asyncio.sleep(0.05)
    found = await diagnostics(client, uri, version=4)
    waited = time.monotonic() - sent
    assert waited >= 0.2, waited
    assert [p.version for p in pushes(client, uri)] == [1, 4]
    assert len(found) == 3
