"""`check --format json` over both shared corpora is byte-identical to a recorded baseline.

Speed work (issue 10: path handling, one compiled index per glossary content, fast front matter,
prefiltered near-miss search) must not change a single finding. The baselines in
tests/fixtures/corpus_output/ were recorded before that work, at commit 0a8bce1, by running in
each corpus folder:

    harvester-glossary-ls check --format json . > tests/fixtures/corpus_output/<corpus>.json

A deliberate change of findings or of the JSON format re-records them the same way (and says so
in its commit message).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.glossary_testkit import shared_path

BASELINES = Path(__file__).parent / "fixtures" / "corpus_output"
CORPORA = ("harvester-docs", "longhorn-website")


@pytest.mark.parametrize("corpus", CORPORA)
def test_check_json_matches_recorded_baseline(corpus: str) -> None:
    folder = shared_path("corpus", corpus)
    expected = (BASELINES / f"{corpus}.json").read_text(encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "harvester_glossary_ls", "check", "--format",
                          "json", "."], cwd=folder, capture_output=True, text=True, timeout=300,
                         check=False)
    assert run.returncode in (0, 1), run.stderr
    if run.stdout != expected:  # say which findings differ, not just that the bytes do
        got, want = json.loads(run.stdout), json.loads(expected)
        missing = [f for f in want if f not in got]
        extra = [f for f in got if f not in want]
        assert (missing, extra) == ([], []), "findings differ from the recorded baseline"
        assert run.stdout == expected, "same findings, but the JSON bytes (order) differ"
