"""The Harvester glossary page (Docusaurus, `## **term** / **alias**`): every shared version
and small fixtures for the edge cases. Parsers return problems; they never raise."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester_glossary_ls.engine.parsers.docusaurus import (
    heading_names,
    looks_like_glossary_page,
    parse_docusaurus_page,
)
from tests.glossary_testkit import NO_SHARED, REPO, SHARED_GLOSSARY, shared_params

ORIGINAL_SIX = {
    "guest cluster": ("guest Kubernetes cluster",),
    "guest node": ("guest cluster node",),
    "Harvester cluster": (),
    "Harvester hypervisor": (),
    "Harvester node": (),
    "Harvester Node Driver": (),
}
V17_ADDS = ["cluster network", "Harvester ISO", "live migration", "mgmt", "net install ISO",
            "network configuration", "storage network", "VM migration network", "VM network"]
DEV_ADDS = ["Harvester Cloud Provider", "Harvester CSI Driver", "overlay network",
            "VLAN trunk network", "witness node"]

# version -> (entries, names, terms that must be there, terms that must not)
EXPECTED: dict[str, tuple[int, int, list[str], list[str]]] = {
    "v0.3": (6, 8, [], V17_ADDS + DEV_ADDS),
    "v1.0": (6, 8, [], V17_ADDS + DEV_ADDS),
    "v1.1": (6, 8, [], V17_ADDS + DEV_ADDS),
    "v1.2": (6, 8, [], V17_ADDS + DEV_ADDS),
    "v1.3": (6, 8, [], V17_ADDS + DEV_ADDS),
    "v1.4": (6, 8, [], V17_ADDS + DEV_ADDS),
    "v1.5": (20, 22, V17_ADDS + DEV_ADDS, []),
    "v1.6": (6, 8, [], V17_ADDS + DEV_ADDS),
    "v1.7": (15, 17, V17_ADDS, DEV_ADDS),
    "v1.8-dev": (20, 22, V17_ADDS + DEV_ADDS, []),
}


def _version_of(path: Path) -> str:
    return path.stem.removeprefix("harvester-")


@pytest.mark.parametrize("page", shared_params(SHARED_GLOSSARY.glob("harvester-*.md")))
def test_every_shared_page_parses(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    result = parse_docusaurus_page(text, str(page))
    entries, names, present, absent = EXPECTED[_version_of(page)]
    assert result.problems == ()
    assert len(result.entries) == entries
    assert sum(len(e.names) for e in result.entries) == names
    by_term = {e.term: e for e in result.entries}
    for term, aliases in ORIGINAL_SIX.items():
        assert by_term[term].aliases == aliases, term
    for term in present:
        assert term in by_term, term
        assert by_term[term].aliases == ()
    for term in absent:
        assert term not in by_term, term
    lines = text.splitlines()
    for entry in result.entries:
        # no trailing spaces from `## **Harvester cluster** `; no bold markers
        assert entry.term == entry.term.strip() and "*" not in entry.term
        assert entry.definition, entry.term
        # front matter and the <head> block never leak into a definition
        for leaked in ("sidebar_position", "sidebar_label", "<head>", "canonical", "---"):
            assert leaked not in entry.definition, (entry.term, leaked)
        assert entry.definition == entry.definition.strip()
        # go to definition lands on the entry's heading
        assert entry.source is not None and entry.source.path == str(page)
        assert lines[entry.source.line].startswith("## ")
        assert entry.term in lines[entry.source.line]


@pytest.mark.parametrize("page", shared_params(SHARED_GLOSSARY.glob("harvester-*.md")))
def test_guest_cluster_definition_is_every_paragraph(page: Path) -> None:
    result = parse_docusaurus_page(page.read_text(encoding="utf-8"), str(page))
    guest = next(e for e in result.entries if e.term == "guest cluster")
    paragraphs = guest.definition.split("\n\n")
    assert len(paragraphs) >= 3
    assert paragraphs[0].startswith("Group of integrated ")
    assert "container workloads" in paragraphs[-1]
    # the next entry's text is not part of it
    assert "guest node" not in guest.definition.lower().split("\n\n")[0]


def test_rke1_was_dropped_from_the_guest_cluster_entry_from_v1_6() -> None:
    """Commit 03152fe "docs: Remove RKE1 support" reached v1.6 and later, not the v1.5 backport."""
    if not SHARED_GLOSSARY.is_dir():
        pytest.skip(NO_SHARED)
    for version, has_rke1 in (("v1.0", True), ("v1.5", True), ("v1.6", False), ("v1.7", False),
                              ("v1.8-dev", False)):
        page = SHARED_GLOSSARY / f"harvester-{version}.md"
        guest = next(e for e in parse_docusaurus_page(
            page.read_text(encoding="utf-8"), str(page)).entries if e.term == "guest cluster")
        assert ("RKE1" in guest.definition) is has_rke1, version


def test_shipped_page_is_the_v1_7_page() -> None:
    shipped = REPO / "glossary" / "harvester-v1.7.md"
    result = parse_docusaurus_page(shipped.read_text(encoding="utf-8"), str(shipped))
    assert len(result.entries) == 15
    assert sum(len(e.names) for e in result.entries) == 17
    shared = SHARED_GLOSSARY / "harvester-v1.7.md"
    if shared.is_file():
        assert shipped.read_bytes() == shared.read_bytes()


def test_page_url_gives_entry_anchors() -> None:
    text = ("## **guest cluster** / **guest Kubernetes cluster**\n\nDef.\n\n"
            "## **Harvester ISO** \n\nX.\n")
    url = "https://docs.harvesterhci.io/v1.7/getting-started/glossary"
    result = parse_docusaurus_page(text, "g.md", version=(1, 7), page_url=url)
    assert [e.url for e in result.entries] == [
        f"{url}#guest-cluster--guest-kubernetes-cluster",
        f"{url}#harvester-iso",
    ]
    assert result.version == (1, 7)


# --- fixtures: text in, (entries, problems) out ---------------------------------------------------

FRONT = '---\nsidebar_position: 3\ntitle: "Glossary"\nkeywords:\n- "## **not a term**"\n---\n'
HEAD = '<head>\n  <link rel="canonical" href="https://x/y"/>\n</head>\n'


@pytest.mark.parametrize(
    ("text", "entries", "problems"),
    [
        pytest.param(FRONT + HEAD + "\n## **a** / **b**\n\nOne.\n\nTwo.\n",
                     [("a", ("b",), "One.\n\nTwo.")], [], id="front-matter-and-head"),
        pytest.param("## **a**   \n\nX.\n## **b** \t\nY.", [("a", (), "X."), ("b", (), "Y.")], [],
                     id="trailing-spaces-no-final-newline"),
        pytest.param("## **a** / **b** / **c**\nX\n", [("a", ("b", "c"), "X")], [],
                     id="three-names"),
        pytest.param("## plain term\nX\n", [("plain term", (), "X")], [],
                     id="heading-without-bold"),
        pytest.param("## **a**\r\n\r\nOne.\r\n\r\nTwo.\r\n", [("a", (), "One.\n\nTwo.")], [],
                     id="crlf"),
        pytest.param("## **a**\n\n```\n## **not a term**\n```\n",
                     [("a", (), "```\n## **not a term**\n```")], [], id="heading-inside-fence"),
        pytest.param("# Glossary\n\nIntro.\n\n## **a**\nX\n### sub\nY\n",
                     [("a", (), "X\n### sub\nY")], [], id="deeper-headings-stay-in-definition"),
        pytest.param("## **a**\n\n## **b**\nY\n", [("a", (), ""), ("b", (), "Y")],
                     ["'a' has an empty definition"], id="empty-definition"),
        pytest.param("## **a**\nX\n## **A**\nY\n", [("a", (), "X"), ("A", (), "Y")],
                     ["'A' is defined twice (first on line 1)"], id="duplicate-term"),
        pytest.param("## **a** / **b**\nX\n## **b**\nY\n", [("a", ("b",), "X"), ("b", (), "Y")],
                     ["'b' is defined twice (first on line 1)"], id="alias-duplicates-term"),
        pytest.param("Just prose.\n", [], ["no glossary entries"], id="no-entries"),
        pytest.param("", [], ["no glossary entries"], id="empty-file"),
        pytest.param("---\ntitle: x\n", [], ["no glossary entries"], id="unclosed-front-matter"),
        pytest.param("## ****\nX\n", [], ["heading names no term", "no glossary entries"],
                     id="empty-bold"),
    ],
)
def test_page_fixtures(text: str, entries: list[tuple[str, tuple[str, ...], str]],
                       problems: list[str]) -> None:
    result = parse_docusaurus_page(text, "glossary.md")
    assert [(e.term, e.aliases, e.definition) for e in result.entries] == entries
    assert len(result.problems) == len(problems)
    for problem, expected in zip(result.problems, problems, strict=True):
        assert expected in problem.message
        assert problem.path == "glossary.md"


def test_problem_lines_point_at_the_heading() -> None:
    text = "## **a**\nX\n\n## **b**\n\n## **a**\nY\n"
    result = parse_docusaurus_page(text, "g.md")
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "'b' has an empty definition"),
        (5, "'a' is defined twice (first on line 1)"),
    ]


@pytest.mark.parametrize(
    ("heading", "names"),
    [
        ("**guest cluster** / **guest Kubernetes cluster**", ["guest cluster",
                                                               "guest Kubernetes cluster"]),
        ("**Harvester cluster** ", ["Harvester cluster"]),
        ("a / b", ["a", "b"]),
        ("**a**/**b**", ["a", "b"]),
        ("** spaced **", ["spaced"]),
    ],
)
def test_heading_names(heading: str, names: list[str]) -> None:
    assert heading_names(heading) == names


def test_sniff() -> None:
    assert looks_like_glossary_page("x\n## **a**\n")
    assert not looks_like_glossary_page("## a\n")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("#* /\n\r\t-`~<>ab\u00e9\u200b:")), max_size=200))
def test_never_raises(text: str) -> None:
    result = parse_docusaurus_page(text, "fuzz.md")
    assert result.entries or result.problems
