"""Hostile documents and glossaries: bounded time and memory, a message instead of a hang.

Every test prints a `BOUND:` line with what it measured (run with -s to see them). Memory is the
peak RSS of the process under test: ru_maxrss from wait4() for a CLI run, VmHWM from /proc for
the server (the growth over its RSS before the input).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from harvester_glossary_ls.engine.analysis import analyze
from harvester_glossary_ls.engine.files import MAX_DOCUMENT_BYTES
from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.engine.yamlnodes import YamlError, load_yaml
from harvester_glossary_ls.lsp.convert import MAX_DIAGNOSTICS
from tests.robustness.conftest import CONFIG, DOC, GLOSSARY, snapshot, write_project
from tests.robustness.rawclient import RawServer
from tests.robustness.test_broken_glossaries import BOMB

PROSE = "Attach the VM to the harvester-mgmt network of the guest cluster. Then rest.\n"
DENSE_LINE = ("\U0001f600 the Guest Cluster and harvester-mgmt " * 30_000)[:1_000_000]
DATA_URI_LINE = "![diagram](data:image/png;base64," + "iVBORw0KGgoAAAANSUhEUg" * 45_455 + ")"


def bound(name: str, **measured: object) -> None:
    print("BOUND:", name, " ".join(f"{k}={v}" for k, v in measured.items()))


HANG_GUARD_SECONDS = 60.0
"""Only a hang fails a test here: the measured times are printed (BOUND lines), never budgeted,
because the machines are shared and a tight wall-clock assertion fails CI at random."""


MEASURED = """
import sys
from pathlib import Path
from harvester_glossary_ls.cli import main
try:
    code = main(sys.argv[1:])
finally:
    peak = next(line for line in Path("/proc/self/status").read_text().splitlines()
                if line.startswith("VmHWM:"))
    sys.stderr.write("PEAK_KB=" + peak.split()[1] + "\\n")
