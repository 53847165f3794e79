"""Issue 8 bugs of the duplicated readers, link parsers and front-matter splitters, reproduced.

Each test goes through an entry point that existed before the one reader, the one link parser
and the one front-matter splitter, so it fails on the old code and passes on the new: a FIFO a
glossary links to hung `check`, glossary lint saw links inside inline code, and front matter
with an alias bomb was loaded without the node budget.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from harvester_glossary_ls.engine.docs_site import load_docs_site
from harvester_glossary_ls.engine.files import UnreadableFile, read_text_file
from harvester_glossary_ls.engine.glossary_lint import lint_glossary
from harvester_glossary_ls.engine.loader import harvester_glossary
from harvester_glossary_ls.engine.models import Entry
from harvester_glossary_ls.engine.parsers.hugo import parse_hugo_file
from harvester_glossary_ls.engine.render import terminal_text

BOMB = "".join(
    [f'a: &a [{", ".join(["lol"] * 9)}]\n']
    + [f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
       for prev, name in zip("abcdefgh", "bcdefghi", strict=True)]
)
"""A "billion laughs" document: 9^9 strings once its aliases are expanded."""

CONFIG_JS = ("module.exports = {presets: [['classic', {docs: {versions: "
             "{current: {path: 'v1.8'}}}}]]};\n")


def _docs_checkout(root: Path, glossary_body: str) -> Path:
    """A harvester/docs-like checkout whose dev tree's glossary page has `glossary_body`."""
    (root / "docusaurus.config.js").write_text(CONFIG_JS, encoding="utf-8")
    page = root / "docs" / "getting-started" / "glossary.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\nid: glossary\n---\n# Glossary\n\n## **Guest cluster**\n\n"
                    f"{glossary_body}\n", encoding="utf-8")
    return page


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_check_does_not_hang_on_a_fifo_the_glossary_links_to(tmp_path: Path) -> None:
    page = _docs_checkout(tmp_path, "A cluster, see [x](./x.md).")
    os.mkfifo(page.parent / "x.md")
    (tmp_path / "docs" / "doc.md").write_text("The guest cluster.\n", encoding="utf-8")
    try:
        result = subprocess.run([sys.executable, "-m", "harvester_glossary_ls", "check",
                                 "docs/doc.md"], cwd=tmp_path, capture_output=True, text=True,
                                timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("check hung reading the FIFO a glossary link points to")
    assert result.returncode == 0, result.stderr


def test_lint_ignores_a_link_shown_inside_inline_code(tmp_path: Path) -> None:
    page = _docs_checkout(tmp_path, "Write links as `[text](missing.md)`; "
                                    "[a real one](./gone.md) is checked.")
    messages = [problem.message for problem in lint_glossary(page.read_text(), page)]
    assert messages == ["link target ./gone.md does not exist"]


def test_alias_bomb_in_hugo_front_matter_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "node.md"
    path.write_text(f"---\ntitle: Node\n{BOMB}---\nA machine.\n", encoding="utf-8")
    result = parse_hugo_file(path)
    assert result.entries == ()
    [problem] = result.problems
    assert "broken front matter" in problem.message and "alias bomb" in problem.message


def test_alias_bomb_in_a_linked_page_front_matter_is_rejected(tmp_path: Path) -> None:
    page = _docs_checkout(tmp_path, "See [the bomb](../bomb.md).")
    (tmp_path / "docs" / "bomb.md").write_text(f"---\nid: boom\n{BOMB}---\n# Bomb\n",
                                               encoding="utf-8")
    messages = [problem.message for problem in lint_glossary(page.read_text(), page)]
    assert len(messages) == 1 and "front matter of ../bomb.md is ignored" in messages[0]
    assert "alias bomb" in messages[0]
    site = load_docs_site(tmp_path)
    assert site is not None
    glossary, _ = harvester_glossary(site.trees[0])
    entry = glossary.entry("guest cluster")
    assert entry is not None
    # the rejected front matter's `id: boom` is not used: the URL comes from the file name
    assert [link.url for link in entry.links] == ["https://docs.harvesterhci.io/v1.8/bomb"]


# --- the one reader -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.mkdir(), "not a regular file"),
        (lambda p: p.write_bytes(b"text\x00more"), "binary file (contains NUL bytes)"),
        (lambda p: p.write_bytes(b"ok\ncaf\xe9\n"), "not UTF-8 (invalid byte at offset 6)"),
        (lambda p: p.write_bytes(b"x" * 11), "11 bytes is over the 10 byte limit"),
        (lambda p: None, "No such file or directory"),
    ],
    ids=["directory", "nul", "latin1", "too-large", "missing"],
)
def test_read_text_file_says_why_it_cannot(tmp_path: Path, make: Callable[[Path], object],
                                           reason: str) -> None:
    path = tmp_path / "f.md"
    make(path)
    with pytest.raises(UnreadableFile) as raised:
        read_text_file(path, limit=10)
    assert raised.value.reason.startswith(reason)
    assert str(raised.value).endswith(raised.value.reason)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_read_text_file_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.md")
    with pytest.raises(UnreadableFile, match="not a regular file"):
        read_text_file(tmp_path / "fifo.md")


def test_read_text_file_drops_a_bom_and_says_where_a_bad_byte_is(tmp_path: Path) -> None:
    path = tmp_path / "f.md"
    path.write_bytes(b"\xef\xbb\xbfok\n")
    assert read_text_file(path) == "ok\n"
    path.write_bytes(b"a\nb\n\xff")
    with pytest.raises(UnreadableFile) as raised:
        read_text_file(path)
    assert raised.value.line == 2


# --- the one link parser ------------------------------------------------------------------------


def test_terminal_text_leaves_a_link_in_code_as_written() -> None:
    entry = Entry(term="t", definition="See [docs](https://x.io) and `[a](b.md)`.")
    assert "See docs and `[a](b.md)`." in terminal_text(entry)
