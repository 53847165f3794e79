"""Scan and match throughput on one large document (the whole corpus concatenated).

Prints MB/s for scan+match (the Markdown scanner plus the Aho-Corasick term index) and for the
full analysis (plus near-miss search and rules); linearity at 1x, 2x and 4x the size; and the
slowdown from the 15-term page (20 entries with the overlay) to a 200-term and a 10,000-term
synthetic glossary. Budgets: at least 20 MB/s scan+match, linear cost, full analysis at 15 MB/s or
more with 200 terms (issue 9), at most 2x slower at 10,000 terms.

    python tests/benchmarks/bench_scan.py [repeat]
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # runnable as a script

from harvester_glossary_ls.engine.analysis import CheckContext, CompiledGlossary, analyze
from harvester_glossary_ls.engine.scan_markdown import scan_markdown
from tests.benchmarks._common import best_of, corpus_text, shipped_glossary, synthetic_glossary


def main() -> None:
    print(f"load average before: {os.getloadavg()[0]:.2f} (figures are minima; other work on the "
          "machine inflates medians)")
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    text = corpus_text()
    mb = len(text.encode("utf-8")) / 1e6
    small = CompiledGlossary.build(shipped_glossary())
    print(f"document: {mb:.2f} MB ({len(text):,} code points, {text.count(chr(10)):,} lines)")

    def scan_match(compiled: CompiledGlossary, doc: str) -> object:
        scan = scan_markdown(doc)
        return compiled.index.find(doc, scan.match_text)

    print("linearity (scan+match, shipped glossary):")
    base = None
    for factor in (1, 2, 4):
        doc = "\n\n".join([text] * factor)
        seconds, _ = best_of(functools.partial(scan_match, small, doc), max(5, repeat // factor))
        base = base or seconds
        print(f"  {factor}x ({mb * factor:5.1f} MB): {seconds * 1000:6.0f} ms  "
              f"{seconds / base:4.2f}x time for {factor}x size  {mb * factor / seconds:5.1f} MB/s")

    def full(compiled: CompiledGlossary, doc: str) -> object:
        return analyze(doc, "markdown", CheckContext(compiled, version=(1, 7)))

    scan_only, _ = best_of(lambda: scan_markdown(text), repeat)
    print(f"\nscan only (Markdown scanner):     {mb / scan_only:6.1f} MB/s  "
          f"({scan_only * 1000:.0f} ms)")
    results: dict[tuple[str, str], float] = {}

    def measure(label: str, compiled: CompiledGlossary) -> None:
        for name, fn in (("scan+match", scan_match), ("full analyze", full)):
            seconds, _ = best_of(functools.partial(fn, compiled, text), repeat)
            results[(label, name)] = seconds
            print(f"{name:13s} {label:8s} glossary: {mb / seconds:6.1f} MB/s  "
                  f"({seconds * 1000:.0f} ms)")

    measure("shipped", small)
    measure("200", CompiledGlossary.build(synthetic_glossary(200)))
    # built after the shipped runs: its 60,000 long-lived objects make every full garbage
    # collection slower, as they would in a process that holds such a glossary
    big = CompiledGlossary.build(synthetic_glossary(10_000))
    print(f"(shipped: {len(small.glossary.entries)} entries / {len(small.index):,} automaton "
          f"keys; synthetic: {len(big.glossary.entries):,} entries / {len(big.index):,} keys)")
    measure("10k", big)

    print("\n10,000 terms vs the shipped glossary:")
    for name in ("scan+match", "full analyze"):
        ratio = results[("10k", name)] / results[("shipped", name)]
        print(f"  {name:13s} {ratio:4.2f}x slower")
    match_only = (results[("10k", "scan+match")] - scan_only) / (
        results[("shipped", "scan+match")] - scan_only)
    print(f"  match alone   {match_only:4.2f}x slower (scan time subtracted)")
    rate = mb / results[("shipped", "scan+match")]
    print(f"\nbudget >= 20 MB/s scan+match: {'within' if rate >= 20 else 'OVER'} ({rate:.1f})")
    rate_200 = mb / results[("200", "full analyze")]
    print(f"budget >= 15 MB/s full analyze with 200 terms: "
          f"{'within' if rate_200 >= 15 else 'OVER'} ({rate_200:.1f})")
    slow = results[("10k", "full analyze")] / results[("shipped", "full analyze")]
    print(f"budget <= 2x at 10k terms (full analyze): {'within' if slow <= 2 else 'OVER'} "
          f"({slow:.2f}x)")


if __name__ == "__main__":
    main()
