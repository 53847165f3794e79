"""The GitHub Action (`action.yml`) run from its own text against a temporary git repository.

The test reads action.yml, evaluates the `${{ }}` expressions its steps use (inputs with their
defaults, the `github` context of a pull_request or push event, step outputs) and runs every
`run:` step after setup-python and the pip install with bash as the runner does
(`bash --noprofile --norc -eo pipefail`), with GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and RUNNER_TEMP
in temporary files; `python` is this test's interpreter, where the package is installed.
The repository has two commits: the base with an old page that has findings, the head that edits
one page (a dozen deprecated terms and miscased terms on new lines) and adds a YAML file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from harvester_glossary_ls.ci_action import cap_annotations, summary_markdown

REPO = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
SARIF_SCHEMA = REPO / "tests" / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

OLD_PAGE = "# Networks\n\nThe old page still says harvester-mgmt.\n"
BASE_PAGE = "# Upgrade\n\nBefore the upgrade, check the mgmt network.\n"
NEW_LINES = "".join(f"Step {i}: attach NIC {i} to harvester-mgmt.\n" for i in range(12)) + \
    "".join(f"Step {i}: then Live Migration moves VM {i}.\n" for i in range(12))
NEW_YAML = "# The vip-pools setting holds the addresses.\nname: pools\n"


def git(repo: Path, *args: str) -> str:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str, str]:
    """A repository at its head commit, with the base and head shas."""
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "docs" / "networks.md").write_text(OLD_PAGE)
    (root / "docs" / "upgrade.md").write_text(BASE_PAGE)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD")
    (root / "docs" / "upgrade.md").write_text(BASE_PAGE + NEW_LINES)
    (root / "docs" / "pools.yaml").write_text(NEW_YAML)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "head")
    return root, base, git(root, "rev-parse", "HEAD")


def lookup(context: dict[str, Any], dotted: str) -> Any:
    value: Any = context
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def evaluate(text: str, context: dict[str, Any]) -> str:
    """The `${{ a.b || c.d }}` expressions action.yml's env and run values use."""
    def one(match: re.Match[str]) -> str:
        for alternative in match.group(1).split("||"):
            value = lookup(context, alternative.strip())
            if value:
                return str(value)
        return ""
    return EXPRESSION.sub(one, text)


class Runner:
    """Runs the action's `run:` steps as GitHub's runner would, in a fresh temporary folder."""

    def __init__(self, tmp: Path, repo: Path, event: str, base: str, head: str,
                 inputs: dict[str, str]) -> None:
        tmp.mkdir()
        self.summary, self.output = tmp / "summary.md", tmp / "output.txt"
        self.summary.touch()
        self.output.touch()
        bin_dir = tmp / "bin"
        bin_dir.mkdir()
        python = bin_dir / "python"  # a symlink would lose the virtualenv
        python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
        python.chmod(0o755)
        defaults = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
        pull_request = {"base": {"sha": base}, "head": {"sha": head}} if event.startswith(
            "pull_request") else None
        self.context: dict[str, Any] = {
            "inputs": {**defaults, **inputs}, "steps": {},
            "github": {"event_name": event, "sha": head, "workspace": str(repo),
                       "action_path": str(REPO), "repository": "harvester/docs",
                       "event": {"pull_request": pull_request}}}
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "CI"))},
                    "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "CI": "true",
                    "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event, "GITHUB_SHA": head,
                    "GITHUB_WORKSPACE": str(repo), "GITHUB_REPOSITORY": "harvester/docs",
                    "GITHUB_SERVER_URL": "https://github.com", "RUNNER_TEMP": str(tmp),
                    "GITHUB_STEP_SUMMARY": str(self.summary), "GITHUB_OUTPUT": str(self.output)}
        self.repo = repo

    def run_step(self, step: dict[str, Any]) -> subprocess.CompletedProcess[str]:
        self.output.write_text("")
        env = {**self.env, **{k: evaluate(str(v), self.context)
                              for k, v in step.get("env", {}).items()}}
        cwd = evaluate(step.get("working-directory", "${{ github.workspace }}"), self.context)
        assert step["shell"] == "bash"
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                               evaluate(step["run"], self.context)],
                              cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        outputs = dict(line.split("=", 1) for line in self.output.read_text().splitlines())
        self.context["steps"][step.get("id", "")] = {"outputs": outputs}
        return proc

    def run_action(self) -> dict[str, subprocess.CompletedProcess[str]]:
        """Every `run:` step after the install (setup-python and pip are the runner's job)."""
        done: dict[str, subprocess.CompletedProcess[str]] = {}
        for step in ACTION["runs"]["steps"]:
            if "run" in step and step["id"] != "install":
                done[step["id"]] = self.run_step(step)
                if done[step["id"]].returncode != 0:
                    break
        return done


