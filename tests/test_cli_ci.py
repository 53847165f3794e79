"""The command line in CI (issue 11, items 5 and 6): `--changed-since`, `--only-changed-lines`,
baselines, the summary line, "no files to check", `--help`, SARIF against the SARIF 2.1.0 schema
and file errors as GitHub annotations.

Git runs in temporary repositories with the user's and the system's git config kept out
(`GIT_CONFIG_NOSYSTEM`, `HOME` in the temporary folder), so `diff.noprefix` or a global
excludes file on a developer's machine cannot change what the tests see.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from harvester_glossary_ls.engine import baseline
from harvester_glossary_ls.engine.changes import (
    ALL_LINES,
    changed_lines,
    on_changed_lines,
    split_z,
    unquote_path,
)
from tests.glossary_testkit import FIXTURES

SCRIPT = Path(sys.executable).parent / "harvester-glossary-ls"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "harvester_glossary_ls"]
SARIF_SCHEMA = FIXTURES / "sarif" / "sarif-schema-2.1.0.json"
FINDING = "Set the harvester-mgmt interface on each host.\n"
CLEAN = "A plain paragraph about the weather.\n"


def isolated_env(home: Path) -> dict[str, str]:
    """The environment without Python overrides, git variables or the user's git config."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "GIT_"))}
    return {**env, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "XDG_CONFIG_HOME": str(home)}


def run(*args: str, cwd: Path, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                          env=isolated_env(home or cwd.parent), stdin=subprocess.DEVNULL)


