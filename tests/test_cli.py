"""The command line, run as users run it: the installed console script in a subprocess.

Fixture documents are copied into a temporary folder for every test that may write (`--fix`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.glossary_testkit import FIXTURES

SCRIPT = Path(sys.executable).parent / "harvester-glossary-ls"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "harvester_glossary_ls"]
CLI_FIXTURES = FIXTURES / "cli"
TEXT_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): "
                       r"(?P<severity>error|warning|information|hint) \[(?P<code>[a-z-]+)\] .+$")


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run([*COMMAND, *args], cwd=cwd, capture_output=True, text=True,
                          input=stdin, timeout=60, env=env)


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A copy of the CLI fixture documents in a fresh folder (the current directory)."""
    target = tmp_path / "docs"
    shutil.copytree(CLI_FIXTURES, target)
    return tmp_path


def test_text_format_and_exit_code(docs: Path) -> None:
    result = run("check", "docs", cwd=docs)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert all(TEXT_LINE.match(line) for line in lines), lines
    parsed = [TEXT_LINE.match(line).groupdict() for line in lines]  # type: ignore[union-attr]
    summary = [(p["path"], int(p["line"]), int(p["col"]), p["code"]) for p in parsed]
    assert summary == [
        ("docs/findings.md", 7, 9, "deprecated-term"),
        ("docs/findings.md", 8, 29, "term-casing"),
        ("docs/findings.md", 8, 60, "term-spelling"),
        ("docs/findings.md", 9, 27, "deprecated-term"),
        ("docs/info-only.md", 3, 22, "term-casing"),
        ("docs/values.yaml", 1, 39, "deprecated-term"),
        ("docs/values.yaml", 3, 7, "deprecated-term"),
    ]
    assert "'harvester-mgmt' is deprecated since v1.1: use 'mgmt'" in lines[0]
    assert result.stderr == "7 findings in 3 of 4 files\n"  # the summary, on stderr only


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["docs/clean.md"], 0),
        (["docs/findings.md"], 1),
        (["docs/info-only.md"], 0),  # information is below the default --fail-on warning
        (["--fail-on", "information", "docs/info-only.md"], 1),
        (["--fail-on", "hint", "docs/info-only.md"], 1),
        (["--fail-on", "error", "docs/findings.md"], 0),
        (["--fail-on", "never", "docs/findings.md"], 0),
        (["--fail-on", "loud", "docs/findings.md"], 2),
        (["--format", "xml", "docs/clean.md"], 2),
        (["--glossary-version", "latest", "docs/clean.md"], 2),
        (["--glossary", "no-such-glossary.yaml", "docs/clean.md"], 2),
        (["docs/clean.md", "docs/missing.md"], 2),
    ],
)
def test_exit_codes(docs: Path, args: list[str], code: int) -> None:
    result = run("check", *args, cwd=docs)
    assert result.returncode == code, result.stdout + result.stderr


def test_unknown_command_is_a_usage_error(docs: Path) -> None:
    assert run("lint", cwd=docs).returncode == 2


def test_json_format(docs: Path) -> None:
    result = run("check", "--format", "json", "docs/findings.md", cwd=docs)
    data = json.loads(result.stdout)
    assert [d["code"] for d in data] == ["deprecated-term", "term-casing", "term-spelling",
                                         "deprecated-term"]
    first = data[0]
    assert first == {
        "path": "docs/findings.md", "line": 7, "column": 9, "endLine": 7, "endColumn": 23,
        "severity": "warning", "code": "deprecated-term",
        "message": "'harvester-mgmt' is deprecated since v1.1: use 'mgmt'", "term": "mgmt",
        "replacements": ["mgmt"], "fixable": True,
    }
    assert data[3]["replacements"] == ["RKE2", "K3s"] and data[3]["fixable"] is False
    assert json.loads(run("check", "--format", "json", "docs/clean.md", cwd=docs).stdout) == []


SARIF_LEVELS = {"none", "note", "warning", "error"}


def _validate_region(region: dict[str, int]) -> None:
    assert set(region) <= {"startLine", "startColumn", "endLine", "endColumn"}
    assert region["startLine"] >= 1 and region["startColumn"] >= 1
    assert (region["endLine"], region["endColumn"]) >= (region["startLine"],
                                                         region["startColumn"])


