"""`.harvester-glossary.yaml` through Project, the way the CLI and the server use it: rules,
ignoreWords, include/exclude, extra glossaries, glossaryVersion; broken files give problems and
the last good config keeps serving."""

from __future__ import annotations

from pathlib import Path

import pytest

from harvester_glossary_ls.engine.analysis import analyze
from harvester_glossary_ls.engine.config import (
    CONFIG_NAME,
    Config,
    GlossarySource,
    config_from_mapping,
    find_config,
    parse_config,
)
from harvester_glossary_ls.engine.models import Severity
from harvester_glossary_ls.engine.project import Project
from tests.glossary_testkit import FIXTURES

TEXT = "Set harvester-mgmt on the Harvester Cluster and the guest clsuter for all the hosts.\n"


def _check(project: Project, name: str = "doc.md", text: str = TEXT) -> list[tuple[str, str]]:
    assert project.root is not None
    path = project.root / name
    result = analyze(text, "markdown", project.context_for(path))
    return [(f.code, f.severity.label) for f in result.findings]


def _project(root: Path, config: str | None) -> Project:
    if config is not None:
        (root / CONFIG_NAME).write_text(config, encoding="utf-8")
    return Project(root)


DEFAULT = [("deprecated-term", "warning"), ("term-casing", "information"),
           ("term-spelling", "hint")]

CONFIGS = [
    ("no-file", None, DEFAULT),
    ("empty-file", "", DEFAULT),
    ("severity", "rules:\n  deprecated-term: error\n  term-spelling: info\n",
     [("deprecated-term", "error"), ("term-casing", "information"),
      ("term-spelling", "information")]),
    ("off", "rules:\n  term-casing: off\n  term-spelling: false\n",
     [("deprecated-term", "warning")]),
    ("warn-alias", "rules: {term-casing: warn}\n",
     [("deprecated-term", "warning"), ("term-casing", "warning"), ("term-spelling", "hint")]),
    ("ignore-words", "ignoreWords: [Harvester Cluster, HARVESTER-MGMT]\n",
     [("term-spelling", "hint")]),
    ("ignore-word-string", "ignoreWords: guest clsuter\n", DEFAULT[:2]),
    ("glossary-version", "glossaryVersion: v1.0\n", DEFAULT[1:]),
    ("glossary-version-number", "glossaryVersion: 1.6\n", DEFAULT),
]


@pytest.mark.parametrize(("config", "expected"),
                         [pytest.param(c, e, id=i) for i, c, e in CONFIGS])
def test_config_settings(tmp_path: Path, config: str | None,
                         expected: list[tuple[str, str]]) -> None:
    project = _project(tmp_path, config)
    assert project.problems == []
    assert _check(project) == expected


BROKEN = [
    ("bad-yaml", "rules: [\n", "invalid YAML", 1),
    ("not-a-mapping", "- a\n- b\n", "must be a mapping", 0),
    ("unknown-key", "rulez: {}\n", "unknown setting 'rulez'", 0),
    ("unknown-rule", "rules:\n  term-case: off\n", "unknown rule 'term-case'", 0),
    ("bad-severity", "rules:\n  term-casing: loud\n", "severity must be", 0),
    ("rules-list", "rules: [a]\n", "'rules' must map rule codes", 0),
    ("bad-version", "\nglossaryVersion: latest\n", "'glossaryVersion' must look like v1.7", 1),
    ("ignore-words-mapping", "ignoreWords: {a: b}\n", "'ignoreWords' must be a list", 0),
    ("include-numbers", "include: [1, 2]\n", "'include' must be a list of strings", 0),
    ("alias-bomb", "a: &a [*a, *a]\n", "nested too deeply", 0),
]


@pytest.mark.parametrize(("config", "message", "line"),
                         [pytest.param(c, m, n, id=i) for i, c, m, n in BROKEN])
def test_broken_config_gives_problems(tmp_path: Path, config: str, message: str,
                                      line: int) -> None:
    project = _project(tmp_path, config)
    assert len(project.problems) >= 1
    problem = project.problems[0]
    assert message in problem.message
    assert problem.line == line
    assert problem.path == str(tmp_path / CONFIG_NAME)
    assert _check(project)  # still checks, with defaults for what could not be read


