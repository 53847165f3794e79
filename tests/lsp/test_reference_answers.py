"""References answers as prepared JSON (issue 10): byte for byte what pygls would have sent for
the same `Location` objects, sent through the protocol with the same framing, and kept only
while the index is unchanged. In process: no server, no client."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types as t

from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.engine.workspace_index import FolderIndex
from harvester_glossary_ls.lsp.convert import span_range
from harvester_glossary_ls.lsp.indexer import file_uri
from harvester_glossary_ls.lsp.pygls_fixes.prepared import PreparedResult
from harvester_glossary_ls.lsp.reference_answers import ReferenceAnswers
from harvester_glossary_ls.lsp.server import create_server

GLOSSARY = """\
entries:
  - term: widget
    aliases: [gadget]
    definition: A thing.
  - term: sprocket
    definition: Another thing.
"""
LINE = "A widget, the Widgets, a gadget and one more widget near the sprocket.\n"
NAMES = ["a/x.md", "a-b/x.md", "Z.md", "docs/café ü.md", "docs/100%.md"]


@dataclass
class _Index:
    """The two things an answer reads of the session's index."""

    folder: FolderIndex
    generation: int = 1

    def folder_for(self, path: Path | None) -> FolderIndex | None:
        return self.folder


def _workspace(root: Path, pages: int = 40, lines: int = 20) -> FolderIndex:
    (root / ".harvester-glossary.yaml").write_text(
        "defaultGlossary: false\nglossaries: [team.yaml]\n", encoding="utf-8")
    (root / "team.yaml").write_text(GLOSSARY, encoding="utf-8")
    names = NAMES + [f"docs/section-{n // 10}/page-{n:03d}.md" for n in range(pages)]
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# Page\n\n" + "Ünïcode first: " + LINE + LINE * lines, encoding="utf-8")
    folder = FolderIndex(Project(root))
    folder.run()
    return folder


def _locations(folder: FolderIndex, term: str) -> list[t.Location]:
    """The answer as it was made before prepared JSON: a Location per use."""
    return [t.Location(uri=file_uri(path), range=span_range(use.span))
            for path, use in folder.uses_of(term)]


def _declaration(root: Path) -> t.Location:
    start = t.Position(line=1, character=0)
    return t.Location(uri=(root / "team.yaml").as_uri(), range=t.Range(start=start, end=start))


class _Writer:
    def __init__(self) -> None:
        self.frames: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.frames.append(data)

    def close(self) -> None:
        pass


def _frame(data: bytes) -> Any:
    """A frame's body parsed, after checking its Content-Length."""
    header, _, body = data.partition(b"\r\n\r\n")
    length = int(header.split(b"\r\n")[0].removeprefix(b"Content-Length: "))
    assert length == len(body)
    return json.loads(body)


def test_prepared_answer_is_what_pygls_sends(tmp_path: Path) -> None:
    folder = _workspace(tmp_path)
    answers = ReferenceAnswers()
    declaration = _declaration(tmp_path)
    expected = [declaration, *_locations(folder, "widget")]
    assert len(expected) > 1000  # a large answer, from files with awkward names
    assert {Path(name).name for name in NAMES} <= {
        path.name for path, _ in folder.uses_of("widget")}

    prepared = answers.answer(_Index(folder), tmp_path / "Z.md", "widget", [declaration])
    protocol = create_server().protocol
    converter = protocol._converter  # what pygls serialises results with
    assert prepared.text == json.dumps(converter.unstructure(expected))
    without = answers.answer(_Index(folder), tmp_path / "Z.md", "widget", [])
    assert without.text == json.dumps(converter.unstructure(expected[1:]))
    assert answers.answer(_Index(folder), tmp_path / "Z.md", "nothing", []).text == "[]"

    # through the protocol: the same frame as pygls makes of the Location objects
    writer = _Writer()
    protocol.set_writer(writer)
    protocol._send_response(7, result=prepared)
    protocol._send_response("eight", result=expected)
    ours, theirs = (_frame(frame) for frame in writer.frames)
    assert ours == {**theirs, "id": 7}
    assert theirs["id"] == "eight" and ours["result"] == converter.unstructure(expected)


def test_answers_are_kept_until_the_index_changes(tmp_path: Path) -> None:
    folder = _workspace(tmp_path, pages=3, lines=2)
    index = _Index(folder)
    answers = ReferenceAnswers(size=2)
    page = tmp_path / "Z.md"
    converter = create_server().protocol._converter

    def answer(term: str) -> list[Any]:
        result = answers.answer(index, page, term, [])
        assert isinstance(result, PreparedResult)
        parsed: list[Any] = json.loads(result.text)
        assert parsed == converter.unstructure(_locations(folder, term))
        return parsed

    first = answer("widget")
    assert answer("widget") == first and answers.built == 1  # from the cache

    page.write_text("# Z\n\nOnly one widget now.\n", encoding="utf-8")
    folder.index_file(page)  # the folder's version changes
    changed = answer("widget")
    assert answers.built == 2 and len(changed) < len(first)

    index.generation += 1  # a rebuild (configuration or glossary change)
    assert answer("widget") == changed and answers.built == 3

    answer("sprocket")
    answer("gadget")  # no such term: an empty answer, still cached
    assert answers.built == 5
    answer("widget")  # the oldest of three was dropped (size 2)
    assert answers.built == 6
