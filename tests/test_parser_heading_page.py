"""Glossary pages with one heading per term (Longhorn's terminology page): fixtures here, the real
pages in ../shared (skipped when it is absent)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester_glossary_ls.engine.models import Link, Severity, SourceLocation
from harvester_glossary_ls.engine.parsers.heading_page import (
    NO_TERM_HEADINGS,
    looks_like_heading_glossary,
    outline,
    parse_heading_page,
)
from harvester_glossary_ls.engine.parsers.names import plain_heading_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "glossaries" / "heading-pages"
# ../shared sits beside the repository in the project workspace, not in every checkout: the tests
# that read it skip with a reason when it is absent (as conftest.py's `shared` fixture does).
SHARED = Path(__file__).resolve().parents[2] / "shared"
NO_SHARED = f"{SHARED} is absent (the Longhorn corpus and glossary samples live there)"
LONGHORN_DOCS = SHARED / "corpus" / "longhorn-website" / "content" / "docs"
TERMINOLOGY_PAGES = sorted(LONGHORN_DOCS.glob("*/terminology.md")) if LONGHORN_DOCS.is_dir() else []


def shared_params(paths: list[Path]) -> list[object]:
    """One case per shared file, or one skipped case saying why when ../shared is absent."""
    if not paths:
        return [pytest.param(None, marks=pytest.mark.skip(reason=NO_SHARED), id="no-shared")]
    return [pytest.param(p, id=p.parent.name) for p in paths]
PAGE_URL = "https://example.com/docs/terms/"


def _fixture(name: str) -> tuple[str, str]:
    path = FIXTURES / name
    return path.read_text(encoding="utf-8"), str(path)


def _line_of(text: str, heading: str) -> int:
    return text.split("\n").index(heading)


# --- the full fixture ----------------------------------------------------------------------------


def test_storage_terms_entries_names_and_anchors() -> None:
    text, path = _fixture("storage-terms.md")
    page = parse_heading_page(text, path, page_url=PAGE_URL)
    entries = page.result.entries
    assert [e.names for e in entries] == [
        ("Attach", "Reattach"),
        ("Block Device",),
        ("Container Storage Interface", "CSI"),
        ("RBAC", "Role-Based Access Control"),
        ("SMB", "CIFS"),
        ("TCP/IP",),
        ("Volumes",),
        ("Volumes Again",),
        ("Snapshot",),
        ("Thin Provisioning",),
    ]
    assert page.anchors == (
        "attachreattach", "block-device", "container-storage-interface-csi",
        "rbac-role-based-access-control", "smb--cifs", "tcpip", "volumes-kubernetes-concept",
        "volumes-custom", "snapshot", "thin-provisioning",
    )
    assert [e.url for e in entries] == [PAGE_URL + "#" + a for a in page.anchors]
    assert page.title == "Storage Terms"
    assert page.level == 3
    assert page.qualifiers == (("Volumes", "Kubernetes Concept"),)
    assert page.display_titles == frozenset(n for e in entries for n in e.names)


def test_storage_terms_table_of_contents_is_anchored_right() -> None:
    """The fixture's own TOC links agree with the anchors (a duplicate heading got "-1")."""
    text, _ = _fixture("storage-terms.md")
    toc = dict(re.findall(r"^- \[(.+)\]\(#(.+)\)$", text, re.MULTILINE))
    first: dict[str, str] = {}
    for heading in outline(text).headings:
        first.setdefault(plain_heading_text(heading.raw), heading.anchor)
    assert {label: first[label] for label in toc} == toc
    assert [h.anchor for h in outline(text).headings if h.raw == "Block Device"] == [
        "block-device-1"]