class Repo:
    """A temporary git repository with a fixed identity."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root.parent / "home"
        self.home.mkdir(exist_ok=True)
        root.mkdir()
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Test")
        self.git("config", "user.email", "test@example.invalid")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True,
                              timeout=60, env=isolated_env(self.home), check=True)
        return done.stdout

    def write(self, name: str, text: str) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def check(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run("check", "--no-config", *args, cwd=self.root, home=self.home)


def findings(result: subprocess.CompletedProcess[str]) -> list[tuple[str, int]]:
    return [(d["path"], d["line"]) for d in json.loads(result.stdout)]


# --- git output parsing, on recorded text --------------------------------------------------------

RECORDED_DIFF = b"""\
diff --git a/docs/a.md b/docs/a.md
index 1111111..2222222 100644
--- a/docs/a.md
+++ b/docs/a.md
@@ -3,0 +4,2 @@ Intro
+new line
+another
@@ -10 +12 @@ More
-old
+new
@@ -20,3 +22,0 @@ Gone
-x
-y
-z
diff --git a/old.md b/new.md
similarity index 90%
rename from old.md
rename to new.md
index 3333333..4444444 100644
--- a/old.md
+++ b/new.md
@@ -1 +1 @@
-+++ not a header
++++ still not a header
diff --git a/moved.md b/moved-too.md
similarity index 100%
rename from moved.md
rename to moved-too.md
diff --git a/deleted.md b/deleted.md
deleted file mode 100644
index 5555555..0000000
--- a/deleted.md
+++ /dev/null
@@ -1,2 +0,0 @@
-a
-b
diff --git a/with space.md b/with space.md
new file mode 100644
index 0000000..6666666
--- /dev/null
+++ b/with space.md\t
@@ -0,0 +1,3 @@
+1
+2
+3
diff --git "a/tab\\there \\"q\\" \\303\\251.md" "b/tab\\there \\"q\\" \\303\\251.md"
index 7777777..8888888 100644
--- "a/tab\\there \\"q\\" \\303\\251.md"
+++ "b/tab\\there \\"q\\" \\303\\251.md"
@@ -5,0 +6 @@
+added
diff --git a/logo.png b/logo.png
index 9999999..aaaaaaa 100644
Binary files a/logo.png and b/logo.png differ
"""


def test_changed_lines_reads_new_side_ranges_from_a_recorded_diff() -> None:
    lines = changed_lines(RECORDED_DIFF)
    assert lines["docs/a.md"] == frozenset({4, 5, 12})  # "+22,0" only deletes
    assert lines["new.md"] == frozenset({1})  # a rename with an edit: only the edit
    assert "moved-too.md" not in lines  # a pure rename has no patch
    assert "deleted.md" not in lines and "logo.png" not in lines
    assert lines["with space.md"] == frozenset({1, 2, 3})  # git's trailing tab dropped
    assert lines['tab\there "q" \u00e9.md'] == frozenset({6})  # C-quoted name decoded
    assert len(lines) == 4


def test_unquote_path_and_split_z() -> None:
    assert unquote_path(b"plain.md") == b"plain.md"
    assert unquote_path(b'"a\\\\b\\nc\\303\\251"') == "a\\b\nc\u00e9".encode()
    assert split_z(b"a.md\0dir/b c.md\0\0") == ["a.md", "dir/b c.md"]


def test_on_changed_lines() -> None:
    assert on_changed_lines(ALL_LINES, 1, 1)
    assert on_changed_lines(frozenset({3}), 2, 4)
    assert not on_changed_lines(frozenset({3}), 4, 5)
    assert not on_changed_lines(frozenset(), 1, 1)


# --- the baseline file ---------------------------------------------------------------------------


def test_fingerprints_ignore_line_numbers_and_count_identical_findings() -> None:
    items = [("deprecated-term", "harvester-mgmt", "  Set the  harvester-mgmt\tport. "),
             ("deprecated-term", "harvester-mgmt", "Set the harvester-mgmt port."),
             ("term-casing", "Harvester Cluster", "The Harvester Cluster.")]
    prints = baseline.fingerprints("docs/a.md", items)
    assert [(p.context, p.occurrence) for p in prints] == [
        ("Set the harvester-mgmt port.", 0), ("Set the harvester-mgmt port.", 1),
        ("The Harvester Cluster.", 0)]


def test_baseline_file_is_sorted_one_entry_per_line_and_round_trips() -> None:
    prints = baseline.fingerprints("b.md", [("term-casing", "X", "line x")]) + \
        baseline.fingerprints("a.md", [("deprecated-term", "Y", "line \u00e9")])
    text = baseline.dumps(prints)
    lines = text.splitlines()
    assert lines[:3] == ["{", '  "version": 1,', '  "tool": "harvester-glossary-ls",']
    assert lines[4].lstrip().startswith('{"path": "a.md"') and "\u00e9" in lines[4]
    assert lines[5].lstrip().startswith('{"path": "b.md"')
    assert text.endswith("  ]\n}\n")
    assert baseline.loads(text) == frozenset(prints)
    assert baseline.loads(baseline.dumps([])) == frozenset()


def test_a_long_line_is_recorded_cut_and_hashed() -> None:
    long_line = "Set the harvester-mgmt port. " * 1000
    edited = long_line[:-30] + "Set the harvester-mgmt door. "
    (first,), (second,) = (baseline.fingerprints("a.md", [("deprecated-term", "harvester-mgmt",
                                                           line)]) for line in (long_line,
                                                                                edited))
    assert len(first.context) <= baseline.MAX_CONTEXT
    assert "sha256:" in first.context and first.context != second.context  # still the whole


@pytest.mark.parametrize(("text", "message"), [
    ("{", "not JSON"),
    ("[]", "expected an object with a 'findings' list"),
    ('{"version": 2, "findings": []}', "format version 2 is not 1"),
    ('{"version": 1, "findings": [{"path": "a"}]}', "finding 1 must have exactly the keys"),
    ('{"version": 1, "findings": [{"path": "a", "code": "c", "text": "t", "context": "x", '
     '"occurrence": -1}]}', "occurrence a number from 0"),
])
def test_broken_baselines_say_why(text: str, message: str) -> None:
    with pytest.raises(baseline.BaselineError, match=message):
        baseline.loads(text)


# --- baselines on the command line ---------------------------------------------------------------


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A copy of the CLI fixture documents in `tmp_path/work/docs`; returns `tmp_path/work`."""
    work = tmp_path / "work"
    shutil.copytree(FIXTURES / "cli", work / "docs")
    return work


