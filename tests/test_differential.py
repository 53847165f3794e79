"""Differential test (ARCHITECTURE.md, "Invariants"): the fast line-based scanner against
markdown-it-py's parse.

Over every file of ../shared/corpus/harvester-docs, every occurrence and finding the engine
reports must lie in prose by the oracle's reading: never in fenced or indented code, inline code,
front matter, an HTML block or inline HTML, a link target or a URL; and no finding on a heading.
Run this file directly to print the counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harvester_glossary_ls.engine.analysis import analyze
from harvester_glossary_ls.engine.project import Project
from tests.glossary_testkit import CORPUS, corpus_files
from tests.markdown_oracle import non_prose


@dataclass
class Report:
    files: int = 0
    occurrences: int = 0
    findings: Counter[str] = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)
    heading_findings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.files} files, {self.occurrences} occurrences, "
                f"{sum(self.findings.values())} findings {dict(self.findings)}, "
                f"{len(self.violations)} outside prose, "
                f"{len(self.heading_findings)} findings on heading lines")


def run(files: list[Path]) -> Report:
    report = Report()
    project = Project(CORPUS, use_config_file=False)
    for path in files:
        text = path.read_text(encoding="utf-8")
        analysis = analyze(text, "markdown", project.context_for(path))
        oracle = non_prose(text)
        lines = analysis.scan.lines
        report.files += 1
        report.occurrences += len(analysis.occurrences)
        spans = [(o.start, o.end, "occurrence") for o in analysis.occurrences]
        spans += [(f.start, f.end, f.code) for f in analysis.findings]
        for start, end, what in spans:
            line = lines.line_of(start)
            reason = oracle.why(line, start, end)
            if reason is not None:
                report.violations.append(
                    f"{path.relative_to(CORPUS)}:{line + 1}: {what} {text[start:end]!r} "
                    f"inside {reason}")
        for finding in analysis.findings:
            report.findings[finding.code] += 1
            line = lines.line_of(finding.start)
            if line in oracle.headings:
                report.heading_findings.append(
                    f"{path.relative_to(CORPUS)}:{line + 1}: {finding.code} "
                    f"{text[finding.start:finding.end]!r}")
    return report


@pytest.fixture(scope="module")
def report() -> Report:
    files = corpus_files()
    if not files:
        pytest.skip(f"{CORPUS} is absent (the harvester/docs corpus lives in ../shared)")
    result = run(files)
    print("\ndifferential:", result.summary())
    return result


def test_corpus_is_all_there(report: Report) -> None:
    assert report.files == 218
    assert report.occurrences > 1000


def test_nothing_reported_outside_prose(report: Report) -> None:
    assert report.violations == [], "\n".join(report.violations[:50])


def test_no_finding_on_a_heading_line(report: Report) -> None:
    assert report.heading_findings == [], "\n".join(report.heading_findings)


# The oracle itself, on a small document, so a broken oracle cannot pass everything.
ORACLE_SAMPLE = """---
title: guest cluster
---
# Heading

Text `code` [link](../a.md "t") <span>x</span> https://x.io/a.

```
fenced
```

    indented
<div>
html block
</div>
"""


def test_oracle_sees_each_construct() -> None:
    oracle = non_prose(ORACLE_SAMPLE)
    assert {oracle.lines[i] for i in range(3)} == {"front_matter"}
    assert oracle.headings == {3}
    assert oracle.lines[7] == oracle.lines[9] == "fence"
    assert oracle.lines[11] == "code_block"
    assert oracle.lines[12] == oracle.lines[14] == "html_block"
    kinds = {ORACLE_SAMPLE[s:e]: k for s, e, k in oracle.spans}
    assert kinds == {"`code`": "code_inline", '(../a.md "t")': "link_target",
                     "<span>": "html_inline", "</span>": "html_inline",
                     "https://x.io/a.": "url"}


if __name__ == "__main__":
    result = run(corpus_files())
    print(result.summary())
    for item in result.violations + result.heading_findings:
        print(" ", item)
