"""Rename a glossary term over LSP: prepareRename, and one workspace edit that renames the entry
in its glossary file and every prose use (each in its case pattern, code left alone), and records
the old name as a deprecated form, which is flagged once the edit is applied."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types as t
from pygls.exceptions import JsonRpcException
from pygls.uris import to_fs_path

from tests.lsp.conftest import (
    GlossaryClient,
    apply_edits,
    diagnostics,
    doc_id,
    open_doc,
    start,
    where,
    write_files,
)

CONFIG = "defaultGlossary: false\nglossaryVersion: v1.8\nglossaries:\n  - glossary.md\n"
GLOSSARY = ("---\ntitle: Glossary\n---\n\n## **guest cluster**\n\nA cluster of VMs.\n\n"
            "## **VM network**\n\nA network for the VMs of a guest cluster.\n")
PAGE = ("# Guest clusters\n\nGuest cluster nodes run in VMs. Create a guest cluster.\n\n"
        "Run `kubectl get guest cluster` to list the guest clusters.\n\n"
        "```\nguest cluster\n```\n")
OTHER = "The guest clusters' disks are on a VM network.\n"


def _path(uri: str) -> Path:
    return Path(to_fs_path(uri) or "")


def _edits_by_path(client: GlossaryClient,
                   edit: t.WorkspaceEdit) -> tuple[dict[Path, list[t.TextEdit]], list[Path]]:
    """The text edits per file and the files created, whichever form the profile gets."""
    by_path: dict[Path, list[t.TextEdit]] = {}
    created: list[Path] = []
    if edit.document_changes is not None:
        assert edit.changes is None
        for change in edit.document_changes:
            if isinstance(change, t.CreateFile):
                created.append(_path(change.uri))
            else:
                assert isinstance(change, t.TextDocumentEdit)
                for item in change.edits:
                    assert isinstance(item, (t.TextEdit, t.AnnotatedTextEdit))
                    by_path.setdefault(_path(change.text_document.uri), []).append(
                        t.TextEdit(range=item.range, new_text=item.new_text))
    else:
        assert edit.changes is not None
        for uri, edits in edit.changes.items():
            by_path[_path(uri)] = list(edits)
    return by_path, created


def _apply(client: GlossaryClient, edit: t.WorkspaceEdit) -> dict[Path, str]:
    """Apply the edit to the files on disk, as the editor would after saving; the new texts."""
    by_path, _ = _edits_by_path(client, edit)
    texts = {}
    for path, edits in by_path.items():
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        texts[path] = apply_edits(old, edits, client.encoding)
        path.write_text(texts[path], encoding="utf-8")
    return texts


async def _rename(client: GlossaryClient, uri: str, position: t.Position,
                  new_name: str) -> t.WorkspaceEdit:
    edit = await client.text_document_rename_async(t.RenameParams(
        text_document=doc_id(uri), position=position, new_name=new_name))
    assert edit is not None
    return edit


async def test_rename_a_term_everywhere(client: GlossaryClient, tmp_path: Path) -> None:
    write_files(tmp_path, {".harvester-glossary.yaml": CONFIG, "glossary.md": GLOSSARY,
                           "docs/page.md": PAGE, "docs/other.md": OTHER})
    result = await start(client, client.profile, tmp_path)
    assert result.capabilities.rename_provider  # options only to clients with prepareSupport
    page = tmp_path / "docs/page.md"
    uri = open_doc(client, page, PAGE)
    enc = client.encoding
    at = where(PAGE, "guest cluster.", encoding=enc, inside=3)
    prepared = await client.text_document_prepare_rename_async(t.PrepareRenameParams(
        text_document=doc_id(uri), position=at))
    assert isinstance(prepared, t.PrepareRenamePlaceholder)
    assert prepared.placeholder == "guest cluster"
    assert prepared.range.start == where(PAGE, "guest cluster.", encoding=enc)
    outside = await client.text_document_prepare_rename_async(t.PrepareRenameParams(
        text_document=doc_id(uri), position=where(PAGE, "Create", encoding=enc)))
    assert outside is None

    edit = await _rename(client, uri, at, "tenant cluster")
    by_path, created = _edits_by_path(client, edit)
    renames = tmp_path / "glossary-renames.yaml"
    caps = client.profile in ("visual_studio_code", "vscode")
    assert created == ([renames] if caps else [])
    if caps:  # VS Code: annotations label three groups, none left unchecked in a preview
        assert edit.change_annotations is not None
        assert not any(a.needs_confirmation for a in edit.change_annotations.values())
        assert edit.document_changes is not None
        annotated = {e.annotation_id for c in edit.document_changes
                     if isinstance(c, t.TextDocumentEdit) for e in c.edits
                     if isinstance(e, t.AnnotatedTextEdit)}
        assert annotated == {"glossary-entry", "deprecated-form", "prose-uses"}
    else:
        assert edit.change_annotations is None
    assert set(by_path) == {tmp_path / "glossary.md", page, tmp_path / "docs/other.md",
                            renames, tmp_path / ".harvester-glossary.yaml"}

    texts = _apply(client, edit)
    assert texts[tmp_path / "glossary.md"] == GLOSSARY.replace(
        "**guest cluster**", "**tenant cluster**").replace("of a guest", "of a tenant")
    assert texts[page] == PAGE.replace("# Guest clusters", "# Tenant clusters").replace(
        "Guest cluster nodes", "Tenant cluster nodes").replace(
        "Create a guest cluster", "Create a tenant cluster").replace(
        "the guest clusters.", "the tenant clusters.")
    assert "`kubectl get guest cluster`" in texts[page]
    assert "```\nguest cluster\n```" in texts[page]
    assert texts[tmp_path / "docs/other.md"] == OTHER.replace("guest clusters'",
                                                              "tenant clusters'")
    assert "- \"glossary-renames.yaml\"" in texts[tmp_path / ".harvester-glossary.yaml"]
    assert "form: \"guest cluster\"" in texts[renames] and "since: v1.8" in texts[renames]

    # the editor saves: the open page changes, the others change on disk
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[t.TextDocumentContentChangeWholeDocument(text=texts[page])]))
    client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[
        t.FileEvent(uri=path.as_uri(), type=t.FileChangeType.Created if path == renames
                    else t.FileChangeType.Changed)
        for path in texts if path != page]))
    old = "An old guest cluster.\n"
    new_uri = open_doc(client, tmp_path / "docs/new.md", old)

    async def deprecated() -> list[t.Diagnostic]:
        found = await diagnostics(client, new_uri)
        return [d for d in found if d.code == "deprecated-term"]

    async def settled() -> list[t.Diagnostic]:
        for _ in range(200):
            found = await deprecated()
            if found:
                return found
            await asyncio.sleep(0.05)
        raise AssertionError("no deprecated-term diagnostic for the old name")

    found = await settled()
    assert "tenant cluster" in found[0].message
    assert found[0].range.start == where(old, "guest cluster", encoding=enc)


YAML_GLOSSARY = ("# ours\nentries:\n  - term: guest cluster\n    definition: A cluster of VMs.\n"
                 "  - term: VM network\n")


@pytest.mark.parametrize("profile", ["neovim", "vscode"])
async def test_rename_from_the_yaml_glossary_entry(bare_client: GlossaryClient, tmp_path: Path,
                                                   profile: str) -> None:
    client = bare_client
    write_files(tmp_path, {".harvester-glossary.yaml":
                           "defaultGlossary: false\nglossaries: [glossary.yaml]\n",
                           "glossary.yaml": YAML_GLOSSARY, "page.md": "Guest clusters run.\n"})
    await start(client, profile, tmp_path)
    glossary = tmp_path / "glossary.yaml"
    uri = open_doc(client, glossary, YAML_GLOSSARY)
    at = where(YAML_GLOSSARY, "guest cluster", encoding=client.encoding, inside=2)
    prepared = await client.text_document_prepare_rename_async(t.PrepareRenameParams(
        text_document=doc_id(uri), position=at))
    assert isinstance(prepared, t.PrepareRenamePlaceholder)
    assert prepared.placeholder == "guest cluster"
    edit = await _rename(client, uri, at, "tenant cluster")
    by_path, created = _edits_by_path(client, edit)
    assert created == [] and set(by_path) == {glossary, tmp_path / "page.md"}
    texts = _apply(client, edit)
    assert texts[tmp_path / "page.md"] == "Tenant clusters run.\n"
    assert texts[glossary] == (
        "# ours\nentries:\n  - term: tenant cluster\n    definition: A cluster of VMs.\n"
        "    deprecated:\n      - form: \"guest cluster\"\n        use: \"tenant cluster\"\n"
        "        note: renamed to \"tenant cluster\"\n  - term: VM network\n")


async def test_a_term_of_the_shipped_glossary_is_not_renamed(bare_client: GlossaryClient,
                                                             tmp_path: Path) -> None:
    client = bare_client
    text = "Create a guest cluster, or rename `harvester-mgmt`: harvester-mgmt.\n"
    write_files(tmp_path, {"page.md": text})
    await start(client, "neovim", tmp_path)
    uri = open_doc(client, tmp_path / "page.md", text)
    with pytest.raises(JsonRpcException, match="outside the workspace"):
        await _rename(client, uri, where(text, "guest cluster", encoding=client.encoding),
                      "tenant cluster")
    with pytest.raises(JsonRpcException, match="deprecated form"):
        await client.text_document_prepare_rename_async(t.PrepareRenameParams(
            text_document=doc_id(uri), position=where(text, "harvester-mgmt.",
                                                      encoding=client.encoding)))
