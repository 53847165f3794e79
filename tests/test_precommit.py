"""The pre-commit hook (`.pre-commit-hooks.yaml`) as a user gets it (issue 11, item 3).

pre-commit clones this repository at its committed HEAD (uncommitted changes are never used:
`--ref` pins the commit) and pip-installs it into its own environment, so this needs access to
PyPI for the dependencies. The environment is built once per module under a temporary
PRE_COMMIT_HOME and shared by the tests: `try-repo` on staged files as a commit would run it, a
real `git commit` through `pre-commit install`, and the project's `.harvester-glossary.yaml`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pre_commit", reason="in the test extra: pip install -e '.[test]'")

pytestmark = pytest.mark.slow  # the first hook environment is a pip install (~10-60 s)

REPO = Path(__file__).resolve().parents[1]
HOOK = "harvester-glossary-ls"
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
DEPRECATED = "Attach the VM to harvester-mgmt before the upgrade.\n"
CLEAN = "Attach the VM to the mgmt network before the upgrade.\n"
CLEAN_YAML = "# The VM network is created on a cluster network.\nname: vm-net\n"


@pytest.fixture(scope="module")
def head() -> str:
    """The checkout's committed HEAD, which must already hold the hook definition."""
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True,
                         text=True, check=True).stdout.strip()
    shown = subprocess.run(["git", "cat-file", "-e", f"{sha}:.pre-commit-hooks.yaml"], cwd=REPO)
    if shown.returncode != 0:
        pytest.fail(".pre-commit-hooks.yaml is not committed: pre-commit uses the commit")
    return sha


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A clean git and pre-commit environment (no caller's GIT_DIR, a private PRE_COMMIT_HOME)."""
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("GIT_", "PRE_COMMIT"))}
    return {**keep, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
            "GIT_CONFIG_NOSYSTEM": "1"}


def git_repo(path: Path, env: dict[str, str], files: dict[str, str]) -> Path:
    path.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=path, env=env, check=True)
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    subprocess.run(["git", "add", *files], cwd=path, env=env, check=True)
    return path


def run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    print(proc.stdout, proc.stderr)
    return proc


def try_repo(cwd: Path, env: dict[str, str], head: str) -> subprocess.CompletedProcess[str]:
    """The hook on the staged files, as a commit would run it."""
    return run([*PRE_COMMIT, "try-repo", str(REPO), HOOK, "--ref", head], cwd, env)


def test_try_repo_fails_on_a_deprecated_term(tmp_path: Path, env: dict[str, str],
                                             head: str) -> None:
    repo = git_repo(tmp_path / "docs", env, {"docs/network.md": DEPRECATED, "ok.md": CLEAN})
    proc = try_repo(repo, env, head)
    assert proc.returncode == 1
    assert "Failed" in proc.stdout
    assert ("docs/network.md:1:18: warning [deprecated-term] 'harvester-mgmt' is deprecated"
            in proc.stdout)
    assert "ok.md:" not in proc.stdout


def test_try_repo_passes_on_clean_markdown_and_yaml(tmp_path: Path, env: dict[str, str],
                                                    head: str) -> None:
    repo = git_repo(tmp_path / "docs", env, {"guide.md": CLEAN, "net.yaml": CLEAN_YAML,
                                             "notes.txt": DEPRECATED})  # not Markdown or YAML
    proc = try_repo(repo, env, head)
    assert proc.returncode == 0, proc.stdout
    assert "Passed" in proc.stdout


def test_a_real_commit_is_refused_then_accepted(tmp_path: Path, env: dict[str, str],
                                                head: str) -> None:
    config = f"repos:\n- repo: {REPO}\n  rev: {head}\n  hooks:\n  - id: {HOOK}\n"
    repo = git_repo(tmp_path / "docs", env, {".pre-commit-config.yaml": config,
                                             "upgrade.md": DEPRECATED})
    assert run([*PRE_COMMIT, "install"], repo, env).returncode == 0
    refused = run(["git", "commit", "-q", "-m", "docs"], repo, env)
    assert refused.returncode != 0
    assert "[deprecated-term] 'harvester-mgmt'" in refused.stdout + refused.stderr
    assert run(["git", "rev-parse", "--verify", "-q", "HEAD"], repo, env).returncode != 0

    (repo / "upgrade.md").write_text(CLEAN)
    subprocess.run(["git", "add", "upgrade.md"], cwd=repo, env=env, check=True)
    accepted = run(["git", "commit", "-q", "-m", "docs"], repo, env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Passed" in accepted.stdout + accepted.stderr


def test_the_project_config_is_honoured(tmp_path: Path, env: dict[str, str], head: str) -> None:
    """pre-commit runs hooks from the repository root, where `check` reads the config."""
    text = "After the upgrade, Live Migration moves the VM to another host.\n"
    repo = git_repo(tmp_path / "docs", env, {"docs/migrate.md": text})
    assert try_repo(repo, env, head).returncode == 0  # term-casing is information by default
    (repo / ".harvester-glossary.yaml").write_text("rules:\n  term-casing: error\n")
    subprocess.run(["git", "add", ".harvester-glossary.yaml"], cwd=repo, env=env, check=True)
    proc = try_repo(repo, env, head)
    assert proc.returncode == 1
    assert "docs/migrate.md:1:" in proc.stdout and "error [term-casing]" in proc.stdout