def test_sarif_format(docs: Path) -> None:
    result = run("check", "--format", "sarif", "docs", cwd=docs)
    assert result.returncode == 1
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    (sarif_run,) = sarif["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "harvester-glossary-ls" and driver["version"]
    rule_ids = [r["id"] for r in driver["rules"]]
    assert rule_ids == ["deprecated-term", "term-casing", "term-spelling", "unlinked-term"]
    assert all(r["shortDescription"]["text"] for r in driver["rules"])
    off = [r["id"] for r in driver["rules"] if r["defaultConfiguration"].get("enabled") is False]
    assert off == ["unlinked-term"]  # off by default, said so in SARIF's own terms
    results = sarif_run["results"]
    assert len(results) == 7
    for item in results:
        assert item["ruleId"] in rule_ids
        assert item["level"] in SARIF_LEVELS
        assert isinstance(item["message"]["text"], str) and item["message"]["text"]
        (location,) = item["locations"]
        physical = location["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert not uri.startswith("/") and "\\" not in uri and (docs / uri).is_file()
        _validate_region(physical["region"])
        for fix in item.get("fixes", []):
            assert fix["description"]["text"]
            (change,) = fix["artifactChanges"]
            assert change["artifactLocation"]["uri"] == uri
            (replacement,) = change["replacements"]
            _validate_region(replacement["deletedRegion"])
            assert isinstance(replacement["insertedContent"]["text"], str)
    levels = {(r["ruleId"], r["level"]) for r in results}
    assert levels == {("deprecated-term", "warning"), ("term-casing", "note"),
                      ("term-spelling", "note")}
    rke1 = next(r for r in results if "RKE1" in r["message"]["text"])
    assert [f["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"]
            for f in rke1["fixes"]] == ["RKE2", "K3s"]


def test_github_format(docs: Path) -> None:
    result = run("check", "--format", "github", "docs/findings.md", cwd=docs)
    lines = result.stdout.splitlines()
    pattern = re.compile(r"^::(warning|notice|error) file=docs/findings\.md,line=\d+,col=\d+,"
                         r"endLine=\d+,endColumn=\d+,title=[a-z-]+::.+$")
    assert all(pattern.match(line) for line in lines), lines
    assert lines[0] == ("::warning file=docs/findings.md,line=7,col=9,endLine=7,endColumn=23,"
                        "title=deprecated-term::'harvester-mgmt' is deprecated since v1.1: "
                        "use 'mgmt'")
    assert lines[1].startswith("::notice ")


def test_fix_applies_only_safe_fixes_and_never_touches_code(docs: Path) -> None:
    path = docs / "docs" / "findings.md"
    path.chmod(0o640)
    before = path.read_text(encoding="utf-8")
    result = run("check", "--fix", "docs/findings.md", cwd=docs)
    after = path.read_text(encoding="utf-8")
    assert "fixed 1 file(s)" in result.stderr
    assert after == (before
                     .replace("Set the harvester-mgmt interface", "Set the mgmt interface")
                     .replace("the Harvester Cluster and", "the Harvester cluster and"))
    assert "`harvester-mgmt`" in after and "harvester-mgmt: eth0" in after  # code untouched
    assert "guest clsuter" in after and "RKE1" in after  # not safe: left for a human
    # what is left is reported, and still fails on the RKE1 warning
    assert [line.split(" [")[1].split("]")[0] for line in result.stdout.splitlines()] == [
        "term-spelling", "deprecated-term"]
    assert result.returncode == 1
    assert path.stat().st_mode & 0o777 == 0o640  # mode kept
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "clean.md", "findings.md", "info-only.md", "values.yaml"]  # no temporary files left


def test_fix_is_idempotent_and_leaves_clean_files_alone(docs: Path) -> None:
    clean = docs / "docs" / "clean.md"
    stamp = clean.stat().st_mtime_ns
    run("check", "--fix", "docs", cwd=docs)
    second = run("check", "--fix", "docs", cwd=docs)
    assert "fixed 0 file(s)" in second.stderr
    assert clean.stat().st_mtime_ns == stamp


def test_fix_in_yaml(docs: Path) -> None:
    path = docs / "docs" / "values.yaml"
    run("check", "--fix", "docs/values.yaml", cwd=docs)
    text = path.read_text(encoding="utf-8")
    assert "# Values for the guest cluster chart; mgmt is the uplink" in text
    assert "kind: NodeNetwork" in text  # two resources replace it: not a safe fix


def test_unreadable_files_are_reported_and_the_rest_is_checked(docs: Path) -> None:
    folder = docs / "docs"
    latin1 = "Set the harvester-mgmt caf\xe9 interface.\n".encode("latin-1")
    (folder / "latin1.md").write_bytes(latin1)
    (folder / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00harvester-mgmt")
    result = run("check", "--fix", "docs", "docs/nope.md", cwd=docs)
    assert result.returncode == 2
    errors = result.stderr.splitlines()
    assert "error: docs/binary.md: skipped: binary file (contains NUL bytes)" in errors
    assert "error: docs/latin1.md: skipped: not UTF-8 (invalid byte at offset 26)" in errors
    assert "error: docs/nope.md: no such file or directory" in errors
    # every other file was still checked (and fixed)
    assert "docs/findings.md:" in result.stdout and "docs/values.yaml:" in result.stdout
    assert (folder / "latin1.md").read_bytes() == latin1  # never rewritten
    assert "Set the mgmt interface" in (folder / "findings.md").read_text(encoding="utf-8")


def test_folders_are_walked_for_the_documented_extensions_only(tmp_path: Path) -> None:
    """The README lists .md, .markdown, .yaml and .yml: an .mdx page in a folder is not checked
    (the walk used to take every extension the engine can read)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    line = "Set the harvester-mgmt interface on each host today.\n"
    for name in ("a.mdx", "b.txt", "c.md", "d.markdown", "e.MD", "f.yml"):
        (folder / name).write_text(line if name != "f.yml" else f"# {line}", encoding="utf-8")
    result = run("check", "--format", "json", "docs", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    checked = [item["path"] for item in json.loads(result.stdout)]
    assert checked == ["docs/c.md", "docs/d.markdown", "docs/e.MD", "docs/f.yml"]


def test_walk_skips_tool_and_hidden_folders_and_symlinked_folders(tmp_path: Path) -> None:
    line = "Set the harvester-mgmt interface on each host today.\n"
    for folder in ("docs", "docs/node_modules/x", "docs/.cache", "docs/.venv", "elsewhere"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "page.md").write_text(line, encoding="utf-8")
    (tmp_path / "docs" / "linked").symlink_to(tmp_path / "elsewhere")
    result = run("check", "--format", "json", "docs", cwd=tmp_path)
    assert [item["path"] for item in json.loads(result.stdout)] == ["docs/page.md"]


def test_fix_does_not_follow_a_symlink_out_of_the_tree(docs: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("Set the harvester-mgmt interface on each host today.\n",
                       encoding="utf-8")
    original = outside.read_text(encoding="utf-8")
    link = docs / "docs" / "linked.md"
    link.symlink_to(outside)
    work = docs / "docs"  # run from docs/ so that outside.md is out of the tree
    result = run("check", "--fix", "linked.md", cwd=work)
    assert "linked.md:1:9: warning [deprecated-term]" in result.stdout
    assert outside.read_text(encoding="utf-8") == original
    assert link.is_symlink()


def test_fix_follows_a_symlink_inside_the_tree(docs: Path) -> None:
    target = docs / "docs" / "findings.md"
    link = docs / "docs" / "alias.md"
    link.symlink_to(target)
    run("check", "--fix", "docs/alias.md", cwd=docs)
    assert link.is_symlink()
    assert "Set the mgmt interface" in target.read_text(encoding="utf-8")


def test_glossary_file_option(docs: Path) -> None:
    glossary = FIXTURES / "glossaries" / "project.yaml"
    page = docs / "docs" / "backup.md"
    page.write_text("Configure the Backup Server before the first backup of the VMs.\n",
                    encoding="utf-8")
    assert run("check", "docs/backup.md", cwd=docs).stdout == ""
    result = run("check", "--glossary", str(glossary), "docs/backup.md", cwd=docs)
    assert result.returncode == 1
    assert "'Backup Server' is deprecated since v1.2: use 'backup target'" in result.stdout


def test_glossary_version_option(docs: Path) -> None:
    args = ("check", "--format", "json", "docs/findings.md")
    codes = [d["code"] for d in json.loads(run(*args, cwd=docs).stdout)]
    assert codes.count("deprecated-term") == 2
    old = json.loads(run(*args, "--glossary-version", "v1.0", cwd=docs).stdout)
    assert [d["code"] for d in old] == ["term-casing", "term-spelling"]  # no v1.1+ deprecations
    mid = json.loads(run(*args, "--glossary-version", "v1.5", cwd=docs).stdout)
    assert [d["message"].split("'")[1] for d in mid if d["code"] == "deprecated-term"] == [
        "harvester-mgmt"]  # RKE1 is deprecated from v1.6


def test_config_file_is_honoured_and_no_config_ignores_it(docs: Path) -> None:
    (docs / ".harvester-glossary.yaml").write_text(
        "rules:\n  deprecated-term: off\nexclude: ['docs/values.yaml']\n", encoding="utf-8")
    result = run("check", "docs", cwd=docs)
    assert "deprecated-term" not in result.stdout and "values.yaml" not in result.stdout
    assert result.returncode == 0
    assert "deprecated-term" in run("check", "--no-config", "docs", cwd=docs).stdout


def test_broken_config_is_reported_with_exit_2(docs: Path) -> None:
    (docs / ".harvester-glossary.yaml").write_text("rules: [\n", encoding="utf-8")
    result = run("check", "docs/clean.md", cwd=docs)
    assert result.returncode == 2
    assert ".harvester-glossary.yaml:2:1: invalid YAML" in result.stderr


def test_define(docs: Path) -> None:
    result = run("define", "guest", "Kubernetes", "cluster", cwd=docs)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "guest cluster"
    assert lines[1] == "  also: guest Kubernetes cluster"
    assert "Group of integrated" in result.stdout
    assert ("  glossary: https://docs.harvesterhci.io/v1.7/getting-started/glossary"
            "#guest-cluster--guest-kubernetes-cluster") in lines
    links = [line for line in lines if line.startswith("  link: ")]
    assert links and all("https://docs.harvesterhci.io/v1.7/" in line for line in links)


def test_define_a_deprecated_form(docs: Path) -> None:
    result = run("define", "harvester-mgmt", cwd=docs)
    assert result.returncode == 0
    assert result.stdout.startswith("'harvester-mgmt' is deprecated: use mgmt\n")
    assert "  deprecated since v1.1: harvester-mgmt -> mgmt" in result.stdout


def test_define_did_you_mean(docs: Path) -> None:
    result = run("define", "gest", "clustr", cwd=docs)
    assert result.returncode == 1
    assert "'gest clustr' is not in the glossary." in result.stderr
    assert "Did you mean: guest cluster" in result.stderr
    nothing = run("define", "zzzzqqq", cwd=docs)
    assert nothing.returncode == 1 and "Did you mean" not in nothing.stderr


def test_terms(docs: Path) -> None:
    text = run("terms", cwd=docs)
    assert "guest cluster (also: guest Kubernetes cluster)" in text.stdout.splitlines()
    result = run("terms", "--format", "json", cwd=docs)
    data = json.loads(result.stdout)
    page_terms = [d for d in data if d["url"].startswith(
        "https://docs.harvesterhci.io/v1.7/getting-started/glossary#")]
    assert len(page_terms) == 15
    assert sum(1 + len(d["aliases"]) for d in page_terms) == 17
    mgmt = next(d for d in data if d["term"] == "mgmt")
    assert mgmt["deprecated"] == [{"form": "harvester-mgmt", "use": ["mgmt"], "since": "v1.1"}]
    live = next(d for d in data if d["term"] == "live migration")
    assert all(link.startswith("https://") for link in live["links"])
    assert {"term", "aliases", "definition", "glossary", "url", "links", "deprecated"} == set(
        data[0])


def test_terms_with_glossary_version_in_a_docs_tree(shared: Path, tmp_path: Path) -> None:
    """`--glossary-version` in a docs checkout picks that tree's page (the corpus has v1.6)."""
    corpus = shared / "corpus" / "harvester-docs"
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is absent")
    result = run("terms", "--format", "json", "--glossary-version", "v1.6", cwd=corpus)
    data = json.loads(result.stdout)
    assert len([d for d in data if "/v1.6/getting-started/glossary#" in d["url"]]) == 6


@pytest.mark.parametrize("args", [["check", "docs/findings.md"], ["define", "mgmt"], ["terms"]])
def test_cli_never_imports_pygls_or_lsprotocol(docs: Path, args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "harvester_glossary_ls", *args],
        cwd=docs, capture_output=True, text=True, timeout=60)
    imported = {line.split("|")[-1].strip().split(".")[0]
                for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "harvester_glossary_ls" in imported
    assert "pygls" not in imported and "lsprotocol" not in imported
    assert "harvester_glossary_ls.lsp" not in result.stderr


def test_sys_modules_after_check(docs: Path) -> None:
    code = ("import sys\nfrom harvester_glossary_ls.cli import main\n"
            "main(['check', 'docs'])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pygls', 'lsprotocol', 'cattrs') or m.startswith('harvester_glossary_ls.lsp')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=docs, capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[]"


# --- issue 9, item 9: one-line messages, escaped GitHub commands, glossaries are no documents ---

WRAPPED = ("We run the workloads on the Harvester\nCluster and keep the guest\nclsuter up.\n"
           "Open Advanced >\nNetworks first.\n")


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_term_wrapped_over_a_line_break_gives_a_one_line_message(
        tmp_path: Path, fmt: str) -> None:
    (tmp_path / "wrapped.md").write_text(WRAPPED, encoding="utf-8")
    result = run("check", "--no-config", "--format", fmt, "wrapped.md", cwd=tmp_path)
    data = json.loads(run("check", "--no-config", "--format", "json", "wrapped.md",
                          cwd=tmp_path).stdout)
    assert sorted(d["code"] for d in data) == ["deprecated-term", "term-casing", "term-spelling"]
    assert all("\n" not in d["message"] for d in data)
    assert len(result.stdout.splitlines()) == len(data)  # one finding per line
    messages = {d["code"]: d["message"] for d in data}
    assert "(found 'Harvester Cluster')" in messages["term-casing"]
    assert "(found 'guest clsuter')" in messages["term-spelling"]
    assert messages["deprecated-term"].startswith("'Advanced > Networks' is deprecated")


def test_github_format_escapes_file_names_and_messages(tmp_path: Path) -> None:
    name = "a,b:c%d.md"
    (tmp_path / name).write_text("Set harvester-mgmt here.\n", encoding="utf-8")
    result = run("check", "--no-config", "--format", "github", name, cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "::warning file=a%2Cb%3Ac%25d.md,line=1,col=5,endLine=1,endColumn=19,"
        "title=deprecated-term::'harvester-mgmt' is deprecated since v1.1: use 'mgmt'"]


def test_github_escaping_rules() -> None:
    from harvester_glossary_ls.report_formats import github_data, github_property

    assert github_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d"
    assert github_property("50% a\r\nb: c, d") == "50%25 a%0D%0Ab%3A c%2C d"


def test_files_loaded_as_glossaries_are_not_checked_as_documents(tmp_path: Path) -> None:
    glossary = ("entries:\n  - term: team term\n    definition: Not harvester-mgmt, the "
                "Harvester Cluster.\n")
    (tmp_path / "glossaries").mkdir()
    (tmp_path / "glossaries" / "team.yaml").write_text(glossary, encoding="utf-8")
    (tmp_path / "extra.yaml").write_text(glossary.replace("team term", "extra term"),
                                         encoding="utf-8")
    (tmp_path / ".harvester-glossary.yaml").write_text("glossaries: [glossaries/team.yaml]\n",
                                                       encoding="utf-8")
    (tmp_path / "page.md").write_text("Set harvester-mgmt for the team term.\n",
                                      encoding="utf-8")
    result = run("check", "--format", "json", "--glossary", "extra.yaml", ".", cwd=tmp_path)
    assert [d["path"] for d in json.loads(result.stdout)] == ["page.md"], result.stderr
    named = run("check", "--format", "json", "--glossary", "./extra.yaml", "extra.yaml",
                "glossaries/team.yaml", cwd=tmp_path)
    assert json.loads(named.stdout) == []
    unconfigured = run("check", "--no-config", "--format", "json", ".", cwd=tmp_path)
    assert {d["path"] for d in json.loads(unconfigured.stdout)} == {
        "page.md", "extra.yaml", "glossaries/team.yaml"}
