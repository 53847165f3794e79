"""`unlinked-term` over LSP: turned on by the editor's `rules` setting, its quick fix replaces the
use with the link to the glossary page and anchor (relative, from a nested page of a Docusaurus
tree), and fix-all leaves the link out while it applies the casing fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as t

from tests.lsp.conftest import (
    GlossaryClient,
    apply_edits,
    diagnostics,
    doc_id,
    open_doc,
    span,
    start,
    write_files,
)

FILES = {
    "docusaurus.config.js": "module.exports = { url: 'https://docs.harvesterhci.io', presets: "
                            "[['classic', { docs: { routeBasePath: '/', versions: { current: "
                            "{label: 'v1.8', path: 'v1.8'} } } }]] };\n",
    "versions.json": "[]\n",
    "docs/getting-started/glossary.md": "---\ntitle: Glossary\n---\n\n## **guest cluster**\n\n"
                                        "VMs running Kubernetes.\n\n## **VM network**\n\n"
                                        "A network.\n",
}
TEXT = "# Setup\n\nCreate a guest cluster on a VM Network. 😀 The guest cluster runs.\n"
LINK = "[guest cluster](../../getting-started/glossary.md#guest-cluster)"


async def _actions(client: GlossaryClient, uri: str, where: t.Range,
                   found: list[t.Diagnostic], only: list[str] | None = None
                   ) -> list[t.CodeAction]:
    result = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=doc_id(uri), range=where,
        context=t.CodeActionContext(diagnostics=found, only=only)))
    return [a for a in result or [] if isinstance(a, t.CodeAction)]


@pytest.mark.parametrize("profile", ["neovim", "visual_studio_code"])
async def test_link_quick_fix_and_fix_all(bare_client: GlossaryClient, tmp_path: Path,
                                          profile: str) -> None:
    write_files(tmp_path, FILES)
    await start(bare_client, profile, tmp_path, settings={"rules": {"unlinked-term": "hint"}})
    enc = bare_client.encoding
    uri = open_doc(bare_client, tmp_path / "docs" / "advanced" / "nested" / "page.md", TEXT)
    found = await diagnostics(bare_client, uri, version=1)
    unlinked = [d for d in found if d.code == "unlinked-term"]
    where = span(TEXT, "guest cluster", enc)
    assert [d.range for d in unlinked] == [where, span(TEXT, "VM Network", enc)]
    assert all(d.severity == t.DiagnosticSeverity.Hint for d in unlinked)

    actions = await _actions(bare_client, uri, where, unlinked[:1], [t.CodeActionKind.QuickFix])
    assert [a.title for a in actions] == ["Link 'guest cluster' to its glossary entry"]
    (fix,) = actions
    assert fix.is_preferred
    assert fix.edit is not None and fix.edit.changes is not None
    (edit,) = fix.edit.changes[uri]
    assert edit.range == where and edit.new_text == LINK
    assert apply_edits(TEXT, [edit], enc) == TEXT.replace("guest cluster", LINK, 1)

    everything = await _actions(bare_client, uri, t.Range(start=t.Position(line=0, character=0),
                                                          end=t.Position(line=0, character=0)),
                                [], ["source.fixAll"])
    (fix_all,) = everything
    assert fix_all.edit is not None and fix_all.edit.changes is not None
    assert apply_edits(TEXT, list(fix_all.edit.changes[uri]), enc) == TEXT.replace(
        "VM Network", "VM network")  # the casing fix only: links are asked for one by one
