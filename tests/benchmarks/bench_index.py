"""Index build time: the term index (Aho-Corasick) and the whole compiled glossary (term index
plus near-miss index) for the shipped glossary and for 10,000 synthetic terms.
Budgets (issue 2): at most 5 ms for the default glossary, 500 ms for 10,000 terms.

    python tests/benchmarks/bench_index.py [repeat]
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # runnable as a script

from harvester_glossary_ls.engine.analysis import CompiledGlossary
from harvester_glossary_ls.engine.index import TermIndex
from harvester_glossary_ls.engine.spelling import SpellingIndex
from tests.benchmarks._common import best_of, shipped_glossary, synthetic_glossary

BUDGETS = {"shipped": 0.005, "10k": 0.5}


def main() -> None:
    print(f"load average before: {os.getloadavg()[0]:.2f} (figures are minima; other work on the "
          "machine inflates medians)")
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    for label, glossary in (("shipped", shipped_glossary()),
                            ("10k", synthetic_glossary(10_000))):
        runs = repeat if label == "shipped" else max(3, repeat // 4)
        names = sum(len(e.names) for e in glossary.entries)
        print(f"{label}: {len(glossary.entries):,} entries, {names:,} names, "
              f"{len(TermIndex(glossary)):,} automaton keys")
        for name, build in (("TermIndex", TermIndex), ("SpellingIndex", SpellingIndex),
                            ("CompiledGlossary.build", CompiledGlossary.build)):
            low, median = best_of(functools.partial(build, glossary), runs)
            print(f"  {name:24s} min {low * 1000:8.2f} ms  median {median * 1000:8.2f} ms")
        low, median = best_of(functools.partial(CompiledGlossary.build, glossary), runs)
        verdict = "within" if low <= BUDGETS[label] else "OVER"
        print(f"  budget {BUDGETS[label] * 1000:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
