"""Glossary sources of any shape, their display names and casing, and turning Harvester's off.

Fixtures in tests/fixtures/glossaries/sources: a heading-per-term page ("Terminology", written as
Longhorn's is), a Kubernetes-style folder of term pages with "X (Y)" titles and a case-only `aka`,
a YAML glossary with a `name:`, and an ordinary docs page that is no glossary at all.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harvester_glossary_ls import cli
from harvester_glossary_ls.engine.config import (
    Config,
    GlossarySource,
    config_from_mapping,
    parse_config,
)
from harvester_glossary_ls.engine.loader import (
    HARVESTER_NAME,
    harvester_glossary,
    load_source,
    merge,
)
from harvester_glossary_ls.engine.models import Entry, Link, ParseResult, Problem
from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.engine.render import hover_markdown, terminal_text

SOURCES = Path(__file__).resolve().parent / "fixtures" / "glossaries" / "sources"
K8S = "https://kubernetes.io"


def _shape(entry: Entry) -> tuple[str, tuple[str, ...], str, tuple[str, ...], str]:
    return entry.term, entry.aliases, entry.casing, entry.display_names, entry.glossary


# --- shapes ---------------------------------------------------------------------------------------


def test_heading_page_gives_display_titles_alternatives_and_abbreviations() -> None:
    result = load_source(SOURCES / "terminology.md")
    assert result.problems == ()
    assert result.name == "Terminology"
    assert [_shape(e) for e in result.entries] == [
        ("Attach", ("Reattach",), "asserted", ("Attach", "Reattach"), "Terminology"),
        ("Backup Target", (), "asserted", ("Backup Target",), "Terminology"),
        ("Disaster Recovery Volumes", ("DR volume",), "asserted",
         ("Disaster Recovery Volumes", "DR volume"), "Terminology"),
        ("Volumes", (), "asserted", ("Volumes",), "Terminology"),  # "(Kubernetes Concept)": no name
    ]
    backup = result.entries[1]
    # No published URL is known for a page named in the config: links are listed as written.
    assert backup.links == (
        Link("backups", "../backups", "../backups"),
        Link("the S3 docs", "https://aws.amazon.com/s3/", "https://aws.amazon.com/s3/"),
    )
    assert backup.url == ""


def test_a_page_in_no_shape_gives_one_problem_and_no_term() -> None:
    result = load_source(SOURCES / "install.md")
    assert result.entries == ()
    assert result.problems == (Problem(str(SOURCES / "install.md"), "no term headings found"),)


@pytest.mark.parametrize("text", [
    "---\ntitle: Glossary\n---\nThe terms we use.\n",  # a glossary's title is never a term
    "---\ntitle: Upgrade\n---\n## Before you start\n\nBack up.\n\n## Steps\n\nRun it.\n",
    "Just some text.\n",
])
def test_pages_that_are_no_glossary(tmp_path: Path, text: str) -> None:
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    result = load_source(path)
    assert (result.entries, [p.message for p in result.problems]) == (
        (), ["no term headings found"])


def test_a_single_term_page_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "widget.md"
    path.write_text("---\ntitle: Widget\n---\nA small part.\n", encoding="utf-8")
    result = load_source(path)
    assert result.problems == ()
    assert [_shape(e) for e in result.entries] == [
        ("Widget", (), "asserted", ("Widget",), "Widget")]


def test_hugo_titles_x_y_and_case_only_aka() -> None:
    result = load_source(SOURCES / "k8s-terms")
    assert result.problems == ()
    assert result.name == "Kubernetes glossary"  # the title of its _index.md
    name = "Kubernetes glossary"
    assert [_shape(e) for e in result.entries] == [
        ("cgroup", ("control group",), "asserted", ("cgroup", "control group"), name),
        # `aka: [CRI]` repeats what the title already gives: one alias, no warning
        ("Container Runtime Interface", ("CRI",), "asserted",
         ("Container Runtime Interface", "CRI"), name),
        # `aka: kubectl` differs from the title only in case: kept, and not a display name
        ("Kubectl", ("kubectl", "kc"), "asserted", ("Kubectl",), name),
    ]
    assert result.entries[1].url == f"{K8S}/docs/concepts/architecture/cri"


def test_a_single_hugo_page_is_named_after_its_folder() -> None:
    result = load_source(SOURCES / "k8s-terms" / "cri.md")
    assert [_shape(e) for e in result.entries] == [
        ("Container Runtime Interface", ("CRI",), "asserted",
         ("Container Runtime Interface", "CRI"), "Kubernetes glossary")]


def test_folder_without_index_is_named_after_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "team-terms"
    folder.mkdir()
    shutil.copy(SOURCES / "k8s-terms" / "kubectl.md", folder)
    assert load_source(folder).entries[0].glossary == "team-terms"


def test_yaml_glossary_name_and_strict_default() -> None:
    result = load_source(SOURCES / "team.yaml")
    assert result.problems == ()
    assert [_shape(e) for e in result.entries] == [
        ("Backup Store", (), "strict", (), "Team glossary"),
        ("kubectl", (), "ignore", (), "Team glossary"),
    ]


def test_docusaurus_page_is_strict_and_named_by_its_title(tmp_path: Path) -> None:
    path = tmp_path / "glossary.md"
    path.write_text('---\ntitle: "Project Glossary"\n---\n## **Widget** / **gadget**\n\nA part.\n',
                    encoding="utf-8")
    assert [_shape(e) for e in load_source(path).entries] == [
        ("Widget", ("gadget",), "strict", (), "Project Glossary")]


def test_shipped_glossary_is_named_harvester() -> None:
    glossary, problems = harvester_glossary()
    assert problems == []
    assert {e.glossary for e in glossary.entries} == {HARVESTER_NAME}
    assert {e.casing for e in glossary.entries} == {"strict", "ignore"}


# --- name and casing overrides --------------------------------------------------------------------


def test_name_and_casing_override_every_entry_of_a_page() -> None:
    result = load_source(SOURCES / "terminology.md", name="Longhorn terms", casing="strict")
    assert result.name == "Longhorn terms"
    assert {(e.casing, e.glossary) for e in result.entries} == {("strict", "Longhorn terms")}
    assert result.entries[0].display_names == ("Attach", "Reattach")  # still display names


def test_casing_override_of_a_yaml_glossary_leaves_an_entrys_own_casing() -> None:
    result = load_source(SOURCES / "team.yaml", casing="asserted")
    assert [(e.term, e.casing) for e in result.entries] == [
        ("Backup Store", "asserted"), ("kubectl", "ignore")]


def test_merge_keeps_the_first_casing_unless_a_later_source_ignores() -> None:
    first = ParseResult(entries=(Entry("Backup Target", casing="asserted",
                                       display_names=("Backup Target",), glossary="A"),))
    second = ParseResult(entries=(Entry("backup target", aliases=("BT",), casing="strict",
                                        display_names=("backup target", "BT"), glossary="B"),))
    ignore = ParseResult(entries=(Entry("Backup Target", casing="ignore"),))
    [merged] = merge([first, second]).entries
    assert _shape(merged) == ("Backup Target", ("BT",), "asserted", ("Backup Target", "BT"), "A")
    assert merge([first, second, ignore]).entries[0].casing == "ignore"
    assert merge([ignore]).entries == ()  # `casing: ignore` alone modifies, never defines


# --- configuration --------------------------------------------------------------------------------


def test_config_glossaries_as_paths_or_mappings() -> None:
    text = ("defaultGlossary: false\n"
            "glossaries:\n"
            "  - team.yaml\n"
            "  - {path: terms/, name: Longhorn terms, casing: asserted}\n")
    config, problems = parse_config(text, Path("/repo/.harvester-glossary.yaml"))
    assert problems == []
    assert config == Config(default_glossary=False, glossaries=(
        GlossarySource(Path("/repo/team.yaml")),
        GlossarySource(Path("/repo/terms"), "Longhorn terms", "asserted")))


def test_config_glossary_mapping_problems() -> None:
    text = ("defaultGlossary: no-thanks\n"
            "glossaries:\n"
            "  - {path: a.yaml, casing: loose, colour: red}\n"
            "  - {name: nameless}\n"
            "  - 42\n")
    config, problems = parse_config(text, Path("/repo/.harvester-glossary.yaml"))
    assert [(p.line, p.message) for p in problems] == [
        (1, "'glossaries' item: unknown key 'colour' (known: path, name, casing)"),
        (1, "'glossaries' item: 'casing' must be strict, asserted or ignore, not 'loose'"),
        (1, "'glossaries' item needs 'path' (a file or folder)"),
        (1, "'glossaries' items must be paths or mappings with 'path'"),
        (0, "'defaultGlossary' must be true or false, not 'no-thanks'"),
    ]
    assert config is not None and config.default_glossary is None
    assert config.glossaries is None  # not valid as a whole: the last good value stays


def test_editor_settings_take_the_same_keys() -> None:
    config, problems = config_from_mapping(
        {"defaultGlossary": False, "glossaries": [{"path": "t.md", "name": "T"}]}, None)
    assert problems == []
    assert config == Config(default_glossary=False,
                            glossaries=(GlossarySource(Path("t.md"), "T"),))


def _project(root: Path, config: str) -> Project:
    (root / ".harvester-glossary.yaml").write_text(config, encoding="utf-8")
    return Project(root)


def test_default_glossary_off_leaves_only_configured_ones(tmp_path: Path) -> None:
    shutil.copy(SOURCES / "terminology.md", tmp_path)
    project = _project(tmp_path, "defaultGlossary: false\nglossaries:\n  - {path: terminology.md,"
                                 " name: Longhorn terms, casing: strict}\n")
    assert project.problems == []
    glossary = project.default_glossary().glossary
    assert [(e.term, e.casing, e.glossary) for e in glossary.entries] == [
        ("Attach", "strict", "Longhorn terms"),
        ("Backup Target", "strict", "Longhorn terms"),
        ("Disaster Recovery Volumes", "strict", "Longhorn terms"),
        ("Volumes", "strict", "Longhorn terms"),
    ]
    assert glossary.yaml_rules == ()  # the overlay's rules are Harvester's too
    on = _project(tmp_path, "glossaries: [terminology.md]\n").default_glossary().glossary
    assert on.entry("guest cluster") is not None and on.entry("Backup Target") is not None
    assert on.entry("Backup Target").glossary == "Terminology"  # type: ignore[union-attr]


def test_default_glossary_off_also_drops_a_harvester_docs_trees_page(tmp_path: Path) -> None:
    (tmp_path / "docusaurus.config.js").write_text(
        'module.exports = {url: "https://docs.harvesterhci.io", presets: [["classic", {docs: {'
        'routeBasePath: "/", versions: {current: {label: "v1.8 (Dev)", path: "v1.8"}}}}]]};\n',
        encoding="utf-8")
    (tmp_path / "versions.json").write_text('["v1.7"]', encoding="utf-8")
    page = tmp_path / "docs" / "getting-started" / "glossary.md"
    page.parent.mkdir(parents=True)
    page.write_text("## **witness node**\n\nA node that only votes.\n", encoding="utf-8")
    doc = tmp_path / "docs" / "topic.md"
    doc.write_text("A witness node.\n", encoding="utf-8")
    on = Project(tmp_path, use_config_file=False).compiled_for(doc)[0].glossary
    assert on.entry("witness node") is not None
    assert on.entry("witness node").glossary == HARVESTER_NAME  # type: ignore[union-attr]
    off = Project(tmp_path, overrides=Config(default_glossary=False),
                  use_config_file=False).compiled_for(doc)[0].glossary
    assert off.entries == ()


# --- what users see -------------------------------------------------------------------------------


def test_hover_names_the_entrys_glossary() -> None:
    cri = load_source(SOURCES / "k8s-terms").entries[1]
    assert hover_markdown(cri).endswith(
        f"\n\n[Open in Kubernetes glossary]({K8S}/docs/concepts/architecture/cri)")
    shipped = harvester_glossary()[0].entry("mgmt")
    assert shipped is not None
    assert hover_markdown(shipped).endswith(
        "[Open in Harvester glossary](https://docs.harvesterhci.io/v1.7/getting-started/"
        "glossary#mgmt)")
    backup = load_source(SOURCES / "terminology.md").entries[1]  # no URL: named all the same
    assert hover_markdown(backup).endswith("\n\nFrom Terminology.")
    assert "  from: Terminology" in terminal_text(backup).splitlines()


def _cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cwd: Path,
         *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_with_no_glossary_at_all_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "page.md").write_text("Use harvester-mgmt here.\n", encoding="utf-8")
    code, out, err = _cli(monkeypatch, capsys, tmp_path, "check", "--no-default-glossary",
                          "page.md")
    assert (code, out) == (2, "")
    assert err == ("error: no glossary to check against (the default glossary is off and no "
                   "other glossary is configured)\n")


def test_cli_no_default_glossary_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "page.md").write_text("Use harvester-mgmt on the Backup Target.\n",
                                      encoding="utf-8")
    terms = str(SOURCES / "terminology.md")
    code, out, err = _cli(monkeypatch, capsys, tmp_path, "check", "page.md")
    assert code == 1 and "[deprecated-term]" in out  # Harvester's overlay applies by default
    code, out, err = _cli(monkeypatch, capsys, tmp_path, "check", "--no-default-glossary",
                          "--glossary", terms, "page.md")
    assert (code, out, err) == (0, "", "no findings in 1 file\n")  # the summary line
    code, out, err = _cli(monkeypatch, capsys, tmp_path, "terms", "--no-default-glossary",
                          "--glossary", terms)
    assert out.splitlines() == ["# Terminology", "Attach (also: Reattach)", "Backup Target",
                                "Disaster Recovery Volumes (also: DR volume)", "Volumes"]


def test_cli_terms_and_define_name_glossaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".harvester-glossary.yaml").write_text(
        f"glossaries:\n  - {{path: {SOURCES / 'k8s-terms'}, name: K8s terms}}\n", encoding="utf-8")
    code, out, _ = _cli(monkeypatch, capsys, tmp_path, "terms")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "# Harvester glossary"
    assert lines[lines.index("# K8s terms"):] == [
        "# K8s terms", "cgroup (also: control group)", "Container Runtime Interface (also: CRI)",
        "Kubectl (also: kubectl, kc)"]
    code, out, _ = _cli(monkeypatch, capsys, tmp_path, "terms", "--format", "json")
    by_term = {d["term"]: d["glossary"] for d in json.loads(out)}
    assert (by_term["mgmt"], by_term["cgroup"]) == ("Harvester glossary", "K8s terms")
    code, out, _ = _cli(monkeypatch, capsys, tmp_path, "define", "CRI")
    assert code == 0
    assert out.splitlines()[-2:] == [
        "  from: K8s terms", f"  glossary: {K8S}/docs/concepts/architecture/cri"]
    code, out, _ = _cli(monkeypatch, capsys, tmp_path, "define", "mgmt")
    assert "  from: Harvester glossary" in out.splitlines()