def test_last_good_config_is_kept_on_reload(tmp_path: Path) -> None:
    config = tmp_path / CONFIG_NAME
    config.write_text("rules:\n  term-casing: off\n", encoding="utf-8")
    project = Project(tmp_path)
    assert _check(project) == [DEFAULT[0], DEFAULT[2]]
    config.write_text("rules: [unclosed\n", encoding="utf-8")
    problems = project.reload()
    assert problems and "invalid YAML" in problems[0].message
    assert _check(project) == [DEFAULT[0], DEFAULT[2]]  # the last good config still applies
    config.write_text("rules:\n  term-spelling: off\n", encoding="utf-8")
    assert project.reload() == []
    assert _check(project) == DEFAULT[:2]
    config.unlink()
    assert project.reload() == []
    assert _check(project) == DEFAULT


def test_include_and_exclude(tmp_path: Path) -> None:
    project = _project(tmp_path, "include: ['docs/**/*.md', 'charts/']\n"
                                 "exclude: ['docs/generated/**', '**/CHANGELOG.md']\n")
    cases = {
        "docs/a.md": True,
        "docs/sub/b.md": True,
        "docs/generated/x.md": False,
        "docs/sub/CHANGELOG.md": False,
        "charts/values.yaml": True,
        "README.md": False,
        "other/docs/a.md": False,
    }
    for relative, included in cases.items():
        assert project.included(tmp_path / relative) is included, relative


def test_extra_glossaries(tmp_path: Path) -> None:
    extra = tmp_path / "glossary.yaml"
    extra.write_text((FIXTURES / "glossaries" / "project.yaml").read_text(encoding="utf-8"),
                     encoding="utf-8")
    project = _project(tmp_path, "glossaries: [glossary.yaml]\n")
    assert project.problems == []
    text = "Configure the Backup Server and the harvester-mgmt bond for the hosts today.\n"
    assert _check(project, text=text) == [("deprecated-term", "warning")] * 2
    glossary = project.context_for(tmp_path / "doc.md").compiled.glossary
    assert glossary.entry("backup target") is not None
    assert glossary.entry("guest cluster") is not None  # the Harvester glossary stays


def test_extra_glossary_problems_and_last_good_version(tmp_path: Path) -> None:
    extra = tmp_path / "glossary.yaml"
    extra.write_text("entries:\n  - term: backup target\n", encoding="utf-8")
    project = _project(tmp_path, "glossaries: [glossary.yaml, missing.yaml]\n")
    assert [p.message for p in project.problems] == [
        f"cannot read glossary: {'No such file or directory'}"]
    assert project.context_for(tmp_path / "a.md").compiled.glossary.entry("backup target")
    extra.write_text("entries: [\n", encoding="utf-8")
    problems = project.reload()
    assert any("still using the last version that loaded" in p.message for p in problems)
    assert project.context_for(tmp_path / "a.md").compiled.glossary.entry("backup target")


def test_editor_settings_layer_under_the_file(tmp_path: Path) -> None:
    (tmp_path / CONFIG_NAME).write_text("rules:\n  term-casing: error\n", encoding="utf-8")
    settings, problems = config_from_mapping(
        {"rules": {"term-casing": "hint", "term-spelling": "off"}, "ignoreWords": ["x"]}, None)
    assert problems == []
    project = Project(tmp_path, settings=settings)
    rules = project.config.rule_settings()
    assert rules.severity("term-casing") == Severity.ERROR  # the file wins for what it sets
    assert rules.severity("term-spelling") is None  # the editor setting fills the rest
    assert project.config.ignore_words == ("x",)


def test_config_over() -> None:
    low = Config(ignore_words=("a",), include=("x",))
    high = Config(ignore_words=("b",))
    assert high.over(low) == Config(ignore_words=("b",), include=("x",))
    editor = Config(rules=(("term-casing", Severity.HINT), ("term-spelling", None)))
    file = Config(rules=(("term-casing", Severity.ERROR),))
    assert dict(file.over(editor).rules or ()) == {"term-casing": Severity.ERROR,
                                                   "term-spelling": None}


def test_find_config_walks_up(tmp_path: Path) -> None:
    (tmp_path / CONFIG_NAME).write_text("", encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / CONFIG_NAME


def test_parse_config_relative_glossary_paths() -> None:
    config, problems = parse_config("glossaries: [g.yaml, /abs/h.yaml]\n",
                                    Path("/repo/.harvester-glossary.yaml"))
    assert problems == []
    assert config is not None and config.glossaries == (GlossarySource(Path("/repo/g.yaml")),
                                                         GlossarySource(Path("/abs/h.yaml")))
