"""`report`: glossary coverage collected from a small two-version Docusaurus tree, its JSON and
its self-contained HTML page; and the page over the Harvester corpus in real headless Chromium."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from harvester_glossary_ls.engine.coverage import collect, documents
from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.keeper_commands import ProgressBar

from .keeper_support import FIXTURES, REPO, SHARED, run

SITE = FIXTURES / "site"


@pytest.fixture
def in_site(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(SITE)
    return SITE


def _coverage() -> dict[str, object]:
    from harvester_glossary_ls.engine.coverage import as_json

    project = Project(SITE)
    return as_json(collect(project, documents(project, ["."]), SITE))


def _spellings(term: dict[str, object]) -> dict[tuple[str, str], list[str]]:
    spellings = term["spellings"]
    assert isinstance(spellings, list)
    return {(s["text"], s["category"]): s["places"] for s in spellings}


def test_uses_per_term_version_and_spelling(in_site: Path) -> None:
    data = _coverage()
    assert data["versions"] == ["v1.0", "v1.7"]
    assert data["pages"] == 3  # the two glossary pages are not uses of their terms
    terms = {t["term"]: t for t in data["terms"]}  # type: ignore[attr-defined]
    assert {name: t["versions"] for name, t in terms.items()} == {
        "guest cluster": {"v1.7": 4},
        "VM network": {"v1.0": 1, "v1.7": 3},
        "mgmt": {"v1.0": 1, "v1.7": 2},
        "RKE2": {"v1.7": 1},
    }
    assert _spellings(terms["guest cluster"]) == {
        ("guest cluster", "canonical"): ["docs/networks.md:6:3", "docs/networks.md:6:42"],
        ("Guest Cluster", "case variant"): ["docs/clusters.md:3:3"],
        ("guest Kubernetes cluster", "alias"): ["docs/clusters.md:3:32"],
    }  # the code span `guest cluster` is not a use
    assert _spellings(terms["mgmt"]) == {
        ("harvester-mgmt", "deprecated"): ["docs/networks.md:4:12",
                                           "versioned_docs/version-v1.0/networks.md:3:8"],
        ("mgmt", "canonical"): ["docs/networks.md:3:28"],
    }
    assert [(p["path"], p["count"]) for p in terms["VM network"]["pages"]] == [
        ("docs/networks.md", 3), ("versioned_docs/version-v1.0/networks.md", 1)]


def test_never_used_per_version(in_site: Path) -> None:
    never = _coverage()["never_used"]
    overlay = ["network configuration", "IP pool", "skipGarbageCollectionThresholdCheck",
               "UEFI", "Deployment-based upgrade repository"]
    assert never == {
        "v1.0": ["guest cluster", "Harvester node", *overlay[:2], "RKE2", *overlay[2:]],
        "v1.7": ["Harvester node", *overlay],
    }


def test_deprecated_in_use_trend(in_site: Path) -> None:
    project = Project(SITE)
    coverage = collect(project, documents(project, ["."]), SITE)
    # harvester-mgmt is deprecated since v1.1: allowed in v1.0, in use where deprecated in v1.7
    assert coverage.deprecated_in_use() == {"harvester-mgmt": {"v1.7": 1}}
    dep = coverage.deprecated["harvester-mgmt"]
    assert dep.applies == {"v1.0": False, "v1.7": True}
    assert dep.since == "v1.1" and dep.use == ("mgmt",)
    assert [(f.path, f.code) for f in coverage.findings if f.code != "unlinked-term"] == [
        ("docs/clusters.md", "term-casing"), ("docs/networks.md", "deprecated-term")]
    # the off-by-default rule is on in the report: first uses the pages do not link
    unlinked = {(f.path, f.severity) for f in coverage.findings if f.code == "unlinked-term"}
    assert ("docs/clusters.md", "hint") in unlinked


def test_json_on_stdout(in_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["report", ".", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"versions", "pages", "terms", "never_used", "deprecated", "findings",
                         "errors"}
    assert data["deprecated"][0]["versions"]["v1.0"] == {
        "count": 1, "deprecated": False,
        "places": ["versioned_docs/version-v1.0/networks.md:3:8"]}
    findings = [f for f in data["findings"] if f["code"] != "unlinked-term"]
    assert findings[1] == {
        "path": "docs/networks.md", "code": "deprecated-term", "severity": "warning",
        "message": "'harvester-mgmt' is deprecated since v1.1: use 'mgmt'", "line": 4,
        "column": 12}


def test_missing_path_and_no_files(in_site: Path, capsys: pytest.CaptureFixture[str],
                                   tmp_path: Path) -> None:
    assert run(["report", "nowhere", "--format", "json"]) == 2
    assert "nowhere: no such file or directory" in capsys.readouterr().err
    assert run(["report", str(tmp_path), "--format", "json"]) == 2
    assert "no files to check" in capsys.readouterr().err


def test_html_is_self_contained(in_site: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "report.html"
    assert run(["report", ".", "--output", str(output)]) == 0
    assert "wrote" in capsys.readouterr().err
    page = output.read_text(encoding="utf-8")
    # nothing is fetched: no external src/href, no stylesheet link, a CSP that forbids it all
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<link" not in page and "@import" not in page and "url(" not in page.split("<script>")[0]
    assert "default-src 'none'" in page
    assert "Chart.js v4" in page  # the vendored library, inline
    data = json.loads(re.search(r'<script id="data" type="application/json">(.*?)</script>',
                                page, re.S).group(1))  # type: ignore[union-attr]
    assert data["charts"]["deprecated"] == {
        "labels": ["v1.0", "v1.7"], "datasets": [{"label": "harvester-mgmt", "data": [0, 1]}]}
    terms = data["charts"]["terms"]
    assert terms["labels"][:2] == ["guest cluster", "VM network"]
    assert terms["datasets"] == [{"label": "v1.0", "data": [0, 1, 1, 0]},
                                 {"label": "v1.7", "data": [4, 3, 2, 1]}]
    # every number is a link to its places: the "4" of guest cluster lists its four places
    link = re.search(r'data-list="(\d+)" data-label="guest cluster">4<', page)
    assert link is not None
    places = [data["places"][i] for i in data["lists"][int(link.group(1))]]
    assert [(p[0], p[1]) for p in places] == [("docs/clusters.md", 3), ("docs/clusters.md", 3),
                                              ("docs/networks.md", 6), ("docs/networks.md", 6)]
    assert data["rel"] == os.path.relpath(SITE, tmp_path)


def test_progress_without_a_terminal() -> None:
    out = io.StringIO()
    bar = ProgressBar("report", out, delay=0.0)
    for done in range(1, 21):
        bar(done, 20)
    lines = out.getvalue().splitlines()
    assert lines[0] == "report: 5% (1/20 files)" and lines[-1] == "report: 100% (20/20 files)"
    assert len(lines) == 11  # one line per 10 % step, not one per file
    quiet = io.StringIO()
    ProgressBar("report", quiet, delay=60.0)(1, 2)  # a fast run shows nothing
    assert quiet.getvalue() == ""


CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
PLAYWRIGHT = REPO / "editors" / "vscode" / "node_modules" / "playwright-core" / "package.json"
SCREENSHOT = REPO / "tests" / "screenshots" / "report.png"
"""The README's picture, retaken only with REFRESH_SCREENSHOTS=1 (a test run changes no
tracked file)."""


def _need(condition: bool, reason: str) -> None:
    if not condition:
        if os.environ.get("CI", "").lower() == "true" and "shared" not in reason:
            pytest.fail(f"{reason} (CI=true: the browser test must not be skipped)")
        pytest.skip(reason)


@pytest.mark.browser
@pytest.mark.parametrize("corpus", ["harvester-docs", "longhorn-website"])
def test_report_in_headless_chromium(corpus: str, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = SHARED / corpus
    _need(root.is_dir(), f"../shared corpus {corpus} is absent")
    _need(Path(CHROMIUM).is_file(), "chromium is not installed (bash .ci/install-editors.sh)")
    _need(PLAYWRIGHT.is_file() and shutil.which("node") is not None,
          "node and playwright-core (editors/vscode/node_modules) are not installed")
    monkeypatch.chdir(root)
    report = tmp_path / "report.html"
    assert run(["report", ".", "--output", str(report)]) == 0
    shot = tmp_path / "report.png"
    proc = subprocess.run(["node", str(REPO / "tests" / "report_browser.js"), str(report),
                           str(shot), CHROMIUM], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["requests"] == [report.as_uri()]  # the page itself, nothing else
    assert seen["errors"] == []
    terms = seen["charts"]["chart-terms"]
    assert terms["type"] == "bar" and terms["drawn"] and terms["labels"] >= 10
    assert all(points == terms["labels"] for points in terms["points"])  # a bar per term
    assert len(terms["datasets"]) == 2  # the two version trees of each corpus
    # clicking the first number shows the places panel with one item per use
    assert seen["before"] is False and seen["items"] == seen["number"] > 0
    assert seen["first"].startswith("vscode://file/") and "//" not in seen["first"][14:]
    assert seen["firstUses"] == "1"  # the table sorted ascending on click
    if corpus == "harvester-docs":
        dep = seen["charts"]["chart-deprecated"]
        assert dep["type"] == "line" and dep["points"] == [2] * len(dep["datasets"])
        if os.environ.get("REFRESH_SCREENSHOTS") == "1":
            shutil.copyfile(shot, SCREENSHOT)
