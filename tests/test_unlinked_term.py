"""`unlinked-term`: the first prose use of a glossary term on a page that does not link it, and
its fix, the link the site would use (engine/term_links.py).

Sites are laid out in temporary folders: a Docusaurus tree (relative file link and heading id from
a nested page), a Hugo site with the Kubernetes `glossary_tooltip` shortcode, a Hugo site without
one (a link relative to the page's published URL, to the terminology page's anchor), and a plain
YAML glossary with absolute URLs. `check --fix` leaves the links alone unless `--fix-rule
unlinked-term` asks for them, and then changes no byte but the linked use.
"""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest

from harvester_glossary_ls.cli import main
from harvester_glossary_ls.engine.analysis import Analysis, analyze
from harvester_glossary_ls.engine.config import Config
from harvester_glossary_ls.engine.fixes import certain, safe_edits
from harvester_glossary_ls.engine.models import Entry, Finding, Severity
from harvester_glossary_ls.engine.project import Project
from harvester_glossary_ls.engine.rule_codes import CODES, DEFAULT_SEVERITIES, UNLINKED
from harvester_glossary_ls.engine.term_links import relative_url
from tests.glossary_testkit import FIXTURES

CONFIG_JS = """module.exports = {
  url: "https://docs.harvesterhci.io",
  presets: [["classic", { docs: { routeBasePath: "/",
    versions: { current: {label: 'v1.8 (Dev)', path: 'v1.8'} } }}]],
};
"""
GLOSSARY_PAGE = """---
title: Glossary
---

## **guest cluster**

A group of VMs running Kubernetes.

## **VM network** / **virtual machine network**

A network for VMs.
"""
ON = Config(rules=((UNLINKED, Severity.HINT),))
"""The rule on; in a Harvester docs checkout the tree's own page is the glossary."""
ON_EXTRA_ONLY = Config(rules=((UNLINKED, Severity.HINT),), default_glossary=False)
GUEST_LINK = "../../getting-started/glossary.md#guest-cluster"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def docusaurus(tmp_path: Path) -> Path:
    root = tmp_path / "harvester-docs"
    _write(root / "docusaurus.config.js", CONFIG_JS)
    _write(root / "versions.json", "[]")
    _write(root / "docs" / "getting-started" / "glossary.md", GLOSSARY_PAGE)
    return root


def _analyse(root: Path, path: Path, text: str, overrides: Config = ON,
             extra: tuple[Path, ...] = ()) -> Analysis:
    _write(path, text)
    project = Project(root, overrides=overrides, extra_glossaries=extra, use_config_file=False)
    return analyze(text, "markdown", project.context_for(path.resolve()))


def _unlinked(analysis: Analysis) -> list[tuple[str, int, str]]:
    """(text as written, offset, replacement) of each unlinked-term finding."""
    text = analysis.text
    return [(text[f.start:f.end], f.start, f.replacements[0])
            for f in analysis.findings if f.code == UNLINKED]


def _page(root: Path) -> Path:
    return root / "docs" / "advanced" / "nested" / "page.md"


# --- the rule's place among the others ----------------------------------------------------------


def test_off_by_default_and_listed_everywhere_rule_codes_are() -> None:
    assert UNLINKED in CODES and DEFAULT_SEVERITIES[UNLINKED] is None


def test_off_by_default_gives_no_finding(docusaurus: Path) -> None:
    analysis = _analyse(docusaurus, _page(docusaurus), "Create a guest cluster.\n",
                        overrides=Config())
    assert _unlinked(analysis) == []
    assert [o.entry.term for o in analysis.occurrences] == ["guest cluster"]


# --- Docusaurus ---------------------------------------------------------------------------------


def test_docusaurus_relative_link_with_anchor_from_a_nested_page(docusaurus: Path) -> None:
    text = "Create a guest cluster on a virtual machine network.\n"
    found = _unlinked(_analyse(docusaurus, _page(docusaurus), text))
    assert found == [
        ("guest cluster", 9, f"[guest cluster]({GUEST_LINK})"),
        ("virtual machine network", 28, "[virtual machine network]("
         "../../getting-started/glossary.md#vm-network--virtual-machine-network)"),
    ]


