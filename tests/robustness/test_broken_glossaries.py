"""Broken glossaries and configs while the server runs.

Each case breaks the workspace's YAML glossary (terms.yaml) or its config
(.harvester-glossary.yaml) on disk and tells the server, as a file watcher would. Then:
- a window/showMessage names the file and says what is wrong,
- a diagnostic appears on that file,
- the last good glossary keeps serving: hover on "Frobnicator" still shows its definition,
- the server wrote and deleted nothing (snapshot of the workspace before and after),
and after the good files come back, the diagnostics on them are withdrawn.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.robustness.conftest import CONFIG, DOC, GLOSSARY, snapshot, write_project
from tests.robustness.rawclient import RawServer

DEFINITION = "frobnicates every VM network"
ZED = "  - term: Zed\n"

BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@dataclass(frozen=True)
class Case:
    name: str
    target: str  # "terms.yaml", ".harvester-glossary.yaml" or another file the message names
    says: str  # a phrase the message must contain (lower case)
    breaks: Callable[[Path], object]


def text(name: str, content: str) -> Callable[[Path], object]:
    return lambda root: (root / name).write_text(content, encoding="utf-8")


def data(name: str, content: bytes) -> Callable[[Path], object]:
    return lambda root: (root / name).write_bytes(content)


def replace(name: str, make: Callable[[Path], object]) -> Callable[[Path], object]:
    def run(root: Path) -> None:
        (root / name).unlink()
        make(root / name)
    return run


G, C = "terms.yaml", ".harvester-glossary.yaml"
CASES = [
    # the glossary's YAML
    Case("invalid YAML", G, "invalid yaml", text(G, GLOSSARY + "  - term: [unclosed\n")),
    Case("tab indentation", G, "invalid yaml", text(G, "entries:\n\t- term: Frobnicator\n")),
    Case("top level is a list", G, "must be a mapping", text(G, "- term: Frobnicator\n")),
    Case("top level is a scalar", G, "must be a mapping", text(G, "just some words\n")),
    Case("entries is a mapping", G, "'entries' must be a list",
         text(G, "entries:\n  term: Frobnicator\n")),
    Case("an entry that is a string", G, "must be a mapping",
         text(G, GLOSSARY + "  - just a string\n")),
    Case("an entry without term", G, "missing required field 'term'",
         text(G, GLOSSARY + "  - definition: an orphan\n")),
    Case("a term that is a list", G, "'term' must be a string",
         text(G, GLOSSARY + "  - term: [a, b]\n")),
    Case("a definition that is a mapping", G, "'definition' must be a string",
         text(G, GLOSSARY + ZED + "    definition: {a: 1}\n")),
    Case("aliases that are a mapping", G, "'aliases' must be a string or a list",
         text(G, GLOSSARY + ZED + "    aliases: {a: 1}\n")),
    Case("a deprecated form without use", G, "needs 'use'",
         text(G, GLOSSARY + ZED + "    deprecated:\n      - form: zedd\n")),
    Case("since is not a version", G, "not a version",
         text(G, GLOSSARY + ZED + "    deprecated:\n      - form: zedd\n        use: Zed\n"
                                  "        since: soon\n")),
    Case("a duplicate term", G, "defined twice",
         text(G, GLOSSARY + "  - term: frobnicator\n    definition: A second one.\n")),
    Case("an unknown top-level field", G, "unknown top-level field", text(G, "colour: blue\n"
                                                                          + GLOSSARY)),
    Case("casing of a wrong value", G, "'casing' must be strict, asserted or ignore",
         text(G, GLOSSARY + ZED + "    casing: sometimes\n")),
    Case("an empty file", G, "empty glossary file", text(G, "")),
    Case("only comments", G, "empty glossary file", text(G, "# nothing here yet\n")),
    Case("a binary file", G, "nul bytes", data(G, b"\x00\x01entries:\x00")),
    Case("invalid UTF-8", G, "not utf-8", data(G, GLOSSARY.encode() + b"\xff\xfe\n")),
    Case("over 5 MB", G, "larger than", text(G, "# " + "x" * 5_000_001 + "\n")),
    Case("a YAML alias bomb", G, "alias bomb", text(G, BOMB)),
    Case("nested 10,000 deep", G, "nesting depth",
         text(G, "entries: " + "[" * 10_000 + "]" * 10_000 + "\n")),
    Case("a python tag", G, "must be a mapping",
         text(G, "entries: !!python/object/apply:os.system ['touch pwned']\n")),
    # the glossary file itself
    Case("deleted", G, "no such file", lambda root: (root / G).unlink()),
    Case("renamed", G, "no such file", lambda root: (root / G).rename(root / "terms.old.yaml")),
    Case("replaced by an empty directory", G, "no term pages", replace(G, Path.mkdir)),
    Case("replaced by a FIFO", G, "not a regular file", replace(G, os.mkfifo)),
    Case("a link to /dev/zero", G, "not a regular file",
         replace(G, lambda p: p.symlink_to("/dev/zero"))),
    Case("a symlink loop", G, "too many levels of symbolic links",
         replace(G, lambda p: p.symlink_to(p))),
    Case("a dangling symlink", G, "no such file",
         replace(G, lambda p: p.symlink_to(p.parent / "nowhere.yaml"))),
    # the config
    Case("config: invalid YAML", C, "invalid yaml", text(C, "glossaries: [terms.yaml\n")),
    Case("config: a list", C, "must be a mapping", text(C, "- terms.yaml\n")),
    Case("config: glossaries of a wrong type", C, "'glossaries' item: unknown key 'a'",
         text(C, "glossaries: {a: 1}\n")),
    Case("config: an unknown key", C, "unknown setting 'colour'",
         text(C, CONFIG + "colour: blue\n")),
    Case("config: unknown rule and severity", C, "unknown rule 'nope'",
         text(C, CONFIG + "rules: {nope: error, term-casing: loud}\n")),
    Case("config: glossaryVersion not a version", C, "'glossaryversion' must look like v1.7",
         text(C, CONFIG + "glossaryVersion: latest\n")),
    Case("config: a YAML alias bomb", C, "alias bomb", text(C, CONFIG + BOMB)),
    Case("config: invalid UTF-8", C, "cannot read config", data(C, CONFIG.encode() + b"\xff")),
    Case("config: a directory", C, "not a regular file", replace(C, Path.mkdir)),
    Case("config: a FIFO", C, "not a regular file", replace(C, os.mkfifo)),
    Case("config: names a glossary that does not exist", "missing.yaml", "no such file",
         text(C, "glossaries: [terms.yaml, missing.yaml]\n")),
    Case("config: names a missing glossary outside the workspace", "missing-outside.yaml",
         "no such file", text(C, "glossaries: [terms.yaml, ../../missing-outside.yaml]\n")),
    Case("config: names itself as a glossary", C, "unknown top-level field 'glossaries'",
         text(C, "glossaries: [terms.yaml, .harvester-glossary.yaml]\n")),
]


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RawServer, Path, str]]:
    root = write_project(tmp_path_factory.mktemp("broken") / "ws").resolve()
    before = snapshot(root)
    server = RawServer(cwd=root)
    server.initialize("visual_studio_code", root)
    uri = (root / "doc.md").as_uri()
    server.open(uri, DOC)
    assert DEFINITION in hover_text(server, uri)
    yield server, root, uri
    assert server.shutdown() == 0
    assert snapshot(root) == before, "the workspace differs after the last restore"


def hover_text(server: RawServer, uri: str) -> str:
    hover = server.hover(uri, 2, 6)  # "Frobnicator" in the document's second paragraph
    return "" if hover is None else str(hover["contents"]["value"])


def notify_changed(server: RawServer, root: Path, *names: str) -> None:
    server.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": (root / name).as_uri(), "type": 2} for name in names]})


def restore(root: Path) -> None:
    for name in (G, C, "terms.old.yaml"):
        path = root / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif os.path.lexists(path):
            path.unlink()
    (root / G).write_text(GLOSSARY, encoding="utf-8")
    (root / C).write_text(CONFIG, encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_file_is_reported_and_the_last_good_glossary_serves(
        session: tuple[RawServer, Path, str], case: Case) -> None:
    server, root, uri = session
    shown = len(server.messages())
    target = (root / case.target).resolve() if case.target != "missing-outside.yaml" else (
        root.parent.parent / case.target)
    target_uri = target.as_uri()
    server.diagnostics.pop(target_uri, None)
    case.breaks(root)
    broken = snapshot(root)
    started = time.monotonic()
    notify_changed(server, root, G, C, "terms.old.yaml")

    def reported() -> bool:
        return any(case.target in m["message"] and case.says in m["message"].lower()
                   for m in server.messages()[shown:])

    assert server.wait_for(reported, 10), [m["message"] for m in server.messages()[shown:]]
    assert server.wait_for(lambda: bool(server.diagnostics.get(target_uri, {}).get(
        "diagnostics")), 10), f"no diagnostics on {target_uri}"
    elapsed = time.monotonic() - started
    assert any(case.says in d["message"].lower()
               for d in server.diagnostics[target_uri]["diagnostics"])
    assert DEFINITION in hover_text(server, uri), "the last good glossary no longer serves"
    assert snapshot(root) == broken, "the server changed files"
    print(f"BOUND: {case.name}: reported in {elapsed:.2f} s")

    restore(root)
    notify_changed(server, root, G, C, "terms.old.yaml")
    assert server.wait_for(lambda: server.diagnostics.get(target_uri, {}).get(
        "diagnostics") == [], 10), "diagnostics stay after the fix"
    assert DEFINITION in hover_text(server, uri)


def test_neovim_reload_on_save_of_an_open_glossary(tmp_path: Path) -> None:
    """Neovim has no file watching on Linux: a save of the open glossary reloads it."""
    root = write_project(tmp_path / "ws").resolve()
    server = RawServer(cwd=root)
    try:
        server.initialize("neovim", root)
        uri = (root / "doc.md").as_uri()
        server.open(uri, DOC)
        glossary = (root / G).as_uri()
        server.open(glossary, GLOSSARY, language="yaml")
        (root / G).write_text("entries: [unclosed\n", encoding="utf-8")
        server.notify("textDocument/didSave", {"textDocument": {"uri": glossary}})
        assert server.wait_for(lambda: any("invalid YAML" in m["message"]
                                           for m in server.messages()), 10)
        assert DEFINITION in hover_text(server, uri)
    finally:
        assert server.shutdown() == 0