def annotation_counts(stdout: str) -> Counter[str]:
    return Counter(line[2:].split(" ", 1)[0].split("::")[0] for line in stdout.splitlines()
                   if line.startswith("::"))


def sarif_results(path: Path) -> list[dict[str, Any]]:
    log = json.loads(path.read_text(encoding="utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
                               ).validate(log)
    results: list[dict[str, Any]] = log["runs"][0]["results"]
    return results


def test_the_action_steps_are_the_ones_this_test_runs() -> None:
    steps = {step["id"]: step for step in ACTION["runs"]["steps"]}
    assert ACTION["runs"]["using"] == "composite"
    assert steps["setup-python"]["uses"].startswith("actions/setup-python@")
    assert '"$HGLS_ACTION_PATH"' in steps["install"]["run"]
    assert steps["install"]["env"]["HGLS_ACTION_PATH"] == "${{ github.action_path }}"
    assert "--changed-since" not in steps["check"]["run"]  # ci_action passes it (tested here)
    assert steps["check"]["env"]["HGLS_BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert steps["upload-sarif"]["uses"].startswith("github/codeql-action/upload-sarif@")
    assert "inputs.upload-sarif == 'true'" in steps["upload-sarif"]["if"]
    for step in steps.values():  # inputs reach the shell as env, never as script text
        assert "${{" not in step.get("run", "")


def test_pull_request_checks_the_changed_files(tmp_path: Path,
                                               repo: tuple[Path, str, str]) -> None:
    root, base, head = repo
    runner = Runner(tmp_path / "runner", root, "pull_request", base, head, {})
    steps = runner.run_action()
    check = steps["check"]
    assert check.returncode == 0, check.stderr
    outputs = runner.context["steps"]["check"]["outputs"]
    findings = 12 + 12 + 1  # deprecated and casing in upgrade.md, vip-pools in pools.yaml
    assert outputs["findings"] == str(findings)
    assert outputs["exit-code"] == "1"
    assert steps["result"].returncode == 1  # the job fails, after the SARIF upload step

    # annotations: at most 10 per type, and the log says how many more
    assert annotation_counts(check.stdout) == {"warning": 10, "notice": 10}
    assert "3 more warning annotations not shown" in check.stdout  # 12 + 1 warnings
    assert "2 more notice annotations not shown" in check.stdout
    assert "networks.md" not in check.stdout  # unchanged since the base
    assert check.stdout.count("docs/upgrade.md:") == 24  # every finding in the log as text

    # the job summary lists every finding
    summary = runner.summary.read_text()
    rows = [line for line in summary.splitlines() if line.startswith("| ") and "](" in line]
    assert len(rows) == findings
    assert f"the files changed since `{base[:12]}`" in summary
    assert (f"[`docs/upgrade.md:4`](https://github.com/harvester/docs/blob/{head}/"
            "docs/upgrade.md#L4)") in summary
    assert any("docs/pools.yaml:1" in row and "`deprecated-term`" in row for row in rows)
    assert "25 findings in 2 of 2 changed files" in summary

    # SARIF: valid SARIF 2.1.0, every finding
    sarif = Path(outputs["sarif-file"])
    assert sarif.parent == tmp_path / "runner"
    results = sarif_results(sarif)
    assert len(results) == findings
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in results} == {"docs/upgrade.md", "docs/pools.yaml"}


def test_only_changed_lines(tmp_path: Path, repo: tuple[Path, str, str]) -> None:
    root, base, head = repo
    (root / "docs" / "networks.md").write_text(OLD_PAGE + "A new line on harvester-mgmt.\n")
    git(root, "commit", "-q", "-am", "touch the old page")
    runner = Runner(tmp_path / "runner", root, "pull_request", base, head,
                    {"only-changed-lines": "true", "fail-on": "error"})
    steps = runner.run_action()
    outputs = runner.context["steps"]["check"]["outputs"]
    assert outputs["findings"] == "26"  # the new line of networks.md, not its old line 3
    assert "docs/networks.md:4:" in steps["check"].stdout
    assert "docs/networks.md:3:" not in steps["check"].stdout
    assert steps["result"].returncode == 0  # nothing at or above error


def test_push_checks_the_given_paths(tmp_path: Path, repo: tuple[Path, str, str]) -> None:
    root, base, head = repo
    runner = Runner(tmp_path / "runner", root, "push", base, head, {"paths": "docs/networks.md"})
    steps = runner.run_action()
    outputs = runner.context["steps"]["check"]["outputs"]
    assert outputs["findings"] == "1"
    assert annotation_counts(steps["check"].stdout) == {"warning": 1}
    assert "Checked `docs/networks.md`." in runner.summary.read_text()
    assert len(sarif_results(Path(outputs["sarif-file"]))) == 1
    assert steps["result"].returncode == 1


def test_a_clean_change_passes_and_config_applies(tmp_path: Path,
                                                 repo: tuple[Path, str, str]) -> None:
    root, base, _ = repo
    (root / ".harvester-glossary.yaml").write_text("rules:\n  deprecated-term: off\n"
                                                   "  term-casing: off\n")
    runner = Runner(tmp_path / "runner", root, "pull_request", base, "", {})
    steps = runner.run_action()
    assert runner.context["steps"]["check"]["outputs"]["findings"] == "0"
    assert "No findings." in runner.summary.read_text()
    assert steps["result"].returncode == 0
    ignored = Runner(tmp_path / "ignored", root, "pull_request", base, "", {"config": "false"})
    assert ignored.run_action()["result"].returncode == 1  # --no-config: the findings are back


def test_cap_annotations_keeps_ten_of_each_type() -> None:
    lines = [f"::warning file=a.md,line={i}::w" for i in range(15)] + \
        [f"::error file=b.md::cannot read {i}" for i in range(3)] + ["plain log line"]
    kept, dropped = cap_annotations(lines)
    assert Counter(line.split(" ")[0] for line in kept) == {"::warning": 10, "::error": 3}
    assert dropped == {"warning": 5}


def test_summary_escapes_cells_and_stays_under_githubs_limit() -> None:
    finding = {"path": "a|b.md", "line": 3, "severity": "warning", "code": "deprecated-term",
               "message": "use <b>x</b> | y\nnow"}
    text = summary_markdown([finding], "`.`", "")
    assert "a\\|b.md:3" in text and "use &lt;b&gt;x&lt;/b&gt; \\| y now" in text
    many = summary_markdown([finding] * 50_000, "`.`", "", budget=100_000)
    assert len(many.encode()) < 100_000
    assert "more findings do not fit in a job summary" in many


def test_no_changed_document_passes(tmp_path: Path, repo: tuple[Path, str, str]) -> None:
    root, _, head = repo
    (root / "notes.txt").write_text("harvester-mgmt\n")
    git(root, "add", "notes.txt")
    git(root, "commit", "-q", "-m", "not a document")
    runner = Runner(tmp_path / "runner", root, "pull_request", head, "", {})
    steps = runner.run_action()
    assert runner.context["steps"]["check"]["outputs"]["findings"] == "0"
    assert "no changed files to check" in runner.summary.read_text()
    assert steps["result"].returncode == 0


def test_a_base_that_cannot_be_fetched_checks_the_paths(tmp_path: Path,
                                                        repo: tuple[Path, str, str]) -> None:
    root, _, head = repo
    runner = Runner(tmp_path / "runner", root, "pull_request", "0" * 40, head, {})
    steps = runner.run_action()
    assert "::warning title=harvester-glossary-ls::cannot find the history back to the base" \
        in steps["check"].stdout
    assert runner.context["steps"]["check"]["outputs"]["findings"] == "26"  # all of docs/
    assert "Checked `.`." in runner.summary.read_text()