def test_storage_terms_definitions() -> None:
    text, path = _fixture("storage-terms.md")
    entries = {e.term: e for e in parse_heading_page(text, path).result.entries}
    assert entries["Attach"].definition == (
        "To attach a volume is to make it appear on a node.\n"
        "Longhorn reattaches a volume when its engine dies.")
    block = entries["Block Device"].definition
    assert block.startswith("A device read and written in fixed-size blocks")
    assert "#### Example" in block  # a deeper heading belongs to the definition
    assert "### not a heading" in block  # and so does its fenced code
    assert "Hidden Term" not in entries["Container Storage Interface"].definition
    assert entries["Container Storage Interface"].definition == (
        "The standard interface between Kubernetes and storage drivers.")
    assert entries["Thin Provisioning"].definition == (
        "Space is allocated only when data is written.")
    assert entries["Attach"].source == SourceLocation(path, _line_of(text, "### Attach/Reattach"))
    assert all(e.url == "" for e in entries.values())  # no page_url: no url


def test_storage_terms_problems() -> None:
    text, path = _fixture("storage-terms.md")
    problems = parse_heading_page(text, path).result.problems
    first = _line_of(text, "### **Block Device**")
    second = len(text.split("\n")) - 1 - text.split("\n")[::-1].index("### Block Device")
    assert [(p.message, p.line, p.severity) for p in problems] == [
        (f"'Block Device' is defined twice (first on line {first + 1})", second,
         Severity.WARNING),
        ("'Snapshot' has an empty definition", _line_of(text, "### Snapshot"), Severity.WARNING),
    ]


def test_links_resolved_by_the_callers_resolver() -> None:
    text, path = _fixture("storage-terms.md")
    seen: list[str] = []

    def resolve(markdown: str) -> tuple[str, tuple[Link, ...]]:
        seen.append(markdown)
        return markdown.replace("../devices/", "https://x/devices/"), (
            Link("devices", "../devices/#block", "https://x/devices/#block"),)

    page = parse_heading_page(text, path, resolve_links=resolve, version=(1, 13))
    block = next(e for e in page.result.entries if e.term == "Block Device")
    assert "https://x/devices/#block" in block.definition
    assert block.links == (Link("devices", "../devices/#block", "https://x/devices/#block"),)
    assert page.result.version == (1, 13)
    assert len(seen) == len(page.result.entries) - 1  # not called for the empty definition


# --- other shapes --------------------------------------------------------------------------------


def test_grouped_page_uses_the_deeper_level_and_skips_the_title() -> None:
    text, path = _fixture("grouped.md")
    page = parse_heading_page(text, path)
    assert page.level == 3
    assert page.title == "Glossary"
    assert [e.names for e in page.result.entries] == [
        ("Backup",), ("Backup Target",), ("cgroup", "control group"), ("CRD",)]
    assert page.result.problems == ()
    assert looks_like_heading_glossary(text)


def test_contents_section_is_not_an_entry() -> None:
    text, path = _fixture("toc-section.md")
    page = parse_heading_page(text, path)
    assert [e.term for e in page.result.entries] == ["Bridge", "VLAN", "Uplink"]
    assert page.level == 2
    assert page.result.problems == ()


def test_a_links_only_section_is_a_table_of_contents() -> None:
    text = "# Terms\n\n## Jump to\n\n- [A](#a)\n1. [B](#b)\n\n## Alpha\n\nFirst.\n"
    assert [e.term for e in parse_heading_page(text, "t.md").result.entries] == ["Alpha"]


@pytest.mark.parametrize(
    "text",
    [
        _fixture("definition-list.md")[0],  # bullets and a table: not a shape we read
        "---\ntitle: Glossary\n---\n\nSome prose without headings.\n",
        "# Only a title\n\nAnd a paragraph.\n",
        "```\n## in code\n```\n",
        "",
        "---\ntitle: [broken\n---\n",
    ],
    ids=["definition-list", "no-headings", "title-only", "fenced", "empty", "broken-front"],
)
def test_no_term_headings_is_one_problem(text: str) -> None:
    result = parse_heading_page(text, "page.md").result
    assert result.entries == ()
    assert [(p.path, p.message, p.severity) for p in result.problems] == [
        ("page.md", NO_TERM_HEADINGS, Severity.ERROR)]


def test_title_from_toml_front_matter_and_crlf() -> None:
    text = ('+++\r\ntitle = "Words"\r\n+++\r\n\r\n'
            "## Alpha\r\n\r\nFirst.\r\n\r\n## Beta\r\n\r\nB.\r\n")
    page = parse_heading_page(text, "w.md")
    assert page.title == "Words"
    assert [(e.term, e.definition) for e in page.result.entries] == [
        ("Alpha", "First."), ("Beta", "B.")]


