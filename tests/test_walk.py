"""The one document walk (engine/walk.py) that `check` and the server's references share."""

from __future__ import annotations

from pathlib import Path

import pytest

from harvester_glossary_ls.engine.walk import documents_in, is_document, walk_documents


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.md", True), ("a.markdown", True), ("a.yaml", True), ("a.yml", True), ("A.MD", True),
     ("a.mdx", False), ("a.txt", False), ("md", False), ("a.md.bak", False)],
)
def test_documents_are_the_extensions_the_readme_lists(name: str, expected: bool) -> None:
    assert is_document(name) is expected


def _tree(root: Path) -> None:
    for relative in ("b.md", "a.yaml", "sub/c.md", "sub/d.mdx", "node_modules/e.md",
                     ".hidden/f.md", "build/g.md", "z/h.yml"):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("text\n", encoding="utf-8")


def test_walk_is_sorted_skips_tool_and_hidden_folders_and_follows_no_folder_link(
        tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)  # a folder link: never entered
    (tmp_path / "z" / "link.md").symlink_to(tmp_path / "b.md")  # a file link: a document
    found = [p.relative_to(tmp_path).as_posix() for p in walk_documents(tmp_path)]
    assert found == ["a.yaml", "b.md", "sub/c.md", "z/h.yml", "z/link.md"]


def test_walk_honours_the_include_predicate_and_the_limit(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = list(walk_documents(tmp_path, lambda path: path.suffix == ".md", limit=2))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["b.md", "sub/c.md"]


def test_documents_in_takes_named_files_as_they_are_and_reports_missing_paths(
        tmp_path: Path) -> None:
    _tree(tmp_path)
    missing: list[str] = []
    found = list(documents_in([str(tmp_path / "sub/d.mdx"), str(tmp_path / "nope"),
                               str(tmp_path / "z")], missing=missing.append))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["sub/d.mdx", "z/h.yml"]
    assert missing == [str(tmp_path / "nope")]
