"""Shared by the benchmark scripts: the corpus, the shipped glossary, a synthetic 10k glossary.

The synthetic glossary is deterministic (seeded): made-up multi-word terms, a third of them ending
in a common docs word ("network", "volume", ...) so that the spelling rule's anchor words and the
automaton see realistic hit rates, plus every real entry of the shipped glossary.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "harvester-docs"

from harvester_glossary_ls.engine.loader import harvester_glossary  # noqa: E402
from harvester_glossary_ls.engine.models import Entry, Glossary  # noqa: E402

COMMON = ("network", "volume", "image", "cluster", "node", "backup", "snapshot", "template",
          "setting", "policy", "controller", "bridge", "interface", "disk", "pool")
SYLLABLES = ("ka", "zo", "rel", "vin", "tor", "mes", "quo", "lix", "dra", "pen", "sul", "gor",
             "fey", "bru", "nax", "til", "wem", "oct", "yar", "hep")


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} is absent: the benchmarks read the harvester/docs corpus in ../shared")
    return sorted(CORPUS.rglob("*.md"))


def corpus_text() -> str:
    return "\n\n".join(p.read_text(encoding="utf-8") for p in corpus_files())


def shipped_glossary() -> Glossary:
    glossary, problems = harvester_glossary()
    assert not problems, problems
    return glossary


def synthetic_glossary(total: int, seed: int = 7) -> Glossary:
    """`total` entries: every real entry plus made-up terms of one to three words."""
    real = shipped_glossary()
    rng = random.Random(seed)
    seen = {n.casefold() for e in real.entries for n in e.names}
    entries = list(real.entries)

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))

    while len(entries) < total:
        words = [word() for _ in range(rng.randint(1, 3))]
        if len(words) > 1 and rng.random() < 0.33:
            words[-1] = rng.choice(COMMON)
        term = " ".join(words)
        if term.casefold() in seen:
            continue
        seen.add(term.casefold())
        entries.append(Entry(term=term, definition="Synthetic."))
    return Glossary(tuple(entries), real.yaml_rules, real.version)


def best_of(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(minimum, median) seconds of `repeat` runs of fn."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)
