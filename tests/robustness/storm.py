"""The typing storm: 2,000 incremental didChange notifications in 2 s while another thread hovers.

Shared by the pass/fail load test (tests/robustness/test_load.py), which asserts only what must
hold on any machine (every hover answers, the final diagnostics are those of the final text,
memory comes back), and by the benchmark (tests/benchmarks/bench_storm.py), which reports the
hover latencies. Latency is never asserted in the pass/fail suite: CI machines are shared, and a
wall-clock budget there fails at random.
"""

from __future__ import annotations

import bisect
import gc
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harvester_glossary_ls.engine.analysis import analyze
from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.engine.text import LineIndex
from tests.robustness import reference
from tests.robustness.conftest import write_project
from tests.robustness.rawclient import RawServer

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "harvester-docs" / "docs"
LINES = 5_000
EDIT_LINE = 2_500
NOTIFICATIONS = 2_000
STORM_SECONDS = 2.0
TYPED = "The guest clustr joins the vm network via harvester-mgmt. "


def corpus_lines() -> list[str]:
    """5,000 lines of real Harvester docs, or synthetic prose with the same kinds of content."""
    lines: list[str] = []
    if CORPUS.is_dir():
        for page in sorted(CORPUS.rglob("*.md")):
            lines += page.read_text(encoding="utf-8").split("\n")
            if len(lines) >= LINES:
                break
    if len(lines) < LINES:
        block = ["## Guest clusters", "", "Attach the VM to the VM network of the guest cluster.",
                 "- The Harvester node runs `kubectl get vm`.", "```yaml", "kind: VirtualMachine",
                 "```", "Use live migration; the harvester-mgmt network is deprecated.", ""]
        lines = (block * (LINES // len(block) + 1))
    return lines[:LINES]


class Positions:
    """Fast LSP positions for a whole document (the property tests check the method)."""

    def __init__(self, text: str, encoding: str) -> None:
        self.text = text
        self.encoding = encoding
        self.starts = LineIndex.of(text).starts

    def range(self, start: int, end: int) -> dict[str, dict[str, int]]:
        return {"start": self.position(start), "end": self.position(end)}

    def position(self, offset: int) -> dict[str, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return {"line": line, "character": reference.units(
            self.text[self.starts[line]:offset], self.encoding)}


Shape = tuple[Any, ...]


def shape(diagnostic: dict[str, Any]) -> Shape:
    r = diagnostic["range"]
    return (r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"],
            diagnostic.get("code"), diagnostic["message"])


@dataclass
class StormResult:
    """What one storm measured and what the server answered at its end."""

    sent_seconds: float
    latencies_ms: list[float]
    empty_hovers: list[dict[str, int]]
    diagnostics: list[Shape]
    """The server's final diagnostics, sorted."""
    expected: list[Shape]
    """The diagnostics of a fresh analysis of the client's final text, sorted."""
    rss_before_kb: int
    rss_after_kb: int
    rss_peak_kb: int
    notes: list[str] = field(default_factory=list)


def _change(lines: list[str], cursor: list[int], number: int) -> dict[str, Any]:
    """The number-th keystroke (Enter, Backspace or a typed letter), applied to `lines` too."""
    line, column = cursor
    at = {"line": line, "character": column}
    if number % 97 == 96:  # Enter
        lines[line:line + 1] = [lines[line][:column], lines[line][column:]]
        cursor[:] = [line + 1, 0]
        return {"range": {"start": at, "end": at}, "text": "\n"}
    if number % 13 == 12 and column > 0:  # Backspace
        lines[line] = lines[line][:column - 1] + lines[line][column:]
        cursor[1] = column - 1
        return {"range": {"start": {"line": line, "character": column - 1}, "end": at},
                "text": ""}
    typed = TYPED[number % len(TYPED)]
    lines[line] = lines[line][:column] + typed + lines[line][column:]
    cursor[1] = column + 1
    return {"range": {"start": at, "end": at}, "text": typed}


def run_storm(tmp_path: Path, profile: str) -> StormResult:
    """Open a 5,000-line page, type 2,000 keystrokes at 1,000/s while hovering every 10 ms."""
    root = write_project(tmp_path / "ws").resolve()
    lines = corpus_lines()
    lines[EDIT_LINE] = ""  # the line being typed on
    uri = (root / "storm.md").as_uri()
    server = RawServer(cwd=root)
    try:
        server.initialize(profile, root, init_options={"debounceMs": 150})
        text = "\n".join(lines)
        server.open(uri, text)
        context = Project(root).context_for(root / "storm.md")
        above = len("\n".join(lines[:2000]))
        targets = [o for o in analyze(text, "markdown", context).occurrences if o.start < above]
        if len(targets) < 10:
            raise AssertionError("the document needs terms above the edit line to hover")
        positions = Positions(text, server.encoding)
        hover_at = [positions.position((o.start + o.end) // 2) for o in targets[:40]]
        server.current_diagnostics(uri, 1, timeout=30)
        for _ in range(3):  # warm up caches, then take the baseline
            server.hover(uri, **hover_at[0])
        gc.collect()
        rss_before = server.rss_kb()

        latencies: list[float] = []
        empty: list[dict[str, int]] = []
        done = threading.Event()

        def hover_loop() -> None:
            index = 0
            while not done.is_set():
                at = hover_at[index % len(hover_at)]
                index += 1
                started = time.perf_counter()
                if server.hover(uri, at["line"], at["character"], timeout=60) is None:
                    empty.append(at)
                latencies.append((time.perf_counter() - started) * 1000)
                time.sleep(0.01)

        cursor = [EDIT_LINE, 0]
        version = 1
        hovering = threading.Thread(target=hover_loop)
        hovering.start()
        started = time.monotonic()
        try:
            for number in range(NOTIFICATIONS):
                if number % 10 == 0:  # keep to the schedule: 10 notifications every 10 ms
                    ahead = started + number * STORM_SECONDS / NOTIFICATIONS - time.monotonic()
                    if ahead > 0:
                        time.sleep(ahead)
                version += 1
                server.notify("textDocument/didChange", {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [_change(lines, cursor, number)]})
            sent = time.monotonic() - started
        finally:
            time.sleep(0.3)
            done.set()
            hovering.join()

        final = "\n".join(lines)
        got = sorted(shape(d) for d in server.current_diagnostics(uri, version, timeout=60))
        final_positions = Positions(final, server.encoding)
        expected = sorted(
            (*_flat(final_positions.range(f.start, f.end)), f.code, f.message)
            for f in analyze(final, "markdown", context).findings)
        time.sleep(0.5)
        gc.collect()
        server.hover(uri, **hover_at[0])
        return StormResult(sent, latencies, empty, got, expected, rss_before, server.rss_kb(),
                           server.rss_kb("VmHWM"))
    finally:
        code = server.shutdown()
        if code != 0:
            raise AssertionError(f"the server exited with {code}")


def _flat(r: dict[str, dict[str, int]]) -> tuple[int, int, int, int]:
    return r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"]
