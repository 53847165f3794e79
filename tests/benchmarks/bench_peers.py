"""`harvester-glossary-ls check` side by side with typos, in one run, on the same trees (issue 10).

    pip install 'typos==1.52.*'        # the speed anchor; a benchmark tool, not a test dependency
    python tests/benchmarks/bench_peers.py [runs] [--only NAME]

Trees: ../shared/corpus/harvester-docs, ../shared/corpus/longhorn-website, and a tree of four
copies of both (built in a temporary folder, to show how each tool scales). Each command is run
from the tree's root as `check .` / `typos .` (wall time including interpreter start, output to
/dev/null), alternating the two tools run by run so that load on the machine hits both alike;
min and median of `runs` (default 5) and the ratio check/typos of each. The machine is shared:
compare minima, and read the load average printed first. The warm-cache row runs
`check --cache-dir <temporary folder>` after one run that fills it (`check` uses its worker
processes in both rows: `--jobs` defaults to one per CPU).

Without ../shared the script says so and exits 0; without typos it says how to install it.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
TREES = ("harvester-docs", "longhorn-website")
COPIES = 4


def _tool(name: str) -> list[str] | None:
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return [str(beside)]
    found = shutil.which(name)
    return [found] if found else None


def wall(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - start


def side_by_side(commands: dict[str, list[str]], cwd: Path, runs: int) -> dict[str, list[float]]:
    for command in commands.values():
        wall(command, cwd)  # warm the page cache and .pyc files
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(wall(command, cwd))
    return times


def _has_cache_option(check: list[str]) -> bool:
    shown = subprocess.run([*check, "check", "--help"], capture_output=True, text=True,
                           check=False)
    return "--cache" in shown.stdout


def _scaled_tree(into: Path) -> Path:
    """COPIES copies of every shared tree under one folder."""
    for copy in range(COPIES):
        for name in TREES:
            shutil.copytree(CORPUS / name, into / f"copy{copy}" / name, symlinks=True)
    return into


def _size(tree: Path) -> tuple[int, float]:
    files = [p for p in tree.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files) / 1e6


def _row(label: str, times: list[float]) -> str:
    return f"  {label:<22} min {min(times):6.3f} s   median {statistics.median(times):6.3f} s"


def report(name: str, tree: Path, check: list[str], typos: list[str], runs: int,
           cache: bool) -> None:
    count, megabytes = _size(tree)
    print(f"{name}: {count} files, {megabytes:.1f} MB  (load average "
          f"{os.getloadavg()[0]:.2f})")
    commands = {"check": [*check, "check", "."], "typos": [*typos, "."]}
    with tempfile.TemporaryDirectory(prefix="bench-peers-cache-") as folder:
        if cache:  # the cache outside the tree: never write into ../shared
            commands["check --cache (warm)"] = [*check, "check", "--cache-dir", folder, "."]
        times = side_by_side(commands, tree, runs)  # its warm-up run fills the cache
    for label, measured in times.items():
        print(_row(label, measured))
    base = times["typos"]
    for label in (k for k in times if k != "typos"):
        print(f"  ratio {label}/typos:  min {min(times[label]) / min(base):.2f}   median "
              f"{statistics.median(times[label]) / statistics.median(base):.2f}")


def main() -> int:
    args = sys.argv[1:]
    only = None
    if "--only" in args:
        at = args.index("--only")
        only = args[at + 1]
        del args[at:at + 2]
    runs = int(args[0]) if args else 5
    if not all((CORPUS / name).is_dir() for name in TREES):
        print(f"{CORPUS} lacks {' or '.join(TREES)}: nothing to measure")
        return 0
    typos = _tool("typos")
    if typos is None:
        print("typos is not installed: pip install 'typos==1.52.*' (into this virtualenv), "
              "then run again")
        return 0
    check = _tool("harvester-glossary-ls") or [sys.executable, "-m", "harvester_glossary_ls"]
    version = subprocess.run([*typos, "--version"], capture_output=True, text=True, check=False)
    print(f"{version.stdout.strip()}; {runs} runs each, alternating; {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.2f}")
    cache = _has_cache_option(check)
    for name in TREES:
        if only in (None, name):
            report(name, CORPUS / name, check, typos, runs, cache)
    if only in (None, "scaled"):
        with tempfile.TemporaryDirectory(prefix="bench-peers-") as temp:
            tree = _scaled_tree(Path(temp))
            report(f"{COPIES} copies of both", tree, check, typos, runs, cache)
    if not cache:
        print("(no warm-cache row: check has no --cache option yet)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
