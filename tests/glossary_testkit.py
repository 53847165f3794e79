"""One way into the engine for the data-driven tests: text in, occurrences and findings out.

`findings(text)` runs the same path the CLI and the server run (`analyze` with a compiled
glossary and a check context) and returns `(code, text as written)` pairs, so a test case is a
line of data. The default glossary is the shipped one (the v1.7 page plus the overlay) at v1.7,
which is what a file outside any docs checkout gets.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pytest

from harvester_glossary_ls.engine.analysis import Analysis, CheckContext, CompiledGlossary, analyze
from harvester_glossary_ls.engine.loader import harvester_glossary, merge
from harvester_glossary_ls.engine.models import Finding, Version
from harvester_glossary_ls.engine.parsers.yaml_glossary import parse_yaml_glossary
from harvester_glossary_ls.engine.rule_codes import RuleSettings

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
SHARED = REPO.parent / "shared"
SHARED_GLOSSARY = SHARED / "glossary"
CORPUS = SHARED / "corpus" / "harvester-docs"
CORPUS_YAML = SHARED / "corpus" / "yaml"
SHIPPED_VERSION: Version = (1, 7)
NO_SHARED = f"{SHARED} is absent (the shared glossary pages and docs corpus live there)"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the calling test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: {NO_SHARED}" if SHARED.is_dir() else NO_SHARED)
    return path


def shared_params(paths: Iterable[Path]) -> list[object]:
    """Parametrize over shared files; one skipped case saying why when ../shared is absent."""
    found = sorted(paths)
    if not found:
        return [pytest.param(None, marks=pytest.mark.skip(reason=NO_SHARED), id="no-shared")]
    return [pytest.param(p, id=p.name) for p in found]


def corpus_files() -> list[Path]:
    return sorted(CORPUS.rglob("*.md")) if CORPUS.is_dir() else []


@lru_cache(maxsize=1)
def default_compiled() -> CompiledGlossary:
    """The shipped glossary: the v1.7 page plus the overlay, as outside a docs checkout."""
    glossary, problems = harvester_glossary()
    assert not problems, problems
    return CompiledGlossary.build(glossary)


def compile_yaml(text: str, path: str = "test-glossary.yaml") -> CompiledGlossary:
    """A custom glossary in our YAML format (no problems allowed) compiled for matching."""
    result = parse_yaml_glossary(text, path)
    assert not result.problems, result.problems
    return CompiledGlossary.build(merge([result]))


def analyse(
    text: str,
    language: str = "markdown",
    *,
    compiled: CompiledGlossary | None = None,
    version: Version | None = SHIPPED_VERSION,
    settings: RuleSettings | None = None,
) -> Analysis:
    context = CheckContext(compiled or default_compiled(), settings or RuleSettings(), version)
    return analyze(text, language, context)


def findings(text: str, language: str = "markdown", **options: object) -> list[tuple[str, str]]:
    """(code, text as written) for every finding, in document order."""
    result = analyse(text, language, **options)  # type: ignore[arg-type]
    return [(f.code, text[f.start:f.end]) for f in result.findings]


def full_findings(text: str, language: str = "markdown", **options: object) -> list[Finding]:
    return list(analyse(text, language, **options).findings)  # type: ignore[arg-type]


def matched(text: str, language: str = "markdown", **options: object) -> list[str]:
    """The text of every occurrence the matcher reports, in document order."""
    result = analyse(text, language, **options)  # type: ignore[arg-type]
    return [text[o.start:o.end] for o in result.occurrences]


def terms_matched(text: str, language: str = "markdown", **options: object) -> list[str]:
    """The glossary term (entry) of every occurrence, in document order."""
    result = analyse(text, language, **options)  # type: ignore[arg-type]
    return [o.entry.term for o in result.occurrences]
