"""`check --format json` over both shared corpora is byte-identical to a recorded baseline.

Speed work (issue 10: path handling, one compiled index per glossary content, fast front matter,
prefiltered near-miss search) must not change a single finding. The baselines in
tests/fixtures/corpus_output/ were recorded before that work, at commit 0a8bce1, by running in
each corpus folder:

    harvester-glossary-ls check --format json . > tests/fixtures/corpus_output/<corpus>.json

Each corpus is checked three ways, in one process, in worker processes and from a warm `--cache`:
the bytes must be the same every time.

A deliberate change of findings or of the JSON format re-records them the same way (and says so
in its commit message).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.glossary_testkit import shared_path

BASELINES = Path(__file__).parent / "fixtures" / "corpus_output"
CORPORA = ("harvester-docs", "longhorn-website")


MODES = {
    "one process": ("--jobs", "1"),
    "workers": ("--jobs", "2"),
    "warm cache": ("--cache-dir", "{cache}"),
}
"""How `check` computes the findings; the output must not depend on it. "warm cache" runs
twice, and the second run (answered from the cache the first one wrote) is compared."""


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("corpus", CORPORA)
def test_check_json_matches_recorded_baseline(corpus: str, mode: str, tmp_path: Path) -> None:
    folder = shared_path("corpus", corpus)
    expected = (BASELINES / f"{corpus}.json").read_text(encoding="utf-8")
    options = [option.format(cache=tmp_path / "cache") for option in MODES[mode]]  # not ../shared
    for _ in range(2 if mode == "warm cache" else 1):
        run = subprocess.run([sys.executable, "-m", "harvester_glossary_ls", "check", *options,
                              "--format", "json", "."], cwd=folder, capture_output=True,
                             text=True, timeout=300, check=False)
        assert run.returncode in (0, 1), run.stderr
    if mode == "warm cache":
        assert re.search(r"\((\d+) from the cache\)", run.stderr), run.stderr
        assert " 0 from the cache" not in run.stderr, run.stderr
    if run.stdout != expected:  # say which findings differ, not just that the bytes do
        got, want = json.loads(run.stdout), json.loads(expected)
        missing = [f for f in want if f not in got]
        extra = [f for f in got if f not in want]
        assert (missing, extra) == ([], []), "findings differ from the recorded baseline"
        assert run.stdout == expected, "same findings, but the JSON bytes (order) differ"