def test_several_h1_headings_are_entries() -> None:
    text = "# Alpha\n\nA.\n\n# Beta\n\nB.\n"
    page = parse_heading_page(text, "h.md")
    assert [e.term for e in page.result.entries] == ["Alpha", "Beta"]
    assert page.title == ""


def test_docusaurus_bold_page_reads_too() -> None:
    text = ("---\nid: glossary\ntitle: Glossary\n---\n\n## **guest cluster** / **guest Kubernetes"
            " cluster**\n\nA cluster.\n\n## **mgmt**\n\nThe built-in network.\n")
    page = parse_heading_page(text, "g.md", page_url=PAGE_URL)
    assert [e.names for e in page.result.entries] == [
        ("guest cluster", "guest Kubernetes cluster"), ("mgmt",)]
    assert page.anchors == ("guest-cluster--guest-kubernetes-cluster", "mgmt")


# --- sniffing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("storage-terms.md", True),  # a glossary-like title
        ("grouped.md", True),
        ("toc-section.md", False),  # "Network words", three entries not A-Z: neither signal
        ("definition-list.md", False),
        ("how-to.md", False),  # numbered steps, section names
    ],
)
def test_looks_like_heading_glossary(name: str, expected: bool) -> None:
    text, _ = _fixture(name)
    assert looks_like_heading_glossary(text) is expected


def test_sniff_accepts_an_alphabetical_list_without_a_glossary_title() -> None:
    terms = ["Backup", "Engine", "Frontend", "Mount", "Replica", "Snapshot", "Volume"]
    text = "---\ntitle: Storage words\n---\n" + "".join(f"## {t}\n\nDef.\n\n" for t in terms)
    assert looks_like_heading_glossary(text)
    shuffled = ["Volume", "Backup", "Snapshot", "Engine", "Replica", "Frontend", "Mount"]
    text = "---\ntitle: Storage words\n---\n" + "".join(f"## {t}\n\nDef.\n\n" for t in shuffled)
    assert not looks_like_heading_glossary(text)


def test_sniff_rejects_a_settings_reference() -> None:
    keys = ["additional-ca", "backup-target", "log-level", "ntp-servers", "ssl-certificates",
            "vip-pools"]
    text = "---\ntitle: Settings\n---\n" + "".join(f"### `{k}`\n\nDef.\n\n" for k in keys)
    assert not looks_like_heading_glossary(text)


# --- robustness ----------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("#*_/()[]`{}-\n ab<!>~"), max_size=200))
def test_never_raises(text: str) -> None:
    page = parse_heading_page(text, "fuzz.md")
    assert page.result.entries or page.result.problems
    assert len(page.anchors) == len(page.result.entries)
    looks_like_heading_glossary(text)


# --- the real Longhorn pages ---------------------------------------------------------------------


@pytest.mark.parametrize("page_path", shared_params(TERMINOLOGY_PAGES))
def test_longhorn_terminology_page(page_path: Path) -> None:
    text = page_path.read_text(encoding="utf-8")
    url = f"https://longhorn.io/docs/{page_path.parent.name}/terminology/"
    page = parse_heading_page(text, str(page_path), page_url=url)
    result = page.result
    assert result.problems == ()
    assert len(result.entries) == 47
    assert sum(len(e.names) for e in result.entries) == 50
    assert {e.term: e.aliases for e in result.entries if e.aliases} == {
        "Attach": ("Reattach",),
        "Disaster Recovery Volumes": ("DR volume",),
        "SMB": ("CIFS",),
    }
    assert page.qualifiers == (("Volumes", "Kubernetes Concept"),)
    toc = re.findall(r"^- \[.+\]\(#(.+)\)$", text, re.MULTILINE)
    assert list(page.anchors) == toc
    assert [e.url for e in result.entries] == [f"{url}#{anchor}" for anchor in toc]
    assert all(e.definition for e in result.entries)
    assert page.title == "Terminology" and page.level == 3
    assert looks_like_heading_glossary(text)
