"""`harvester-glossary-ls check` over ../shared/corpus/harvester-docs, wall time including
interpreter start (the way CI runs it). Budget (issue 2): at most 0.4 s.

    python tests/benchmarks/bench_check.py [runs]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # runnable as a script

from tests.benchmarks._common import CORPUS, corpus_files

BUDGET = 0.4


def wall(args: list[str], cwd: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    print(f"load average before: {os.getloadavg()[0]:.2f} (figures are minima; other work on the "
          "machine inflates medians)")
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    files = corpus_files()
    size = sum(p.stat().st_size for p in files)
    script = Path(sys.executable).parent / "harvester-glossary-ls"
    command = [str(script)] if script.exists() else [sys.executable, "-m",
                                                     "harvester_glossary_ls"]
    wall([*command, "check", "."], CORPUS, 1)  # warm the page cache and .pyc files
    baseline = wall([sys.executable, "-c", "pass"], CORPUS, runs)
    check = wall([*command, "check", "."], CORPUS, runs)
    print(f"corpus: {len(files)} files, {size / 1e6:.2f} MB")
    print(f"python -c pass:        min {min(baseline):.3f} s  median "
          f"{statistics.median(baseline):.3f} s  ({runs} runs)")
    print(f"harvester-glossary-ls check: min {min(check):.3f} s  median "
          f"{statistics.median(check):.3f} s  ({runs} runs)")
    verdict = "within" if min(check) <= BUDGET else "OVER"
    print(f"budget {BUDGET:.2f} s wall: fastest run {verdict} budget")


if __name__ == "__main__":
    main()
