"""Load: a notification storm while hovering, and many open/close cycles (marked slow).

The storm: 2,000 incremental didChange notifications within 2 s (typing, backspaces and new
lines in the middle of a 5,000-line document built from the Harvester docs corpus when it is
present) while another thread hovers over terms every 10 ms. Every hover must answer, within
HOVER_BUDGET_MS at the maximum; the final diagnostics must be those of the client's final text;
and the server's RSS must come back to within RSS_SLACK_MB of where it was before the storm.
"""

from __future__ import annotations

import bisect
import gc
import statistics
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from harvester_glossary_ls.engine.analysis import analyze
from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.engine.text import LineIndex
from tests.robustness import reference
from tests.robustness.conftest import write_project
from tests.robustness.rawclient import RawServer

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "harvester-docs" / "docs"
LINES = 5_000
EDIT_LINE = 2_500
NOTIFICATIONS = 2_000
STORM_SECONDS = 2.0
HOVER_BUDGET_MS = 50.0
RSS_SLACK_MB = 15.0
CYCLES = 10_000
CYCLE_GROWTH_MB = 10.0
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


def shape(diagnostic: dict[str, Any]) -> tuple[Any, ...]:
    r = diagnostic["range"]
    return (r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"],
            diagnostic.get("code"), diagnostic["message"])


@pytest.mark.parametrize("profile", ["visual_studio_code", "neovim+pull"])
def test_change_storm_while_hovering(tmp_path: Path, profile: str) -> None:
    root = write_project(tmp_path / "ws").resolve()
    lines = corpus_lines()
    assert not any("\r" in line for line in lines)
    lines[EDIT_LINE] = ""  # the line being typed on
    path = root / "storm.md"
    uri = path.as_uri()
    server = RawServer(cwd=root)
    try:
        server.initialize(profile, root, init_options={"debounceMs": 150})
        text = "\n".join(lines)
        server.open(uri, text)
        project = Project(root)
        context = project.context_for(path)
        analysis = analyze(text, "markdown", context)
        targets = [o for o in analysis.occurrences if o.start < len("\n".join(lines[:2000]))]
        assert len(targets) >= 10, "the document needs terms above the edit line to hover"
        positions = Positions(text, server.encoding)
        hover_at = [positions.position((o.start + o.end) // 2) for o in targets[:40]]
        server.current_diagnostics(uri, 1, timeout=30)
        for _ in range(3):  # warm up caches, then take the baseline
            server.hover(uri, **hover_at[0])
        gc.collect()
        baseline_kb = server.rss_kb()

        latencies: list[float] = []
        empty: list[dict[str, int]] = []
        done = threading.Event()

        def hover_loop() -> None:
            index = 0
            while not done.is_set():
                at = hover_at[index % len(hover_at)]
                index += 1
                started = time.perf_counter()
                result = server.hover(uri, at["line"], at["character"], timeout=10)
                latencies.append((time.perf_counter() - started) * 1000)
                if result is None:
                    empty.append(at)
                time.sleep(0.01)

        line, column, version = EDIT_LINE, 0, 1
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
                if number % 97 == 96:  # Enter
                    change = {"range": {"start": {"line": line, "character": column},
                                        "end": {"line": line, "character": column}},
                              "text": "\n"}
                    lines[line:line + 1] = [lines[line][:column], lines[line][column:]]
                    line, column = line + 1, 0
                elif number % 13 == 12 and column > 0:  # Backspace
                    change = {"range": {"start": {"line": line, "character": column - 1},
                                        "end": {"line": line, "character": column}}, "text": ""}
                    lines[line] = lines[line][:column - 1] + lines[line][column:]
                    column -= 1
                else:
                    typed = TYPED[number % len(TYPED)]
                    change = {"range": {"start": {"line": line, "character": column},
                                        "end": {"line": line, "character": column}},
                              "text": typed}
                    lines[line] = lines[line][:column] + typed + lines[line][column:]
                    column += 1
                server.notify("textDocument/didChange", {
                    "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
            sent = time.monotonic() - started
        finally:
            time.sleep(0.3)
            done.set()
            hovering.join()
        assert sent <= STORM_SECONDS + 0.25, f"the client itself took {sent:.2f} s"

        final = "\n".join(lines)
        got = sorted(shape(d) for d in server.current_diagnostics(uri, version, timeout=30))
        final_analysis = analyze(final, "markdown", context)
        final_positions = Positions(final, server.encoding)
        want = sorted((*(lambda r: (r["start"]["line"], r["start"]["character"],
                                    r["end"]["line"], r["end"]["character"]))(
            final_positions.range(f.start, f.end)), f.code, f.message)
            for f in final_analysis.findings)
        assert got == want, "the final diagnostics are not those of the final text"

        time.sleep(0.5)
        gc.collect()
        server.hover(uri, **hover_at[0])
        after_kb = server.rss_kb()
        peak_kb = server.rss_kb("VmHWM")
        p99 = statistics.quantiles(latencies, n=100)[98]
        print(f"BOUND: storm {profile}: {NOTIFICATIONS} didChange in {sent:.2f} s, "
              f"{len(latencies)} hovers, max {max(latencies):.1f} ms, p99 {p99:.1f} ms, "
              f"median {statistics.median(latencies):.1f} ms, "
              f"{sum(x > 10 for x in latencies)} over 10 ms; RSS {baseline_kb / 1024:.0f} MB "
              f"before, {after_kb / 1024:.0f} MB after, peak {peak_kb / 1024:.0f} MB")
        assert not empty, f"hover found nothing at {empty[:3]}"
        assert len(latencies) >= 50
        assert max(latencies) <= HOVER_BUDGET_MS, f"max {max(latencies):.1f} ms"
        assert (after_kb - baseline_kb) / 1024 <= RSS_SLACK_MB
    finally:
        assert server.shutdown() == 0


@pytest.mark.parametrize("profile", ["visual_studio_code", "neovim+pull"])
def test_open_close_cycles_do_not_grow_memory(tmp_path: Path, profile: str) -> None:
    root = write_project(tmp_path / "ws").resolve()
    text = "# Notes\n\nThe guest clustr joins the vm network via harvester-mgmt.\n" * 20
    server = RawServer(cwd=root)
    try:
        server.initialize(profile, root)

        def cycles(first: int, count: int) -> None:
            for number in range(first, first + count):
                uri = (root / f"cycle-{number}.md").as_uri()  # a new file every time
                server.open(uri, text)
                if server.pulls() and number % 10 == 0:
                    server.current_diagnostics(uri)
                server.close_document(uri)
                if number % 500 == 499:  # let the server catch up
                    server.hover(uri, 0, 0)

        cycles(0, 500)  # warm-up: caches, lazily built indexes, allocator arenas
        gc.collect()
        server.hover((root / "doc.md").as_uri(), 0, 0)
        before = server.rss_kb()
        started = time.monotonic()
        cycles(500, CYCLES)
        server.hover((root / "doc.md").as_uri(), 0, 0)
        seconds = time.monotonic() - started
        after = server.rss_kb()
        grown = (after - before) / 1024
        print(f"BOUND: {CYCLES} open/close cycles {profile}: {seconds:.1f} s, RSS "
              f"{before / 1024:.1f} -> {after / 1024:.1f} MB ({grown:+.1f} MB)")
        assert grown < CYCLE_GROWTH_MB
    finally:
        assert server.shutdown() == 0