def test_a_sibling_page_links_with_dot_slash(docusaurus: Path) -> None:
    page = docusaurus / "docs" / "getting-started" / "install.md"
    found = _unlinked(_analyse(docusaurus, page, "A guest cluster.\n"))
    assert found == [("guest cluster", 2, "[guest cluster](./glossary.md#guest-cluster)")]


@pytest.mark.parametrize("link", [
    f"[guest clusters]({GUEST_LINK})",
    "[the glossary](/getting-started/glossary.md#guest-cluster)",
    "[glossary](https://docs.harvesterhci.io/v1.8/getting-started/glossary#guest-cluster)",
    "[glossary](../../getting-started/glossary#guest-cluster)",
    "[glossary][gc]\n\n[gc]: ../../getting-started/glossary.md#guest-cluster",
    '<a href="../../getting-started/glossary#guest-cluster">glossary</a>',
])
def test_a_page_that_links_the_term_anywhere_has_no_finding(docusaurus: Path, link: str) -> None:
    text = f"Create a guest cluster.\n\nSee {link}\n"
    assert _unlinked(_analyse(docusaurus, _page(docusaurus), text)) == []


def test_a_link_to_another_entry_or_page_does_not_count(docusaurus: Path) -> None:
    text = ("Create a guest cluster.\n\nSee [VMs](../../getting-started/glossary.md#vm-network) "
            "and [more](../../getting-started/glossary.md).\n")
    assert [f[0] for f in _unlinked(_analyse(docusaurus, _page(docusaurus), text))] == [
        "guest cluster"]


def test_link_text_holding_the_term_is_no_finding(docusaurus: Path) -> None:
    text = "Read [how to create a guest cluster](../create.md) first.\n"
    assert _unlinked(_analyse(docusaurus, _page(docusaurus), text)) == []


def test_only_the_first_use_per_term(docusaurus: Path) -> None:
    text = "A guest cluster runs.\n\nThe guest cluster and its guest clusters stop.\n"
    assert [(t, s) for t, s, _ in _unlinked(_analyse(docusaurus, _page(docusaurus), text))] == [
        ("guest cluster", 2)]


def test_headings_code_and_front_matter_are_skipped(docusaurus: Path) -> None:
    text = ("---\ntitle: guest cluster\n---\n\n# Guest cluster setup\n\n"
            "Run `guest cluster` tools.\n\n```\nguest cluster\n```\n\n- Scale the guest cluster.\n")
    found = _unlinked(_analyse(docusaurus, _page(docusaurus), text))
    assert found == [("guest cluster", text.index("the guest cluster") + 4,
                      f"[guest cluster]({GUEST_LINK})")]


def test_the_glossary_page_itself_has_no_finding(docusaurus: Path) -> None:
    page = docusaurus / "docs" / "getting-started" / "glossary.md"
    project = Project(docusaurus, overrides=ON, use_config_file=False)
    analysis = analyze(GLOSSARY_PAGE, "markdown", project.context_for(page.resolve()))
    assert _unlinked(analysis) == []


def test_suppression_comment_silences_it(docusaurus: Path) -> None:
    text = ("<!-- harvester-glossary-disable-next-line unlinked-term -->\n"
            "A guest cluster.\n")
    assert _unlinked(_analyse(docusaurus, _page(docusaurus), text)) == []


# --- Hugo ---------------------------------------------------------------------------------------


def _kubernetes_site(root: Path, shortcode: bool) -> Path:
    _write(root / "hugo.toml", 'baseURL = "https://kubernetes.io"\ntitle = "Kubernetes"\n')
    glossary = root / "content" / "en" / "docs" / "reference" / "glossary"
    glossary.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "hugo" / "pod.md", glossary / "pod.md")
    if shortcode:
        _write(root / "layouts" / "shortcodes" / "glossary_tooltip.html", "{{ .Get \"text\" }}\n")
    return glossary