def test_baseline_suppresses_known_findings_when_lines_move_and_reports_new_ones(
        docs: Path) -> None:
    written = run("check", "--write-baseline", "baseline.json", "docs", cwd=docs)
    assert written.returncode == 0, written.stderr
    assert written.stdout == ""
    assert "wrote 7 findings of 4 files to baseline.json" in written.stderr
    assert json.loads((docs / "baseline.json").read_text())["version"] == 1

    same = run("check", "--baseline", "baseline.json", "docs", cwd=docs)
    assert same.returncode == 0 and same.stdout == ""
    assert same.stderr.splitlines()[-1] == "no findings in 4 files (7 suppressed by the baseline)"

    page = docs / "docs" / "findings.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("## Storage Network\n", "## Storage Network\n\nTwo new lines\n"
                                 "   above the findings.\n").replace(
        "Set the harvester-mgmt interface", "Set  the   harvester-mgmt interface"),
        encoding="utf-8")  # lines moved, whitespace changed: still the same findings
    moved = run("check", "--baseline", "baseline.json", "--format", "json", "docs", cwd=docs)
    assert moved.returncode == 0 and json.loads(moved.stdout) == [], moved.stderr
    assert "(7 suppressed by the baseline)" in moved.stderr

    fixed = page.read_text(encoding="utf-8").replace("built with RKE1", "built with RKE2")
    page.write_text(fixed + "\nOpen the vip-pools setting first.\n", encoding="utf-8")
    result = run("check", "--baseline", "baseline.json", "--format", "json", "docs", cwd=docs)
    data = json.loads(result.stdout)
    assert [(d["path"], d["message"].split("'")[1]) for d in data] == [
        ("docs/findings.md", "vip-pools")]  # the new one only
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "1 finding in 1 of 4 files (6 suppressed by the baseline; 1 baseline entry no longer "
        "found)")


def test_baseline_counts_stale_entries_only_for_the_files_checked(docs: Path) -> None:
    run("check", "--write-baseline", "b.json", "docs", cwd=docs)
    (docs / "docs" / "values.yaml").write_text("# nothing left\n", encoding="utf-8")
    one = run("check", "--baseline", "b.json", "docs/findings.md", cwd=docs)
    assert one.stderr.splitlines()[-1] == "no findings in 1 file (4 suppressed by the baseline)"
    everything = run("check", "--baseline", "b.json", "docs", cwd=docs)
    assert "2 baseline entries no longer found" in everything.stderr


@pytest.mark.parametrize(("content", "message"), [
    (None, "error: baseline missing.json: does not exist"),
    ("{not json", "error: baseline missing.json: not JSON"),
    ('{"version": 9, "findings": []}', "format version 9 is not 1"),
])
def test_missing_or_broken_baseline_is_exit_2(docs: Path, content: str | None,
                                              message: str) -> None:
    if content is not None:
        (docs / "missing.json").write_text(content, encoding="utf-8")
    result = run("check", "--baseline", "missing.json", "docs", cwd=docs)
    assert result.returncode == 2
    assert message in result.stderr and result.stdout == ""


def test_write_baseline_to_an_unwritable_place_is_exit_2(docs: Path) -> None:
    result = run("check", "--write-baseline", "no/such/dir/b.json", "docs", cwd=docs)
    assert result.returncode == 2 and "cannot write baseline" in result.stderr


