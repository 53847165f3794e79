"""Go to definition (shipped glossary and a workspace YAML glossary), workspace symbols, and
find references across the workspace with work-done progress."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from lsprotocol import types as t

from tests.lsp.conftest import GlossaryClient, doc_id, open_doc, span, where

pytestmark = pytest.mark.asyncio(loop_scope="module")

TEAM_GLOSSARY = """\
format: harvester-glossary/v1
entries:
  - term: backup target
    aliases: [backup store]
    definition: Where Harvester stores virtual machine backups.
  - term: widget
    definition: A made-up term of this workspace.
"""

DOC = """\
# Main

The guest cluster stores its data on the backup target.
Two guest clusters and a guest Kubernetes cluster, the harvester-mgmt network, one widget.
"""

FILES = {
    ".harvester-glossary.yaml": "glossaries: [team-glossary.yaml]\n",
    "team-glossary.yaml": TEAM_GLOSSARY,
    "main.md": DOC,
    "manifest.yaml": "# a guest cluster manifest\nkind: ConfigMap\n",
    "node_modules/skipped.md": "A guest cluster nobody reads.\n",
    **{f"docs/page-{n:02d}.md": f"# Page {n}\n\nPage {n} talks about a guest cluster.\n"
       for n in range(45)},
}


def _path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def _line(location: t.Location) -> str:
    return _path(location.uri).read_text(encoding="utf-8").splitlines()[
        location.range.start.line]


async def _definition(client: GlossaryClient, needle: str, inside: int = 1) -> t.Location | None:
    uri = open_doc(client, client.root / "main.md", DOC)
    result = await client.text_document_definition_async(t.DefinitionParams(
        text_document=doc_id(uri),
        position=where(DOC, needle, encoding=client.encoding, inside=inside)))
    if result is None:
        return None
    assert isinstance(result, t.Location)
    return result


@pytest.mark.parametrize(("needle", "line"), [
    ("guest cluster", "## **guest cluster** / **guest Kubernetes cluster**"),
    ("guest clusters", "## **guest cluster** / **guest Kubernetes cluster**"),
    ("guest Kubernetes cluster", "## **guest cluster** / **guest Kubernetes cluster**"),
    ("harvester-mgmt", "## **mgmt**"),
])
async def test_definition_in_shipped_glossary(mclient: GlossaryClient, needle: str,
                                              line: str) -> None:
    location = await _definition(mclient, needle)
    assert location is not None
    assert _path(location.uri).name == "harvester-v1.7.md"
    assert _line(location) == line


@pytest.mark.parametrize(("needle", "line"), [
    ("backup target", "  - term: backup target"),
    ("widget", "  - term: widget"),
])
async def test_definition_in_workspace_glossary(mclient: GlossaryClient, needle: str,
                                                line: str) -> None:
    location = await _definition(mclient, needle)
    assert location is not None
    assert _path(location.uri) == mclient.root / "team-glossary.yaml"
    assert _line(location) == line


async def test_definition_off_term(mclient: GlossaryClient) -> None:
    assert await _definition(mclient, "stores its") is None


async def test_workspace_symbols(mclient: GlossaryClient) -> None:
    found = await mclient.workspace_symbol_async(t.WorkspaceSymbolParams(query="guest"))
    assert found is not None
    names = [s.name for s in found]
    assert names[:2] == ["guest cluster", "guest node"] or set(names[:2]) == {
        "guest cluster", "guest node"}
    for symbol in found:
        assert isinstance(symbol, t.SymbolInformation)
        assert symbol.location.uri.startswith("file://")
    everything = await mclient.workspace_symbol_async(t.WorkspaceSymbolParams(query=""))
    assert everything is not None
    all_names = {s.name for s in everything}
    assert {"guest cluster", "mgmt", "VM migration network", "widget", "backup target"} <= (
        all_names)
    (widget,) = [s for s in everything if s.name == "widget"]
    assert isinstance(widget, t.SymbolInformation)
    assert _line(widget.location) == "  - term: widget"
    none = await mclient.workspace_symbol_async(t.WorkspaceSymbolParams(query="zzzqqq"))
    assert not none


async def test_references_with_progress(mclient: GlossaryClient) -> None:
    enc = mclient.encoding
    root: Path = mclient.root
    uri = open_doc(mclient, root / "main.md", DOC)
    before = set(mclient.progress_reports)
    found = await mclient.text_document_references_async(t.ReferenceParams(
        text_document=doc_id(uri), position=where(DOC, "guest cluster", encoding=enc, inside=2),
        context=t.ReferenceContext(include_declaration=True)))
    assert found is not None
    # the declaration first: the entry in the glossary
    declaration, *found = found
    assert _line(declaration) == "## **guest cluster** / **guest Kubernetes cluster**"
    by_file: dict[str, list[t.Range]] = {}
    for location in found:
        by_file.setdefault(_path(location.uri).relative_to(root).as_posix(), []).append(
            location.range)
    # the open document: term, plural and alias
    assert by_file.pop("main.md") == [span(DOC, "guest cluster", enc),
                                      span(DOC, "guest clusters", enc),
                                      span(DOC, "guest Kubernetes cluster", enc)]
    assert by_file.pop("manifest.yaml") == [t.Range(start=t.Position(line=0, character=4),
                                                    end=t.Position(line=0, character=17))]
    assert sorted(by_file) == [f"docs/page-{n:02d}.md" for n in range(45)]  # no node_modules
    page = "# Page 7\n\nPage 7 talks about a guest cluster.\n"
    assert by_file["docs/page-07.md"] == [span(page, "guest cluster", "utf-32")]

    # answered from the workspace index: no progress of its own; the index build had one,
    # created by the server, begun (cancellable) and ended
    assert set(mclient.progress_reports) == before
    builds = [reports for reports in mclient.progress_reports.values()
              if isinstance(reports[0], t.WorkDoneProgressBegin)
              and reports[0].title == "Indexing glossary terms"]
    assert builds and all(isinstance(b[0], t.WorkDoneProgressBegin) and b[0].cancellable
                          for b in builds)
    end = builds[0][-1]
    assert isinstance(end, t.WorkDoneProgressEnd)
    assert end.message is not None and end.message.endswith("files indexed")


async def test_references_with_client_token(mclient: GlossaryClient) -> None:
    """A client that sends its own workDoneToken: the index is complete, so nothing to report
    on it and no progress created."""
    uri = open_doc(mclient, mclient.root / "main.md", DOC)
    token = f"client-token-{mclient.profile}"
    mclient.progress_reports[token] = []
    before = set(mclient.progress_reports)
    found = await mclient.text_document_references_async(t.ReferenceParams(
        text_document=doc_id(uri), work_done_token=token,
        position=where(DOC, "widget", encoding=mclient.encoding),
        context=t.ReferenceContext(include_declaration=False)))
    # the use in main.md; not the glossary that defines it, nor the declaration
    assert found is not None and [_path(f.uri).name for f in found] == ["main.md"]
    assert set(mclient.progress_reports) == before


async def test_references_off_term(mclient: GlossaryClient) -> None:
    uri = open_doc(mclient, mclient.root / "main.md", DOC)
    found = await mclient.text_document_references_async(t.ReferenceParams(
        text_document=doc_id(uri), position=t.Position(line=0, character=2),
        context=t.ReferenceContext(include_declaration=True)))
    assert not found