def test_hugo_site_with_a_glossary_shortcode(tmp_path: Path) -> None:
    glossary = _kubernetes_site(tmp_path, shortcode=True)
    page = tmp_path / "content" / "en" / "docs" / "concepts" / "page.md"
    text = "Each Pod runs containers. A Pod can restart.\n"
    found = _unlinked(_analyse(tmp_path, page, text, ON_EXTRA_ONLY, (glossary,)))
    assert found == [("Pod", 5, '{{< glossary_tooltip text="Pod" term_id="pod" >}}')]


def test_hugo_page_using_the_shortcode_already_links_the_term(tmp_path: Path) -> None:
    glossary = _kubernetes_site(tmp_path, shortcode=True)
    page = tmp_path / "content" / "en" / "docs" / "concepts" / "page.md"
    text = 'A {{< glossary_tooltip text="pod" term_id="pod" >}} runs. Each Pod restarts.\n'
    assert _unlinked(_analyse(tmp_path, page, text, ON_EXTRA_ONLY, (glossary,))) == []


def test_hugo_site_without_the_shortcode_links_relative_to_the_page_url(tmp_path: Path) -> None:
    glossary = _kubernetes_site(tmp_path, shortcode=False)
    page = tmp_path / "content" / "en" / "docs" / "concepts" / "page.md"
    found = _unlinked(_analyse(tmp_path, page, "Each Pod runs.\n", ON_EXTRA_ONLY, (glossary,)))
    assert found == [("Pod", 5, "[Pod](../workloads/pods/)")]  # full_link, on the site's host


def test_hugo_terminology_page_anchor(tmp_path: Path) -> None:
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "sites" / "hugo-mini", root)
    page = root / "content" / "docs" / "2.0.0" / "guide" / "setup.md"
    found = _unlinked(_analyse(root, page, "Start the shard keeper first.\n"))
    assert found == [("shard keeper", 10, "[shard keeper](../../terminology/#shard-keeper)")]
    linked = "Start the shard keeper ([terminology](../../terminology/#shard-keeper)).\n"
    assert _unlinked(_analyse(root, page, linked)) == []


def test_relative_url() -> None:
    assert relative_url("https://a.org/docs/1/x/y/", "https://a.org/docs/1/terminology/#t") == (
        "../../terminology/#t")
    assert relative_url("https://a.org/docs/1/x/", "https://b.org/g#t") == "https://b.org/g#t"
    assert relative_url("https://a.org/docs/", "https://a.org/docs/#t") == "./#t"


# --- a plain glossary ---------------------------------------------------------------------------


def _plain(tmp_path: Path) -> Path:
    return _write(tmp_path / "glossary.yaml", """format: harvester-glossary/v1
entries:
  - term: backup target
    definition: Where backups go.
    url: https://example.com/glossary#backup-target
  - term: restore point
    definition: No URL, nowhere to link.
""")


def test_plain_glossary_links_the_absolute_url(tmp_path: Path) -> None:
    glossary = _plain(tmp_path)
    page = tmp_path / "notes" / "page.md"
    text = "Set the backup target, then a restore point.\n"
    found = _unlinked(_analyse(tmp_path, page, text, ON_EXTRA_ONLY, (glossary,)))
    assert found == [("backup target", 8,
                      "[backup target](https://example.com/glossary#backup-target)")]
    linked = text + "\n[Glossary](https://example.com/glossary/#backup-target)\n"
    assert _unlinked(_analyse(tmp_path, page, linked, ON_EXTRA_ONLY, (glossary,))) == []


# --- fixes --------------------------------------------------------------------------------------


def _finding(start: int, end: int, replacement: str) -> Finding:
    return Finding(UNLINKED, Severity.HINT, start, end, "m", Entry("guest cluster"),
                   (replacement,), True)