@pytest.mark.parametrize("args", [
    ["--only-changed-lines", "docs"],
    ["--write-baseline", "b.json", "--baseline", "b.json", "docs"],
    ["--write-baseline", "b.json", "--changed-since", "HEAD", "docs"],
])
def test_option_combinations_that_cannot_work_are_usage_errors(docs: Path,
                                                               args: list[str]) -> None:
    result = run("check", *args, cwd=docs)
    assert result.returncode == 2 and "error:" in result.stderr
    assert not (docs / "b.json").exists()


# --- the summary and "no files to check" ---------------------------------------------------------


def test_summary_line_on_stderr_and_stdout_stays_a_document(docs: Path) -> None:
    text = run("check", "docs", cwd=docs)
    assert text.stderr == "7 findings in 3 of 4 files\n"
    for fmt in ("json", "sarif"):
        result = run("check", "--format", fmt, "docs", cwd=docs)
        json.loads(result.stdout)  # nothing but the document on stdout
        assert result.stderr == "7 findings in 3 of 4 files\n"
    clean = run("check", "docs/clean.md", cwd=docs)
    assert clean.returncode == 0 and clean.stderr == "no findings in 1 file\n"


@pytest.mark.parametrize("layout", ["empty", "txt-only", "excluded", "only-glossary-files"])
def test_no_files_to_check_is_exit_2(tmp_path: Path, layout: str) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    args = ["check", "docs"]
    if layout == "txt-only":
        (folder / "notes.txt").write_text(FINDING, encoding="utf-8")
        args = ["check", "docs", "docs/notes.txt"]
    elif layout == "excluded":
        (folder / "page.md").write_text(FINDING, encoding="utf-8")
        (tmp_path / ".harvester-glossary.yaml").write_text("exclude: ['docs/**']\n",
                                                           encoding="utf-8")
    elif layout == "only-glossary-files":
        (folder / "team.yaml").write_text("entries:\n  - term: team term\n", encoding="utf-8")
        args = ["check", "--glossary", "docs/team.yaml", "docs"]
    for fmt in ("text", "json", "sarif"):
        result = run(*args, "--format", fmt, cwd=tmp_path)
        assert result.returncode == 2, (fmt, result.stderr)
        assert "error: no files to check" in result.stderr
        if fmt != "text":
            json.loads(result.stdout)