sys.exit(code)
"""


def peak_cli(args: list[str], cwd: Path, timeout: float = 60) -> tuple[int, str, str, float,
                                                                          float]:
    """(exit code, stdout, stderr, seconds, peak RSS in MB) of one CLI run. The peak is the
    child's own VmHWM, read in the child at its end: wait4's ru_maxrss would count the memory
    of the pytest process it was forked from (Linux keeps the pre-exec high-water mark)."""
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", MEASURED, *args], cwd=cwd,
                            capture_output=True, text=True, timeout=timeout)
    seconds = time.monotonic() - started
    err, _, peak = result.stderr.rpartition("PEAK_KB=")
    return result.returncode, result.stdout, err, seconds, int(peak) / 1024


# --- the CLI ----------------------------------------------------------------------------------


def test_cli_skips_a_50_mb_file_without_reading_it(tmp_path: Path) -> None:
    root = write_project(tmp_path / "ws")
    big = root / "big.md"
    with big.open("w") as handle:
        for _ in range(50_000_000 // len(PROSE) + 1):
            handle.write(PROSE)
    code, out, err, seconds, peak = peak_cli(["check", "big.md", "doc.md"], root)
    assert code == 2  # an unchecked file is an error for CI
    assert f"big.md: skipped: {big.stat().st_size} bytes is over the {MAX_DOCUMENT_BYTES}" in err
    assert "doc.md:" in out  # the other file is still checked
    assert seconds < HANG_GUARD_SECONDS and peak < 150
    bound("cli 50 MB file", seconds=f"{seconds:.2f}", peak_rss_mb=f"{peak:.0f}")


def test_cli_hostile_tree(tmp_path: Path) -> None:
    root = write_project(tmp_path / "ws")
    docs = root / "docs"
    docs.mkdir()
    (docs / "ok.md").write_text(PROSE, encoding="utf-8")
    (docs / "long-line.md").write_text(DENSE_LINE, encoding="utf-8")
    (docs / "data-uri.md").write_text(DATA_URI_LINE, encoding="utf-8")
    (docs / "nul.md").write_bytes(b"The guest cluster\x00\x00 and more\n")
    (docs / "latin1.md").write_bytes("Caf\u00e9 and the guest cluster\n".encode("latin-1"))
    os.mkfifo(docs / "fifo.md")
    (docs / "zero.md").symlink_to("/dev/zero")
    (docs / "loop.md").symlink_to(docs / "loop.md")
    (docs / "dangling.md").symlink_to(docs / "nowhere.md")
    (docs / "deep.yaml").write_text("a:\n" + "".join("  " * i + "b:\n" for i in range(1, 3000)),
                                    encoding="utf-8")
    (docs / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    (docs / "flow.yaml").write_text("x: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    before = snapshot(root)
    code, out, err, seconds, peak = peak_cli(["check", "docs", "--format", "json"], root)
    assert code == 2, err
    for name, reason in [("nul.md", "binary file"), ("latin1.md", "not UTF-8"),
                         ("fifo.md", "not a regular file"), ("zero.md", "not a regular file"),
                         ("loop.md", "Too many levels of symbolic links"),
                         ("dangling.md", "No such file")]:
        assert any(name in line and reason in line for line in err.splitlines()), (name, err)
    assert '"path": "docs/ok.md"' in out
    assert out.count('"path": "docs/long-line.md"') == 51282
    assert snapshot(root) == before, "check without --fix wrote something"
    assert seconds < HANG_GUARD_SECONDS and peak < 600
    bound("cli hostile tree (1 MB dense line: 51,282 findings)", seconds=f"{seconds:.2f}",
          peak_rss_mb=f"{peak:.0f}")


# --- the server -------------------------------------------------------------------------------


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RawServer]:
    root = write_project(tmp_path / "ws").resolve()
    raw = RawServer(cwd=root)
    raw.initialize("visual_studio_code", root)
    raw.root = root  # type: ignore[attr-defined]
    raw.doc = (root / "doc.md").as_uri()  # type: ignore[attr-defined]
    raw.open(raw.doc, DOC)  # type: ignore[attr-defined]
    yield raw
    assert raw.shutdown() == 0


def serving(server: RawServer) -> None:
    hover = server.hover(server.doc, 2, 6)  # type: ignore[attr-defined]
    assert hover is not None and "Frobnicator" in hover["contents"]["value"]


def test_lsp_50_mb_document_is_not_checked(server: RawServer) -> None:
    text = PROSE * (50_000_000 // len(PROSE) + 1)
    uri = (server.root / "big.md").as_uri()  # type: ignore[attr-defined]
    before = server.rss_kb()
    started = time.monotonic()
    server.open(uri, text)
    assert server.current_diagnostics(uri, 1, timeout=60) == []
    opened = time.monotonic() - started
    assert any("big.md is not checked" in m["message"] for m in server.messages())
    assert server.hover(uri, 0, 30, timeout=30) is None
    serving(server)
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"range": {
                                                 "start": {"line": 3, "character": 0},
                                                 "end": {"line": 3, "character": 0}},
                                                 "text": "x"}]})
    assert server.current_diagnostics(uri, 2, timeout=60) == []
    peak_growth = (server.rss_kb("VmHWM") - before) / 1024
    server.close_document(uri)
    del text
    serving(server)
    assert opened < 10 and peak_growth < 600
    bound("lsp 50 MB didOpen", seconds_to_empty_diagnostics=f"{opened:.2f}",
          peak_rss_growth_mb=f"{peak_growth:.0f}")


@pytest.mark.parametrize(("name", "line", "findings"), [
    ("dense", DENSE_LINE, MAX_DIAGNOSTICS + 1), ("data-uri", DATA_URI_LINE, 0)])
def test_lsp_1_mb_single_line(server: RawServer, name: str, line: str, findings: int) -> None:
    uri = (server.root / f"{name}.md").as_uri()  # type: ignore[attr-defined]
    before = server.rss_kb()
    started = time.monotonic()
    server.open(uri, line)
    diagnostics = server.current_diagnostics(uri, 1, timeout=60)
    assert len(diagnostics) == findings  # 51,282 findings: 1,000 shown, and one saying so
    if findings:
        assert diagnostics[-1]["message"].startswith("50282 more glossary findings")
    seconds = time.monotonic() - started
    hover_started = time.monotonic()
    server.hover(uri, 0, 500_000)
    hover_seconds = time.monotonic() - hover_started
    peak_growth = (server.rss_kb("VmHWM") - before) / 1024
    serving(server)
    assert seconds < HANG_GUARD_SECONDS and hover_seconds < HANG_GUARD_SECONDS
    assert peak_growth < 300
    bound(f"lsp 1 MB single line ({name}, {len(diagnostics)} diagnostics)",
          seconds_to_diagnostics=f"{seconds:.2f}", hover_seconds=f"{hover_seconds:.3f}",
          peak_rss_growth_mb=f"{peak_growth:.0f}")


def test_lsp_nul_bytes_and_control_characters(server: RawServer) -> None:
    uri = (server.root / "nul.md").as_uri()  # type: ignore[attr-defined]
    text = "The old frobber\x00\x00 and the \x1b[31mguest clustr\x00\n\x00Frobnicator\x07\n"
    server.open(uri, text)
    codes = sorted(d["code"] for d in server.current_diagnostics(uri, 1))
    project = Project(server.root)  # type: ignore[attr-defined]
    expected = analyze(text, "markdown", project.context_for(server.root / "nul.md"))  # type: ignore[attr-defined]
    assert codes == sorted(f.code for f in expected.findings) and codes
    assert server.hover(uri, 1, 3) is not None  # Frobnicator after a NUL
    serving(server)


def test_lsp_deeply_nested_and_aliased_yaml_documents(server: RawServer) -> None:
    root: Path = server.root  # type: ignore[attr-defined]
    documents = {
        "deep.yaml": "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 5000)),
        "flow.yaml": "x: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "bomb.yaml": BOMB + "# the guest clustr\n",
    }
    for name, text in documents.items():
        uri = (root / name).as_uri()
        started = time.monotonic()
        server.open(uri, text, language="yaml")
        server.current_diagnostics(uri, 1, timeout=30)
        seconds = time.monotonic() - started
        assert seconds < HANG_GUARD_SECONDS
        bound(f"lsp YAML document {name}", seconds=f"{seconds:.2f}")
    serving(server)


def test_alias_bomb_glossary_and_config_bounded(server: RawServer) -> None:
    root: Path = server.root  # type: ignore[attr-defined]
    before = server.rss_kb()
    for name, content in [("terms.yaml", BOMB), (".harvester-glossary.yaml", CONFIG + BOMB)]:
        shown = len(server.messages())
        (root / name).write_text(content, encoding="utf-8")
        started = time.monotonic()
        server.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": (root / name).as_uri(), "type": 2}]})
        assert server.wait_for(lambda shown=shown: any(  # type: ignore[misc]
            "alias bomb" in m["message"] for m in server.messages()[shown:]), 10)
        seconds = time.monotonic() - started
        serving(server)
        bound(f"lsp alias bomb in {name}", seconds_to_message=f"{seconds:.2f}",
              peak_rss_growth_mb=f"{(server.rss_kb('VmHWM') - before) / 1024:.0f}")
        assert seconds < HANG_GUARD_SECONDS
    assert (server.rss_kb("VmHWM") - before) / 1024 < 100


def test_engine_yaml_bounds() -> None:
    for name, text in [("alias bomb", BOMB), ("recursive alias", "a: &a [*a, *a]\n"),
                       ("nested 100,000", "[" * 100_000 + "]" * 100_000),
                       ("1 MB scalar", "a: " + "x" * 1_000_000)]:
        started = time.monotonic()
        try:
            load_yaml(text)
        except YamlError as error:
            outcome = str(error)
        else:
            outcome = "loaded"
        seconds = time.monotonic() - started
        assert seconds < HANG_GUARD_SECONDS
        bound(f"load_yaml {name}", seconds=f"{seconds:.3f}", outcome=repr(outcome))


METACHAR_TERMS = ["a.*b", "(?:x)", "[abc]", r"\d+", "a|b", "^$", "C++", "x{2,3}", "$(rm -rf /)",
                  "*.yaml", "?", "f(x)", "[[", "end)", ".NET", "a+b=c", "\\", "100%", "#tag",
                  "<br>"]


def test_terms_full_of_regex_metacharacters(tmp_path: Path) -> None:
    glossary = "entries:\n" + "".join(
        f"  - term: '{term.replace(chr(39), chr(39) * 2)}'\n"
        f"    definition: The {index}th odd term.\n" for index, term in enumerate(METACHAR_TERMS))
    root = write_project(tmp_path / "ws", glossary=glossary).resolve()
    text = "\n".join(f"Use {term} here." for term in METACHAR_TERMS) + "\nNot aaab nor xx or 5.\n"
    project = Project(root)
    assert not project.problems, project.problems
    started = time.monotonic()
    analysis = analyze(text * 250, "markdown", project.context_for(root / "doc.md"))
    seconds = time.monotonic() - started
    found = {o.text for o in analysis.occurrences}
    # matched literally where they stand alone as words; never as patterns
    assert {"a.*b", "C++", "$(rm -rf /)", ".NET", "f(x)", "a+b=c", "100%", "#tag"} <= found
    assert not found & {"aaab", "xx", "5"}
    assert seconds < HANG_GUARD_SECONDS
    bound("metacharacter terms, 5,250-line document", seconds=f"{seconds:.2f}",
          occurrences=len(analysis.occurrences))

    server = RawServer(cwd=root)
    try:
        server.initialize("neovim+pull", root)
        uri = (root / "meta.md").as_uri()
        server.open(uri, text)
        hover = server.hover(uri, 0, 5)
        assert hover is not None and "a.\\*b" in hover["contents"]["value"]  # shown as is
        items = server.result("textDocument/completion", {
            "textDocument": {"uri": uri}, "position": {"line": 20, "character": 5}})
        assert items is None or isinstance(items["items"], list)
    finally:
        assert server.shutdown() == 0


@pytest.mark.parametrize(("pattern", "says"), [
    ("(a+)+$", "repeats a group without bound"), ("(a|aa)*$", "repeats a group without bound"),
    (".*.*.*x", "more than once"), ("[unclosed", "not a valid regular expression"),
    ("(?P<", "not a valid regular expression")])
def test_yaml_rule_patterns_that_could_hang_are_refused(tmp_path: Path, pattern: str,
                                                        says: str) -> None:
    glossary = GLOSSARY + (f"yaml_rules:\n  - match: label\n    label: x/y\n"
                           f"    value: '{pattern}'\n    term: Frobnicator\n")
    root = write_project(tmp_path / "ws", glossary=glossary).resolve()
    project = Project(root)
    assert any(says in p.message for p in project.problems), project.problems
    document = "metadata:\n  labels:\n    x/y: " + "a" * 5000 + "!\n"
    started = time.monotonic()
    analyze(document, "yaml", project.context_for(root / "m.yaml"))
    assert time.monotonic() - started < 1
