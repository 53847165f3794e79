"""Incremental sync and positions in the negotiated encoding, on lines with astral characters
(emoji, a ZWJ sequence), CJK and combining characters before the terms."""

from __future__ import annotations

import pytest
from lsprotocol import types as t

from tests.lsp.conftest import (
    ENCODINGS,
    GlossaryClient,
    change,
    complete,
    diagnostics,
    hover,
    open_doc,
    pulls,
    pushes,
    rng,
    span,
    units,
    where,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")
PROFILES = ["visual_studio_code", "vscode", "neovim", "emacs"]  # vscode: the same, pulled

PREFIX = "😀 中文 e\u0301 👩\u200d👩\u200d👧 "
LINE = PREFIX + "we attach it to the harvester-mgmt network of a guest cluster."
TEXT = f"# Positions\n\n{LINE}\n"


async def test_fixture_text_is_hard() -> None:
    """The prefix differs in every encoding, so a wrong unit shows."""
    assert len({units(PREFIX, e) for e in ("utf-8", "utf-16", "utf-32")}) == 3


async def test_encoding_negotiated(mclient: GlossaryClient) -> None:
    assert mclient.encoding == ENCODINGS[mclient.profile]


async def test_hover_range_after_wide_characters(mclient: GlossaryClient) -> None:
    enc = mclient.encoding
    uri = open_doc(mclient, mclient.root / "hover.md", TEXT)
    for needle, term in (("harvester-mgmt", "mgmt"), ("guest cluster", "guest cluster")):
        expected = span(TEXT, needle, enc)
        for inside in (0, 3, len(needle)):
            result = await hover(mclient, uri, where(TEXT, needle, encoding=enc, inside=inside))
            assert result is not None, (needle, inside)
            assert result.range == expected
            assert isinstance(result.contents, t.MarkupContent)
            assert result.contents.value.startswith(f"**{term}**")
    # on the emoji, the CJK and the combining mark: nothing
    for needle in ("😀", "中", "\u0301", "👧"):
        assert await hover(mclient, uri, where(TEXT, needle, encoding=enc)) is None
    # past the end of the line, past the end of the document: clamped, no error
    assert await hover(mclient, uri, t.Position(line=2, character=10_000)) is None
    assert await hover(mclient, uri, t.Position(line=99, character=0)) is None


async def test_diagnostic_range_after_wide_characters(mclient: GlossaryClient) -> None:
    enc = mclient.encoding
    uri = open_doc(mclient, mclient.root / "diag.md", TEXT)
    found = await diagnostics(mclient, uri, version=1)
    deprecated = [d for d in found if d.code == "deprecated-term"]
    assert len(deprecated) == 1
    assert deprecated[0].range == span(TEXT, "harvester-mgmt", enc)


async def test_completion_edit_range_after_wide_characters(mclient: GlossaryClient) -> None:
    enc = mclient.encoding
    text = f"{PREFIX}you can use the VM mig"
    uri = open_doc(mclient, mclient.root / "complete.md", text)
    end = t.Position(line=0, character=units(text, enc))
    items = await complete(mclient, uri, end)
    assert items and items[0].label == "VM migration network"
    edit = items[0].text_edit
    assert isinstance(edit, t.TextEdit)
    assert edit.range == t.Range(start=where(text, "VM mig", encoding=enc), end=end)


async def test_incremental_edits(mclient: GlossaryClient) -> None:
    """Edits given in client units land where the client meant, and diagnostics follow."""
    enc = mclient.encoding
    path = mclient.root / "edit.md"
    text = "# Edits\n\nThe harvester-mgmt network.\n"
    uri = open_doc(mclient, path, text)
    first = await diagnostics(mclient, uri, version=1)
    assert [d.code for d in first] == ["deprecated-term"]

    # 1. insert the wide prefix at the start of line 2, then (same notification) replace
    #    "network" — its columns already count the inserted prefix, in client units
    new_line = PREFIX + "The harvester-mgmt network."
    net = where(new_line, "network", encoding=enc).character
    change(mclient, uri, 2,
           (rng(2, 0, 0), PREFIX),
           (rng(2, net, net + len("network")), "net of the guest cluster"))
    text = f"# Edits\n\n{PREFIX}The harvester-mgmt net of the guest cluster.\n"
    found = await diagnostics(mclient, uri, version=2)
    assert [d.range for d in found if d.code == "deprecated-term"] == [
        span(text, "harvester-mgmt", enc)]
    result = await hover(mclient, uri, where(text, "guest cluster", encoding=enc, inside=2))
    assert result is not None and result.range == span(text, "guest cluster", enc)

    # 2. an edit spanning lines: join line 2 into a new heading line
    change(mclient, uri, 3, (rng(0, len("# Edits"), where(text, "The", encoding=enc).character,
                                 end_line=2), " — "))
    text = "# Edits — The harvester-mgmt net of the guest cluster.\n"
    found = await diagnostics(mclient, uri, version=3)
    assert [d.range for d in found if d.code == "deprecated-term"] == [
        span(text, "harvester-mgmt", enc)]

    # 3. delete the deprecated word: its finding goes
    dep = span(text, "harvester-mgmt", enc)
    change(mclient, uri, 4, (dep, "mgmt"))
    found = await diagnostics(mclient, uri, version=4)
    assert [d for d in found if d.code == "deprecated-term"] == []

    # 4. a whole-document change still works
    change(mclient, uri, 5, "Use harvester-mgmt.\n")
    found = await diagnostics(mclient, uri, version=5)
    assert [d.range for d in found] == [rng(0, 4, 18)]

    if not pulls(mclient.profile):
        # pushed diagnostics carry the document version they describe
        versions = [p.version for p in pushes(mclient, uri)]
        known = [v for v in versions if v is not None]
        assert known == versions and known == sorted(known) and known[-1] == 5