@pytest.mark.parametrize(("replacement", "ok"), [
    ("[guest cluster](../g.md#guest-cluster)", True),
    ("[guest cluster](https://x.org/g#guest-cluster)", True),
    ('{{< glossary_tooltip text="guest cluster" term_id="guest-cluster" >}}', True),
    ("[Guest cluster](../g.md#guest-cluster)", False),  # the text changed
    ("[guest cluster](../g.md#guest-cluster) ", False),
    ("[guest cluster](../g.md#a b)", False),
    ("[guest cluster](../g.md#a)(b)", False),
    ("[guest cluster]", False),
    ('{{< glossary_tooltip text="guest" term_id="guest-cluster" >}}', False),
])
def test_certain_accepts_exactly_the_use_made_a_link(replacement: str, ok: bool) -> None:
    from harvester_glossary_ls.engine.scan_markdown import scan_markdown

    text = "A guest cluster.\n"
    finding = _finding(2, 15, replacement)
    assert certain(finding, text, scan_markdown(text)) is ok


def test_fix_all_leaves_links_out_unless_named(docusaurus: Path) -> None:
    analysis = _analyse(docusaurus, _page(docusaurus), "A guest cluster.\n")
    assert [f.code for f in analysis.findings] == [UNLINKED]
    assert safe_edits(analysis.findings, analysis.text, analysis.scan) == []
    assert safe_edits(analysis.findings, analysis.text, analysis.scan, (UNLINKED,)) == [
        (2, 15, f"[guest cluster]({GUEST_LINK})")]


def test_check_fix_needs_fix_rule(docusaurus: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A BOM, CRLF line endings and a casing finding: `--fix` writes the casing fix and no
    link; `--fix-rule unlinked-term` (the rule otherwise off) inserts exactly the links, one per
    term, and changes no other byte (the second use stays as it is)."""
    page = _page(docusaurus)
    before = codecs.BOM_UTF8 + (
        b"# Setup\r\n\r\nCreate a guest cluster on a VM Network now.\r\n\r\n"
        b"The guest cluster runs.\r\n")
    page.parent.mkdir(parents=True)
    page.write_bytes(before)
    monkeypatch.chdir(docusaurus)
    main(["check", "--fix", "--no-config", "docs/advanced"])
    cased = before.replace(b"VM Network", b"VM network")
    assert page.read_bytes() == cased

    main(["check", "--fix-rule", "unlinked-term", "--no-config", "docs/advanced"])
    expected = cased.replace(b"a guest cluster", f"a [guest cluster]({GUEST_LINK})".encode())
    expected = expected.replace(
        b"VM network", b"[VM network](../../getting-started/glossary.md#vm-network--virtual-"
        b"machine-network)")
    assert page.read_bytes() == expected
    assert "fixed 1 file(s)" in capsys.readouterr().err


def test_fix_rule_applies_only_the_named_rules(docusaurus: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(docusaurus)
    before = "Create a guest cluster on a VM Network now.\n"
    _write(page, before)
    monkeypatch.chdir(docusaurus)
    main(["check", "--fix-rule", "unlinked-term", "--no-config", "docs/advanced"])
    after = page.read_text(encoding="utf-8")  # the casing finding is not fixed
    assert "[VM Network](" in after and "[guest cluster](" in after


def test_check_fix_with_the_rule_on_leaves_links(docusaurus: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(docusaurus)
    before = "Create a guest cluster.\n"
    _write(page, before)
    _write(docusaurus / ".harvester-glossary.yaml", "rules:\n  unlinked-term: warning\n")
    monkeypatch.chdir(docusaurus)
    assert main(["check", "--fix", "docs/advanced"]) == 1  # the warning stays
    assert page.read_text(encoding="utf-8") == before
    assert main(["check", "--fix-rule", "unlinked-term", "docs/advanced"]) == 0
    assert page.read_text(encoding="utf-8") == f"Create a [guest cluster]({GUEST_LINK}).\n"
