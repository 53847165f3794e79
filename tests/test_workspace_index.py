"""The workspace index (engine): uses by term with their kinds and spans, findings, usage
counts, and keeping it current per file (changed, removed, glossary files, include/exclude)."""

from __future__ import annotations

import os
from pathlib import Path

from harvester_glossary_ls.engine.analysis import analyze
from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.engine.workspace_index import FolderIndex, Usage

GLOSSARY = """\
entries:
  - term: widget
    aliases: [gadget]
    definition: A thing.
    deprecated:
      - form: gizmo
        use: widget
  - term: guest cluster
    definition: A cluster.
"""


def _folder(tmp_path: Path, files: dict[str, str], config: str = "") -> FolderIndex:
    (tmp_path / ".harvester-glossary.yaml").write_text(
        "defaultGlossary: false\nglossaries: [team.yaml]\n" + config, encoding="utf-8")
    (tmp_path / "team.yaml").write_text(GLOSSARY, encoding="utf-8")
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    index = FolderIndex(Project(tmp_path))
    index.run()
    return index


Use = tuple[str, str, str, tuple[int, ...]]


def _uses(index: FolderIndex, term: str, misspelt: bool = False) -> list[Use]:
    return [(path.name, use.form, use.kind.value, use.span)
            for path, use in index.uses_of(term, misspelt=misspelt)]


def test_uses_kinds_spans_and_usage(tmp_path: Path) -> None:
    index = _folder(tmp_path, {
        "a.md": "A widget, a Widget mid-sentence, a gadget and a gizmo.\n",
        "docs/b.md": "Two widgets.\n\nThe guest clsuter.\n",
        "c.yaml": "# a widget here\nname: x\n",
    })
    by_file: dict[str, list[tuple[str, str, tuple[int, ...]]]] = {}
    for name, form, kind, span in _uses(index, "widget"):
        by_file.setdefault(name, []).append((form, kind, span))
    assert by_file == {
        "a.md": [("widget", "canonical", (0, 2, 0, 8)), ("widget", "variant", (0, 12, 0, 18)),
                 ("gadget", "variant", (0, 35, 0, 41)), ("gizmo", "deprecated", (0, 48, 0, 53))],
        "b.md": [("widget", "canonical", (0, 4, 0, 11))],
        "c.yaml": [("widget", "canonical", (0, 4, 0, 10))],
    }
    assert index.usage("widget") == Usage(uses=6, pages=3, deprecated=1)
    # a misspelling is kept (as written) but is not a use
    assert _uses(index, "guest cluster") == []
    assert _uses(index, "guest cluster", misspelt=True) == [
        ("b.md", "guest clsuter", "misspelt", (2, 4, 2, 17))]
    assert index.usage("guest cluster") == Usage(0, 0, 0)
    # findings with their spans; the glossary file is not a document
    codes = {path.name: [(f.finding.code, f.span) for f in record.findings]
             for path, record in index.files.items()}
    assert ("deprecated-term", (0, 48, 0, 53)) in codes["a.md"]
    assert [code for code, _ in codes["b.md"]] == ["term-spelling"]
    assert "team.yaml" not in codes and index.complete


def test_kept_current_per_file(tmp_path: Path) -> None:
    index = _folder(tmp_path, {"a.md": "A widget.\n", "b.md": "No terms.\n",
                               "skip/c.md": "A widget.\n"}, config="exclude: ['skip/**']\n")
    assert [name for name, *_ in _uses(index, "widget")] == ["a.md"]
    assert not index.included(tmp_path / "skip/c.md")
    assert not index.included(tmp_path / "team.yaml")
    assert not index.included(tmp_path / ".git/x.md")

    serial = index.files[tmp_path / "a.md"].serial
    assert index.index_file(tmp_path / "a.md")  # unchanged (mtime, size): not re-read
    assert index.files[tmp_path / "a.md"].serial == serial

    b = tmp_path / "b.md"
    b.write_text("Now a widget and a gizmo.\n", encoding="utf-8")
    os.utime(b, ns=(1, 1))
    index.changed.clear()
    assert index.index_file(b)
    assert index.changed == {b}
    assert index.usage("widget") == Usage(3, 2, 1)

    # an open document's text (a caller's analysis) replaces the file's
    project = index.project
    text = "widget widget widget\n"
    index.record(b, analyze(text, "markdown", project.context_for(b)))
    assert index.usage("widget") == Usage(4, 2, 0)
    index.invalidate(b)  # closed: read from disk again
    assert index.index_file(b)
    assert index.usage("widget") == Usage(3, 2, 1)

    (tmp_path / "a.md").unlink()
    assert not index.index_file(tmp_path / "a.md")
    assert index.usage("widget") == Usage(2, 1, 1)
    index.remove(tmp_path)  # a deleted folder forgets everything under it
    assert not index.files and not index.by_term

    # a re-walk finds new files and drops those gone
    (tmp_path / "d.md").write_text("widget\n", encoding="utf-8")
    index.run()
    assert sorted(p.name for p in index.files) == ["b.md", "d.md"]


def test_uses_by_file_is_uses_of_grouped(tmp_path: Path) -> None:
    """The grouping the references answer is built from: the same uses in the same order
    (files as Paths sort, so "a/x.md" before "a-b/x.md"), misspellings left out unless asked,
    and a file whose only uses are misspellings left out."""
    index = _folder(tmp_path, {
        "a-b/x.md": "A widget and a gizmo.\n",
        "a/x.md": "Two widgets.\n\nA widget again.\n",
        "a/y.md": "The guest clsuter.\n",
        "Z.md": "A gadget.\n",
    })
    for term in ("widget", "guest cluster"):
        for misspelt in (False, True):
            flat = [(path, use) for path, uses in index.uses_by_file(term, misspelt=misspelt)
                    for use in uses]
            assert flat == list(index.uses_of(term, misspelt=misspelt))
    assert [p.relative_to(tmp_path).as_posix() for p, _ in index.uses_by_file("widget")] == [
        "Z.md", "a/x.md", "a-b/x.md"]
    assert list(index.uses_by_file("guest cluster")) == []
    assert [p.name for p, _ in index.uses_by_file("guest cluster", misspelt=True)] == ["y.md"]
