"""`check --cache` and worker processes: the same output as a plain run, whatever changed.

Each test runs the real command in a fresh folder and compares a cached run with a plain
(`--jobs 1`, no cache) run of the same tree, after the change under test. The summary line says
how many files the cache answered, which is what shows that a file was (or was not) analysed
again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harvester_glossary_ls.check_cache import FORMAT
from harvester_glossary_ls.check_workers import by_group, map_forked, round_robin
from tests.glossary_testkit import FIXTURES

SCRIPT = Path(sys.executable).parent / "harvester-glossary-ls"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "harvester_glossary_ls"]
FROM_CACHE = re.compile(r"(\d+) from the cache")


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run([*COMMAND, "check", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env, check=False)


def cached(cwd: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], int]:
    """A --cache run (JSON output), and how many files it took from the cache."""
    result = run(cwd, "--cache", "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    found = FROM_CACHE.search(result.stderr)
    assert found, result.stderr
    return result, int(found.group(1))


def plain(cwd: Path, *args: str) -> str:
    result = run(cwd, "--jobs", "1", "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


def age(path: Path, seconds: float = 60) -> None:
    """Set a file's mtime in the past, as a file not written this very moment has (a stamp
    newer than two seconds is not trusted, and these tests write files a moment before)."""
    past = time.time() - seconds
    os.utime(path, (past, past))


def age_tree(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        age(path)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The CLI fixture documents, with files written well before the run."""
    shutil.copytree(FIXTURES / "cli", tmp_path / "docs")
    age_tree(tmp_path)
    return tmp_path