def test_documents_named_one_by_one_and_all_excluded_pass(tmp_path: Path) -> None:
    """What a pre-commit hook passes: staged files by name. When the config excludes each of
    them, nothing was mistyped: exit 0 with a note, not the 'no files to check' error."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "page.md").write_text(FINDING, encoding="utf-8")
    (folder / "other.yaml").write_text("# " + FINDING, encoding="utf-8")
    (tmp_path / ".harvester-glossary.yaml").write_text("exclude: ['docs/**']\n", encoding="utf-8")
    result = run("check", "docs/page.md", "docs/other.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "no files to check: the config excludes every file named\n"
    assert run("check", "docs/page.md", "docs/missing.md", cwd=tmp_path).returncode == 2


def test_help_lists_exit_codes_and_defaults(tmp_path: Path) -> None:
    for args in (["check", "--help"], ["--help"]):
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 0
        out = " ".join(result.stdout.split())
        assert "exit codes:" in out
        assert "0 nothing at or above --fail-on was found" in out
        assert "1 findings at or above --fail-on" in out
        assert "2 a usage error" in out
    check = " ".join(run("check", "--help", cwd=tmp_path).stdout.split())
    assert "(default: warning)" in check and "(default: text)" in check
    for flag in ("--changed-since REF", "--only-changed-lines", "--baseline FILE",
                 "--write-baseline FILE"):
        assert flag in check


# --- SARIF and GitHub --------------------------------------------------------------------------


def test_sarif_validates_against_the_schema_with_rules_and_notifications(docs: Path) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    clean = json.loads(run("check", "--format", "sarif", "docs", cwd=docs).stdout)
    validator.validate(clean)
    (sarif_run,) = clean["runs"]
    assert sarif_run["invocations"] == [{"executionSuccessful": True,
                                         "toolExecutionNotifications": []}]
    rules = {r["id"]: r for r in sarif_run["tool"]["driver"]["rules"]}
    assert list(rules) == ["deprecated-term", "term-casing", "term-spelling", "unlinked-term"]
    for rule in rules.values():
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["helpUri"] == "https://github.com/harvester/harvester-glossary-ls#findings"
    assert rules["deprecated-term"]["defaultConfiguration"] == {"level": "warning"}

    (docs / "docs" / "binary.md").write_bytes(b"harvester-mgmt\x00")
    broken = run("check", "--format", "sarif", "docs", "docs/nope.md", cwd=docs)
    assert broken.returncode == 2
    log = json.loads(broken.stdout)
    validator.validate(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    notes = {(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              n["message"]["text"]) for n in invocation["toolExecutionNotifications"]}
    assert notes == {("docs/binary.md", "skipped: binary file (contains NUL bytes)"),
                     ("docs/nope.md", "no such file or directory")}
    assert all(n["level"] == "error" for n in invocation["toolExecutionNotifications"])
    assert len(log["runs"][0]["results"]) == 7  # the rest was still checked


def test_github_format_turns_file_errors_into_error_annotations(docs: Path) -> None:
    (docs / "docs" / "a,b.md").write_bytes(b"caf\xe9 harvester-mgmt\n")
    result = run("check", "--format", "github", "docs/findings.md", "docs/a,b.md", cwd=docs)
    lines = result.stdout.splitlines()
    assert lines[0] == ("::error file=docs/a%2Cb.md::skipped: not UTF-8 (invalid byte at "
                        "offset 3)")
    assert lines[1].startswith("::warning file=docs/findings.md,line=7,")
    assert result.returncode == 2
    assert "error: docs/a,b.md: skipped: not UTF-8" in result.stderr


# --- --changed-since and --only-changed-lines ----------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """main: five pages with a finding on line 1 (and clean.md); the branch `topic` edits a.md,
    renames c.md, deletes d.md; main moves on after the branch point; the work tree has an
    unstaged edit, a staged new page, an untracked page and an ignored one."""
    repo = Repo(tmp_path / "repo")
    for name in ("a.md", "b.md", "c.md", "d.md", "sub/s.md"):
        repo.write(name, FINDING + CLEAN * 3)
    repo.write("clean.md", CLEAN)
    repo.write(".gitignore", "ignored.md\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "topic")
    repo.write("a.md", FINDING + CLEAN + FINDING.replace("Set", "Then set") + CLEAN)
    repo.git("mv", "c.md", "renamed.md")
    repo.git("rm", "-q", "d.md")
    repo.commit("topic work")
    repo.git("checkout", "-q", "main")
    repo.write("main-only.md", FINDING)
    repo.commit("main moves on")
    repo.git("checkout", "-q", "topic")
    repo.write("b.md", FINDING + CLEAN + "Use RKE1 here.\n" + CLEAN)  # unstaged
    repo.write("staged.md", FINDING)
    repo.git("add", "staged.md")
    repo.write("untracked.md", CLEAN + FINDING)
    repo.write("ignored.md", FINDING)
    return repo


def test_changed_since_checks_committed_and_uncommitted_changes(repo: Repo) -> None:
    result = repo.check("--changed-since", "main", "--format", "json")
    assert result.returncode == 1, result.stderr
    assert sorted({path for path, _ in findings(result)}) == [
        "a.md", "b.md", "renamed.md", "staged.md", "untracked.md"]
    assert result.stderr.splitlines()[-1] == "7 findings in 5 of 5 changed files"


def test_changed_since_intersects_with_paths(repo: Repo) -> None:
    repo.write("sub/s.md", FINDING + "More RKE1.\n")
    result = repo.check("--changed-since", "main", "--format", "json", "sub", "a.md",
                        "clean.md")
    assert sorted({path for path, _ in findings(result)}) == ["a.md", "sub/s.md"]
    nothing = repo.check("--changed-since", "main", "clean.md")
    assert nothing.returncode == 0, nothing.stderr
    assert nothing.stderr == "no changed files to check\n"


def test_changed_since_from_a_subfolder(repo: Repo) -> None:
    repo.write("sub/s.md", FINDING)
    (repo.root / "sub" / "s.md").write_text(CLEAN + FINDING, encoding="utf-8")
    result = run("check", "--no-config", "--changed-since", "main", "--format", "json",
                 cwd=repo.root / "sub", home=repo.home)
    assert findings(result) == [("s.md", 2)], result.stderr


def test_only_changed_lines(repo: Repo) -> None:
    result = repo.check("--changed-since", "main", "--only-changed-lines", "--format", "json")
    assert findings(result) == [
        ("a.md", 3),  # the new line; line 1 was there before
        ("b.md", 3),  # the unstaged edit
        ("staged.md", 1),
        ("untracked.md", 2),  # untracked: every line counts as changed
    ]  # renamed.md: renamed without an edit, so no line changed
    assert result.stderr.splitlines()[-1] == (
        "4 findings in 4 of 5 changed files (3 on unchanged lines not shown)")


def test_only_changed_lines_with_a_baseline(repo: Repo) -> None:
    repo.check("--write-baseline", "b.json")
    repo.write("a.md", FINDING + CLEAN + "Try harvester-mgmt.\n")
    result = repo.check("--changed-since", "HEAD", "--only-changed-lines", "--baseline",
                        "b.json", "--format", "json")
    assert findings(result) == [("a.md", 3)], result.stderr
    assert "suppressed by the baseline" in result.stderr


def test_no_changed_files_is_exit_0(repo: Repo) -> None:
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "everything")
    result = repo.check("--changed-since", "HEAD")
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr == "no changed files to check\n"
    sarif = repo.check("--changed-since", "HEAD", "--format", "sarif")
    assert json.loads(sarif.stdout)["runs"][0]["results"] == []


def test_changed_since_errors_are_exit_2(repo: Repo, tmp_path: Path) -> None:
    unknown = repo.check("--changed-since", "no-such-branch")
    assert unknown.returncode == 2
    assert "unknown git ref 'no-such-branch'" in unknown.stderr
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "a.md").write_text(FINDING, encoding="utf-8")
    result = run("check", "--changed-since", "main", "a.md", cwd=outside, home=repo.home)
    assert result.returncode == 2
    assert "is not in a git repository" in result.stderr


AUDIT = """
import json, sys
spawned = []
def hook(event, args):
    if event == "subprocess.Popen":
        spawned.append([str(a) for a in args[1]])
    elif event in ("os.posix_spawn", "os.exec", "os.system", "os.fork", "os.spawn"):
        spawned.append([event])
sys.addaudithook(hook)
from harvester_glossary_ls.cli import main
code = main(sys.argv[1:])
print(json.dumps(spawned), file=sys.stderr)
sys.exit(code)
"""


def test_git_runs_only_for_changed_since(repo: Repo) -> None:
    def spawned(*args: str) -> list[list[str]]:
        result = subprocess.run([sys.executable, "-c", AUDIT, "check", "--no-config", *args],
                                cwd=repo.root, capture_output=True, text=True, timeout=60,
                                env=isolated_env(repo.home))
        assert result.returncode == 1, result.stderr
        calls: list[list[str]] = json.loads(result.stderr.splitlines()[-1])
        return calls

    assert spawned(".") == []
    calls = spawned("--changed-since", "main", "--only-changed-lines", ".")
    assert [call[0] for call in calls] == ["git"] * 6, calls
    commands = [next(arg for arg in call[1:] if not arg.startswith("-") and "=" not in arg)
                for call in calls]
    assert commands == ["rev-parse", "rev-parse", "merge-base", "diff", "diff", "ls-files"]
