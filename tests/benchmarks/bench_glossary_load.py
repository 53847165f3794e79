"""Loading a 158-page per-term (Kubernetes/Hugo-style) glossary (issue 10, item 4).

    python tests/benchmarks/bench_glossary_load.py [runs]

Generates the glossary in a temporary folder (tests/benchmarks/_term_pages.py) and times
`load_source(folder)`, the call `Project` makes for a configured term folder:

- cold: a fresh interpreter per run (what the language server's `initialize` pays), the time of
  the call alone, measured inside that interpreter;
- in-process reload: the same call again in one process (a config or glossary reload).

Budget: under 100 ms cold. Prints the load average; compare minima.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # runnable as a script

from tests.benchmarks._term_pages import PAGES, write_term_pages

BUDGET_MS = 100.0
_COLD = """
import sys, time
from pathlib import Path
from harvester_glossary_ls.engine.loader import load_source
start = time.perf_counter()
result = load_source(Path(sys.argv[1]))
print((time.perf_counter() - start) * 1000, len(result.entries), len(result.problems))
"""


def cold(folder: Path, runs: int) -> tuple[list[float], str]:
    times: list[float] = []
    counts = ""
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _COLD, str(folder)], capture_output=True,
                             text=True, check=True).stdout.split()
        times.append(float(out[0]))
        counts = f"{out[1]} entries, {out[2]} problems"
    return times, counts


def reload(folder: Path, runs: int) -> list[float]:
    from harvester_glossary_ls.engine.loader import load_source

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        load_source(folder)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(f"load average {os.getloadavg()[0]:.2f}; {runs} runs")
    with tempfile.TemporaryDirectory(prefix="bench-terms-") as temp:
        folder = write_term_pages(Path(temp) / "glossary")
        first, counts = cold(folder, runs)
        again = reload(folder, runs)
    print(f"{PAGES}-page term folder: {counts}")
    print(f"  cold (fresh process): min {min(first):7.1f} ms   median "
          f"{statistics.median(first):7.1f} ms   budget {BUDGET_MS:.0f} ms: "
          f"{'within' if min(first) <= BUDGET_MS else 'OVER'}")
    print(f"  in-process reload:    min {min(again):7.1f} ms   median "
          f"{statistics.median(again):7.1f} ms")


if __name__ == "__main__":
    main()