def test_a_warm_run_reads_nothing_again_and_reports_the_same(tree: Path) -> None:
    first, hits = cached(tree)
    assert hits == 0
    second, hits = cached(tree)
    documents = len([p for p in (tree / "docs").rglob("*") if p.suffix in (".md", ".yaml")])
    assert hits == documents
    assert second.stdout == first.stdout == plain(tree)
    assert second.returncode == first.returncode
    folder = tree / ".harvester-glossary-ls-cache"
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    (data,) = [json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")]
    assert data["format"] == FORMAT  # JSON: loading the cache runs no code


def test_an_edited_file_is_checked_again_and_the_others_are_not(tree: Path) -> None:
    cached(tree)
    page = next((tree / "docs").glob("*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nThe VM Import Controller runs.\n"
                    "Use the vm import controller.\n", encoding="utf-8")
    result, hits = cached(tree)
    total = len(json.loads(plain(tree)))
    assert result.stdout == plain(tree)
    assert len(json.loads(result.stdout)) == total
    documents = len([p for p in (tree / "docs").rglob("*") if p.suffix in (".md", ".yaml")])
    assert hits == documents - 1


def test_a_touched_but_unchanged_file_comes_from_the_cache_by_its_digest(tree: Path) -> None:
    cached(tree)
    for path in (tree / "docs").rglob("*"):  # as a fresh git clone gives every file a new mtime
        os.utime(path, None)
    result, hits = cached(tree)
    documents = len([p for p in (tree / "docs").rglob("*") if p.suffix in (".md", ".yaml")])
    assert hits == documents
    assert result.stdout == plain(tree)


def test_a_changed_glossary_file_invalidates_every_file(tree: Path) -> None:
    glossary = tree / "extra.yaml"
    glossary.write_text("format: harvester-glossary/v1\nentries:\n"
                        "  - term: Frobnicator\n    definition: A thing.\n"
                        "    deprecated:\n      - form: frobber\n        use: Frobnicator\n",
                        encoding="utf-8")
    page = tree / "docs" / "frob.md"
    page.write_text("# Frob\n\nThe frobber runs. The Blorbinator runs.\n", encoding="utf-8")
    age_tree(tree)
    first, _ = cached(tree, "--glossary", "extra.yaml")
    assert "frobber" in first.stdout and "Blorbinator" not in first.stdout
    glossary.write_text(glossary.read_text(encoding="utf-8")
                        + "  - term: Gizmo\n    definition: Another.\n"
                          "    deprecated:\n      - form: Blorbinator\n"
                          "        use: Gizmo\n", encoding="utf-8")
    second, hits = cached(tree, "--glossary", "extra.yaml")
    assert hits == 0
    assert second.stdout == plain(tree, "--glossary", "extra.yaml")
    assert "Blorbinator" in second.stdout


def test_a_new_config_invalidates_every_file(tree: Path) -> None:
    before, _ = cached(tree)
    assert json.loads(before.stdout)
    (tree / ".harvester-glossary.yaml").write_text(
        "rules:\n  deprecated-term: off\n  term-casing: off\n  term-spelling: off\n",
        encoding="utf-8")
    after, hits = cached(tree)
    assert hits == 0
    assert json.loads(after.stdout) == json.loads(plain(tree)) == []


def test_a_term_page_added_to_a_glossary_folder_is_seen(tmp_path: Path) -> None:
    terms = tmp_path / "terms"
    terms.mkdir()
    (terms / "widget.md").write_text("---\ntitle: Widget\n---\nA widget.\n", encoding="utf-8")
    (tmp_path / "page.md").write_text("# Page\n\nA WIDGET and a GADGET.\n", encoding="utf-8")
    (tmp_path / ".harvester-glossary.yaml").write_text(
        "glossaries:\n  - path: terms\n    casing: strict\ndefaultGlossary: false\n",
        encoding="utf-8")
    age_tree(tmp_path)
    first, _ = cached(tmp_path)
    assert "GADGET" not in first.stdout
    (terms / "gadget.md").write_text("---\ntitle: Gadget\n---\nA gadget.\n", encoding="utf-8")
    second, hits = cached(tmp_path)
    assert hits == 0
    assert "GADGET" in second.stdout
    assert second.stdout == plain(tmp_path)


def test_a_docs_tree_glossary_page_change_is_seen(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "sites" / "hugo-mini", site)
    age_tree(site)
    first, _ = cached(site)
    pages = [p for p in site.rglob("*.md") if "glossary" in p.name.lower()
             or "terminology" in p.name.lower()]
    assert pages, "the fixture has a glossary page"
    page = pages[0]
    page.write_text(page.read_text(encoding="utf-8") + "\n### ZorbLAX\n\nA ZorbLAX.\n",
                    encoding="utf-8")
    other = next(p for p in page.parent.glob("*.md") if p != page)
    other.write_text(other.read_text(encoding="utf-8") + "\nThe zorblax runs.\n",
                     encoding="utf-8")
    age_tree(site)  # the page's folder too: only the stamps' difference may tell
    second, hits = cached(site)
    assert second.stdout == plain(site)
    assert "zorblax" in second.stdout and second.stdout != first.stdout
    # every page of the changed tree is checked again (its glossary page is also a document),
    # the other version's pages and the site's front page are not
    assert hits == len(list(site.rglob("*.md"))) - len(list(page.parent.glob("*.md")))


def test_a_broken_cache_file_is_a_miss_with_a_note(tree: Path) -> None:
    cached(tree)
    (cache_file,) = (tree / ".harvester-glossary-ls-cache").glob("*.json")
    cache_file.write_bytes(b"\x80not json")
    result, hits = cached(tree)
    assert hits == 0
    assert "not used" in result.stderr
    assert result.stdout == plain(tree)
    _, hits = cached(tree)  # and it is written anew
    assert hits > 0


def test_an_unwritable_cache_folder_is_said_and_the_result_stands(tree: Path) -> None:
    (tree / "blocked").write_text("a file where the folder would be", encoding="utf-8")
    result = run(tree, "--cache-dir", "blocked/cache", "--format", "json")
    assert "cache not written" in result.stderr
    assert result.returncode == 1  # the fixture has findings
    assert result.stdout == plain(tree)


def test_fix_with_the_cache_fixes_files_whose_findings_were_cached(tree: Path) -> None:
    before, _ = cached(tree)
    assert any(item["fixable"] for item in json.loads(before.stdout))
    fixed = run(tree, "--cache", "--fix")
    assert "fixed 0 file(s)" not in fixed.stderr, fixed.stderr
    after, _ = cached(tree)
    assert after.stdout == plain(tree)
    assert not any(item["fixable"] for item in json.loads(after.stdout))


def _many_pages(root: Path, count: int) -> None:
    for number in range(count):
        folder = root / f"part{number % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"page{number:03}.md").write_text(
            f"# Page {number}\n\nThe vm import controller runs on node {number}.\n\n"
            "```\nharvester config\n```\n\nA Guest Cluster and a guest cluster.\n",
            encoding="utf-8")


def test_worker_processes_report_exactly_what_one_process_does(tmp_path: Path) -> None:
    _many_pages(tmp_path, 150)
    age_tree(tmp_path)
    one = run(tmp_path, "--jobs", "1", "--format", "json")
    several = run(tmp_path, "--jobs", "3", "--format", "json")
    assert one.returncode == several.returncode
    assert len(json.loads(one.stdout)) >= 150
    assert several.stdout == one.stdout
    assert several.stderr == one.stderr
    warm, hits = cached(tmp_path, "--jobs", "3")
    warm, hits = cached(tmp_path, "--jobs", "3")
    assert hits == 150 and warm.stdout == one.stdout


def test_workers_that_each_compile_their_own_trees_glossary_report_the_same(
        tmp_path: Path) -> None:
    """Two version trees of a Hugo site, each with its own glossary page: each worker takes one
    tree (and compiles only its glossary); the output is still what one process gives."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "sites" / "hugo-mini", site)
    for tree in sorted((site / "content" / "docs").iterdir()):
        usage = (tree / "usage.md").read_text(encoding="utf-8")
        for number in range(60):
            (tree / f"copy-{number:02}.md").write_text(
                usage + f"\nThe shrad keeper and the blcok ledger, page {number}.\n",
                encoding="utf-8")
    age_tree(site)
    one = run(site, "--jobs", "1", "--format", "json")
    two = run(site, "--jobs", "2", "--format", "json")
    assert json.loads(one.stdout), one.stderr
    assert (two.stdout, two.stderr, two.returncode) == (one.stdout, one.stderr, one.returncode)


def test_a_fifo_in_the_configs_place_never_blocks_the_cache(tree: Path) -> None:
    """The config's place is a dependency of every run; a FIFO there must be reported (a broken
    config), not read by the cache's digest, which would block forever."""
    os.mkfifo(tree / ".harvester-glossary.yaml")
    cached_run = subprocess.run([*COMMAND, "check", "--cache", "--format", "json"], cwd=tree,
                                capture_output=True, text=True, timeout=60, check=False)
    again = subprocess.run([*COMMAND, "check", "--cache", "--format", "json"], cwd=tree,
                           capture_output=True, text=True, timeout=60, check=False)
    assert cached_run.returncode == again.returncode == 2  # the broken config, said
    assert again.stdout == cached_run.stdout


def test_a_negative_jobs_is_a_usage_error(tree: Path) -> None:
    result = run(tree, "--jobs", "-2")
    assert result.returncode == 2 and "--jobs N takes 0" in result.stderr


def test_groups_stay_whole_when_that_is_about_even() -> None:
    assert by_group(["a"] * 50 + ["b"] * 48 + ["c"], 2) == [
        list(range(50)), list(range(50, 99))]
    assert by_group(["a"] * 90 + ["b"] * 10, 2) is None  # one process would do nearly all
    assert round_robin(5, 2) == [range(0, 5, 2), range(1, 5, 2)]


def _dies_in_a_worker(parent: int) -> object:
    def work(item: int) -> int:
        if os.getpid() != parent:
            os._exit(3)  # a worker that dies without a word
        return item * 2
    return work


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_a_worker_that_dies_has_its_share_done_by_the_parent() -> None:
    work = _dies_in_a_worker(os.getpid())
    assert map_forked(work, list(range(100)), round_robin(100, 3)) == [  # type: ignore[arg-type]
        n * 2 for n in range(100)]
