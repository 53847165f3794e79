"""A large references answer over LSP (issue 10): every use, in file then position order, in the
negotiated position encoding, the declaration first; the same when asked again (from the
server's cache), and the new uses at once after an edit and after closing without saving (the
cache is dropped whenever the index changes). The expected answer is worked out here from the
files' text, not from the server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lsprotocol import types as t

from tests.lsp.conftest import (
    GlossaryClient,
    change,
    close_doc,
    doc_id,
    open_doc,
    start,
    units,
    where,
    write_files,
)

GLOSSARY = """\
entries:
  - term: widget
    definition: A thing that does something.
  - term: sprocket
    definition: Another thing.
"""
PAGES = 30
LINES = 40


def _page(number: int) -> str:
    lines = [f"# Page {number}", ""]
    for line in range(LINES):
        prefix = "Ünïcode 🙂 first, then the" if line % 3 == 0 else "Set the"
        lines.append(f"{prefix} widget before the sprocket, then widget {line} again.")
    return "\n".join(lines) + "\n"


def _files() -> dict[str, str]:
    files = {".harvester-glossary.yaml": "defaultGlossary: false\nglossaries: [team.yaml]\n",
             "team.yaml": GLOSSARY}
    for number in range(PAGES):  # folders that sort differently as paths and as strings
        folder = "docs/a-b" if number % 2 else "docs/a"
        files[f"{folder}/page-{number:02d}.md"] = _page(number)
    return files


Use = tuple[str, int, int, int, int]


def _uses_in(uri: str, text: str, encoding: str) -> list[Use]:
    found = []
    for number, line in enumerate(text.split("\n")):
        for match in re.finditer(r"\bwidget\b", line):
            found.append((uri, number, units(line[:match.start()], encoding), number,
                          units(line[:match.end()], encoding)))
    return found


def _expected(root: Path, texts: dict[Path, str], encoding: str) -> list[Use]:
    """Every use, files in sorted (Path) order, each file's in text order; `texts`: what the
    editor holds for open documents, the disk for the rest."""
    paths = sorted(path for path in root.rglob("*.md"))
    return [use for path in paths
            for use in _uses_in(path.as_uri(), texts.get(path) or path.read_text("utf-8"),
                                encoding)]


def _plain(location: t.Location) -> Use:
    where_ = location.range
    return (location.uri, where_.start.line, where_.start.character, where_.end.line,
            where_.end.character)


async def _references(client: GlossaryClient, uri: str, text: str) -> list[Use]:
    found = await client.text_document_references_async(t.ReferenceParams(
        text_document=doc_id(uri), position=where(text, "widget", encoding=client.encoding),
        context=t.ReferenceContext(include_declaration=True)))
    return [_plain(location) for location in found or []]


@pytest.mark.parametrize("profile", ["visual_studio_code", "neovim"])
async def test_large_answer_unchanged_and_current(bare_client: GlossaryClient, profile: str,
                                                  tmp_path: Path) -> None:
    client = bare_client
    write_files(tmp_path, _files())
    await start(client, profile, tmp_path)
    encoding = client.encoding
    page = tmp_path / "docs/a/page-00.md"
    text = page.read_text("utf-8")
    uri = open_doc(client, page, text)
    definition = await client.text_document_definition_async(t.DefinitionParams(
        text_document=doc_id(uri), position=where(text, "widget", encoding=encoding)))
    assert isinstance(definition, t.Location)
    declaration = _plain(definition)

    expected = [declaration, *_expected(tmp_path, {}, encoding)]
    assert len(expected) == 1 + PAGES * LINES * 2
    assert await _references(client, uri, text) == expected
    assert await _references(client, uri, text) == expected  # asked again: the cached answer

    # an unsaved edit of the open page: a use gone, two new ones
    edited = text.replace("widget", "thing", 1) + "\nOne widget, two widget.\n"
    change(client, uri, 2, edited)
    expected = [declaration, *_expected(tmp_path, {page: edited}, encoding)]
    assert await _references(client, uri, edited) == expected

    # another page emptied in the editor, then closed without saving: the disk counts again
    other = tmp_path / "docs/a-b/page-01.md"
    other_uri = open_doc(client, other, other.read_text("utf-8"))
    change(client, other_uri, 2, "# Nothing here\n")
    expected = [declaration, *_expected(tmp_path, {page: edited, other: "# Nothing here\n"},
                                        encoding)]
    assert await _references(client, uri, edited) == expected
    close_doc(client, other_uri)
    expected = [declaration, *_expected(tmp_path, {page: edited}, encoding)]
    assert await _references(client, uri, edited) == expected
