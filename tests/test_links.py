"""Docusaurus link resolution: slug rules on fixtures, and all 94 glossary links of links.tsv.

The links.tsv cases need ../shared (the glossary copies and the harvester/docs corpus beside the
repo); they skip without it. Everything else runs on fixtures written here.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from harvester_glossary_ls.engine.docs_site import permalink, resolve_href
from harvester_glossary_ls.engine.frontmatter import parse_front_matter, read_front_matter
from harvester_glossary_ls.engine.markdown_links import resolve_markdown_links

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
LINKS_TSV = SHARED / "glossary" / "links.tsv"
CORPUS = SHARED / "corpus" / "harvester-docs"
SHIPPED_PAGE = REPO / "glossary" / "harvester-v1.7.md"
SHIPPED_LINKS = REPO / "glossary" / "resolved-links-v1.7.yaml"
BASE = "https://docs.harvesterhci.io"

needs_shared = pytest.mark.skipif(
    not (LINKS_TSV.is_file() and CORPUS.is_dir()),
    reason=f"needs ../shared beside the repo ({LINKS_TSV} and {CORPUS}); absent here",
)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- front matter -------------------------------------------------------------------------------


def test_front_matter_is_read(tmp_path: Path) -> None:
    doc = _write(tmp_path / "a.md", '---\nid: index\ntitle: "A"\n---\n\nBody\n')
    assert read_front_matter(doc) == {"id": "index", "title": "A"}


@pytest.mark.parametrize(
    "text",
    [
        "No front matter\n",
        "---\nid: [unclosed\n---\n",
        "---\n- a list\n---\n",
        "---\nid: never closed\n",
        "",
    ],
    ids=["absent", "broken-yaml", "not-a-mapping", "unclosed", "empty"],
)
def test_bad_front_matter_gives_empty_dict(tmp_path: Path, text: str) -> None:
    assert read_front_matter(_write(tmp_path / "bad.md", text)) == {}


def test_unreadable_front_matter_gives_empty_dict(tmp_path: Path) -> None:
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"---\nid: \xff\xfe\n---\n")
    assert read_front_matter(binary) == {}
    assert read_front_matter(tmp_path / "missing.md") == {}
    assert read_front_matter(tmp_path) == {}  # a directory


def test_front_matter_cache_hands_out_copies(tmp_path: Path) -> None:
    doc = _write(tmp_path / "c.md", "---\nid: c\n---\n")
    first = read_front_matter(doc)
    first["id"] = "changed"
    assert read_front_matter(doc) == {"id": "c"}


def test_front_matter_tolerates_bom_and_crlf() -> None:
    assert parse_front_matter("\ufeff---\r\nslug: /\r\n---\r\nx") == {"slug": "/"}


# --- slug rules (ARCHITECTURE.md facts-2) ---------------------------------------------------


@pytest.mark.parametrize(
    ("rel_path", "front_matter", "expected"),
    [
        # rule 3: <dir>/ + file stem
        ("advanced/witness.md", {}, "advanced/witness"),
        ("rancher/node/node-driver.md", {}, "rancher/node/node-driver"),
        ("airgap.md", {}, "airgap"),
        # rule 3 trap: front-matter id replaces the stem
        ("networking/clusternetwork.md", {"id": "index"}, "networking/index"),
        ("airgap.md", {"id": "air-gapped"}, "air-gapped"),
        # rule 2: category index wins over id
        ("host/host.md", {"id": "host-management"}, "host/"),
        ("Host/host.md", {}, "Host/"),
        ("rancher/index.md", {}, "rancher/"),
        ("rancher/README.md", {}, "rancher/"),
        ("index.md", {}, ""),
        # rule 1: an absolute slug wins; a relative one is resolved against the folder
        ("index.md", {"slug": "/"}, ""),
        ("host/host.md", {"slug": "/machines"}, "machines"),
        ("a/b.md", {"slug": "c"}, "a/c"),
        ("a/b.md", {"slug": "../c/"}, "c/"),
        ("a/b.mdx", {}, "a/b"),
    ],
)
def test_permalink(rel_path: str, front_matter: dict[str, object], expected: str) -> None:
    assert permalink(rel_path, front_matter) == expected


def _resolve(
    href: str,
    *,
    version: str = "v1.7",
    page: str = "getting-started/glossary.md",
    tree: Path | None = None,
) -> str:
    return resolve_href(href, base_url=BASE, version=version, page_path=page, tree_root=tree)


@pytest.mark.parametrize(
    "href",
    [
        "https://docs.harvesterhci.io/v1.3/host/#role-management",
        "http://example.com/x.md",
        "mailto:someone@example.com",
        "//cdn.example.com/x",
    ],
)
def test_absolute_hrefs_pass_through(href: str) -> None:
    assert _resolve(href) == href


def test_md_link_without_tree_uses_the_file_stem() -> None:
    assert _resolve("../advanced/witness.md") == f"{BASE}/v1.7/advanced/witness"
    assert _resolve("../host/host.md#role-management") == f"{BASE}/v1.7/host/#role-management"
    assert _resolve("../index.md#harvester-architecture") == f"{BASE}/v1.7/#harvester-architecture"
    # Without the tree, `id: index` is unknown: the stem is the best guess.
    assert _resolve("../networking/clusternetwork.md") == f"{BASE}/v1.7/networking/clusternetwork"


def test_md_link_reads_the_target_front_matter(tmp_path: Path) -> None:
    _write(tmp_path / "networking" / "clusternetwork.md", "---\nid: index\n---\n")
    _write(tmp_path / "index.md", "---\nslug: /\n---\n")
    got = _resolve("../networking/clusternetwork.md#built-in-cluster-network", tree=tmp_path)
    assert got == f"{BASE}/v1.7/networking/index#built-in-cluster-network"
    assert _resolve("../index.md", tree=tmp_path) == f"{BASE}/v1.7/"
    # A target missing from the tree falls back to the stem rule.
    assert _resolve("../advanced/absent.md", tree=tmp_path) == f"{BASE}/v1.7/advanced/absent"


def test_md_link_path_forms(tmp_path: Path) -> None:
    _write(tmp_path / "vm" / "backup.md", "---\nid: vm-backup\n---\n")
    _write(tmp_path / "getting-started" / "vm" / "backup.md", "---\n---\n")
    # `/x.md` is relative to the tree root, `./x.md` to the page's folder.
    assert _resolve("/vm/backup.md", tree=tmp_path) == f"{BASE}/v1.7/vm/vm-backup"
    assert _resolve("./vm/backup.md", tree=tmp_path) == f"{BASE}/v1.7/getting-started/vm/backup"
    # A bare `x/y.md` is tried at the root first (Docusaurus replaceMarkdownLinks), then beside
    # the page.
    assert _resolve("vm/backup.md", tree=tmp_path) == f"{BASE}/v1.7/vm/vm-backup"
    assert _resolve("vm/other.md", tree=tmp_path) == f"{BASE}/v1.7/getting-started/vm/other"
    # `..` cannot climb above the version root; percent-encoded names find their file.
    assert _resolve("../../../faq.md") == f"{BASE}/v1.7/faq"
    _write(tmp_path / "a b.md", "---\nid: ab\n---\n")
    assert _resolve("../a%20b.md", tree=tmp_path) == f"{BASE}/v1.7/ab"


def test_md_link_keeps_query_and_anchor() -> None:
    assert _resolve("../vm/x.md?tab=cli#step-2") == f"{BASE}/v1.7/vm/x?tab=cli#step-2"


def test_urlrelative_links_resolve_against_the_page_url() -> None:
    # v0.3-v1.1: glossary.md at the root, published as /v0.3/glossary.
    assert _resolve("./#harvester-architecture", version="v0.3", page="glossary.md") == (
        f"{BASE}/v0.3/#harvester-architecture"
    )
    assert _resolve("./rancher/node/node-driver", version="v1.0", page="glossary.md") == (
        f"{BASE}/v1.0/rancher/node/node-driver"
    )
    assert _resolve("../vm/create-vm", page="getting-started/glossary.md") == (
        f"{BASE}/v1.7/vm/create-vm"
    )


def test_urlrelative_links_use_the_page_slug(tmp_path: Path) -> None:
    # A category-index page ends in "/", so its relative links stay inside its folder.
    assert _resolve("./vlan", page="networking/networking.md") == f"{BASE}/v1.7/networking/vlan"
    _write(tmp_path / "networking" / "clusternetwork.md", "---\nid: index\n---\n")
    assert _resolve("#mtu", page="networking/clusternetwork.md", tree=tmp_path) == (
        f"{BASE}/v1.7/networking/index#mtu"
    )


def test_anchor_only_and_site_absolute_links() -> None:
    assert _resolve("#guest-node") == f"{BASE}/v1.7/getting-started/glossary#guest-node"
    assert _resolve("/v1.6/faq") == f"{BASE}/v1.6/faq"


def test_base_url_trailing_slash_and_empty_version() -> None:
    got = resolve_href(
        "../a.md", base_url=BASE + "/", version="", page_path="x/g.md", tree_root=None
    )
    assert got == f"{BASE}/a"


# --- Markdown link rewriting --------------------------------------------------------------------


def _upper(href: str) -> str:
    return "U:" + href


def test_rewrites_inline_links_and_reports_them() -> None:
    text, links = resolve_markdown_links(
        'A [witness node](../advanced/witness.md) and [role](../host/host.md#r "Roles").', _upper
    )
    assert text == (
        'A [witness node](U:../advanced/witness.md) and [role](U:../host/host.md#r "Roles").'
    )
    assert [(link.text, link.href, link.url) for link in links] == [
        ("witness node", "../advanced/witness.md", "U:../advanced/witness.md"),
        ("role", "../host/host.md#r", "U:../host/host.md#r"),
    ]


def test_code_is_left_alone() -> None:
    source = (
        "Use `[a](b.md)` or ``x [c](d.md) ` y``.\n\n```md\n[e](f.md)\n```\n~~~\n[g](h.md)\n~~~\n"
    )
    assert resolve_markdown_links(source, _upper) == (source, ())


def test_code_inside_link_text_and_unclosed_backticks() -> None:
    text, links = resolve_markdown_links("[`mgmt` `]` net](a.md) ` [b](c.md)", _upper)
    assert text == "[`mgmt` `]` net](U:a.md) ` [b](U:c.md)"
    assert [link.text for link in links] == ["`mgmt` `]` net", "b"]


@pytest.mark.parametrize(
    ("source", "expected", "hrefs"),
    [
        ("![diagram](img.png)", "![diagram](img.png)", []),
        ("\\[not](a link)", "\\[not](a link)", []),
        ("[no link] (x.md)", "[no link] (x.md)", []),
        ("[unclosed](x.md", "[unclosed](x.md", []),
        ("[empty]()", "[empty]()", []),
        ("[a [nested] b](x.md)", "[a [nested] b](U:x.md)", ["x.md"]),
        ("[angle](<a b.md> 'T')", "[angle](<U:a b.md> 'T')", ["a b.md"]),
        ("[wiki](https://w.org/A_(b))", "[wiki](U:https://w.org/A_(b))", ["https://w.org/A_(b)"]),
        ("[t](x.md (paren title))", "[t](U:x.md (paren title))", ["x.md"]),
        ("[t](\n  x.md\n)", "[t](\n  U:x.md\n)", ["x.md"]),
        ('[t](x.md "unclosed)', '[t](x.md "unclosed)', []),
        ("[[inner](a.md)](b.md)", "[[inner](U:a.md)](b.md)", ["a.md"]),
        ("no links at all", "no links at all", []),
    ],
)
def test_link_syntax_edge_cases(source: str, expected: str, hrefs: list[str]) -> None:
    text, links = resolve_markdown_links(source, _upper)
    assert text == expected
    assert [link.href for link in links] == hrefs


# --- links.tsv: all 94 links of all glossary versions -------------------------------------------

_GLOSSARY_FILE = {"dev": "harvester-v1.8-dev.md"}
_URL_VERSION = {"dev": "v1.8"}
_ROOT_PAGE_VERSIONS = {"v0.3", "v1.0", "v1.1"}
# Where each version's tree gets its front matter. The corpus has docs/ (v1.7 at 85110898, the
# dev tree then) and v1.6 only; older trees borrow v1.6's front matter plus the facts the notes
# state below. v0.3-v1.1 links are absolute or URL-relative and need only the page itself.
_FRONT_MATTER_SOURCE = {
    "v1.2": "versioned_docs/version-v1.6",
    "v1.3": "versioned_docs/version-v1.6",
    "v1.4": "versioned_docs/version-v1.6",
    "v1.5": "versioned_docs/version-v1.6",
    "v1.6": "versioned_docs/version-v1.6",
    "v1.7": "docs",
    "dev": "docs",
}
# ARCHITECTURE.md facts-2: v1.2's rancher-integration.md has `id: index`.
_OVERRIDES = {"v1.2": {"rancher/rancher-integration.md": "---\nid: index\ntitle: Rancher\n---\n"}}
# §2: the v1.5 target advanced/vm-migration-network.md is absent from the 85110898 tree.
_ABSENT = {"v1.5": ("advanced/vm-migration-network.md",)}


def _read_rows() -> list[dict[str, str]]:
    if not LINKS_TSV.is_file():
        return []
    with LINKS_TSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _read_rows()


def _row_params() -> list[object]:
    if not ROWS:
        return [pytest.param({}, marks=needs_shared, id="links.tsv-absent")]
    return [
        pytest.param(row, id=f"{row['glossary_version']}-{index:02d}-{row['link_text'][:30]}")
        for index, row in enumerate(ROWS, start=2)  # line numbers in links.tsv
    ]


def _page_path(version: str) -> str:
    return "glossary.md" if version in _ROOT_PAGE_VERSIONS else "getting-started/glossary.md"


def _copy_front_matter(source: Path, target: Path) -> None:
    """Write only the front matter of `source` (plus a stub body) to `target`."""
    lines = source.read_text(encoding="utf-8").split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    head = "\n".join(lines[: end + 1]) if lines[0] == "---" and end is not None else ""
    _write(target, head + "\n\nFixture: front matter copied from the corpus.\n")


@pytest.fixture(scope="module")
def docs_trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One small docs tree per glossary version, holding front matter only."""
    trees: dict[str, Path] = {}
    for version in sorted({row["glossary_version"] for row in ROWS}):
        root = tmp_path_factory.mktemp(f"docs-{version}")
        source = _FRONT_MATTER_SOURCE.get(version)
        if source is not None:
            for doc in (CORPUS / source).rglob("*.md"):
                _copy_front_matter(doc, root / doc.relative_to(CORPUS / source))
        for rel, text in _OVERRIDES.get(version, {}).items():
            _write(root / rel, text)
        for rel in _ABSENT.get(version, ()):
            (root / rel).unlink(missing_ok=True)
        page = SHARED / "glossary" / _GLOSSARY_FILE.get(version, f"harvester-{version}.md")
        _copy_front_matter(page, root / _page_path(version))
        trees[version] = root
    return trees


def _expected(row: dict[str, str]) -> set[str]:
    """The published URL; for URL-relative `./#x` rows also the browser's `…/vX.Y/#x` form."""
    expected = row["published_url"]
    if row["resolution"].startswith("url-relative"):
        version = _URL_VERSION.get(row["glossary_version"], row["glossary_version"])
        return {expected, expected.replace(f"/{version}#", f"/{version}/#")}
    return {expected}


@needs_shared
def test_links_tsv_has_all_rows() -> None:
    assert len(ROWS) == 94
    assert {row["glossary_version"] for row in ROWS} == {
        *("v0.3", "v1.0", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7", "dev")
    }


@needs_shared
@pytest.mark.parametrize("row", _row_params())
def test_links_tsv_row(row: dict[str, str], docs_trees: dict[str, Path]) -> None:
    version = row["glossary_version"]
    got = resolve_href(
        row["href"],
        base_url=BASE,
        version=_URL_VERSION.get(version, version),
        page_path=_page_path(version),
        tree_root=docs_trees[version],
    )
    assert got in _expected(row)


@needs_shared
def test_links_tsv_without_tree_only_misses_front_matter_ids() -> None:
    """By file name alone, only the links whose targets set `id:` come out wrong."""
    wrong = []
    for row in ROWS:
        version = row["glossary_version"]
        got = resolve_href(
            row["href"],
            base_url=BASE,
            version=_URL_VERSION.get(version, version),
            page_path=_page_path(version),
            tree_root=None,
        )
        if got not in _expected(row):
            wrong.append((version, row["href"].split("#")[0]))
    assert sorted(wrong) == [
        ("dev", "../networking/clusternetwork.md"),
        ("v1.2", "../rancher/rancher-integration.md"),
        ("v1.2", "../rancher/rancher-integration.md"),
        ("v1.5", "../networking/clusternetwork.md"),
    ]


# --- the shipped glossary/resolved-links-v1.7.yaml ----------------------------------------------


def _shipped() -> dict[str, object]:
    data = yaml.safe_load(SHIPPED_LINKS.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _shipped_links() -> dict[str, str]:
    links = _shipped()["links"]
    assert isinstance(links, dict)
    return {str(href): str(url) for href, url in links.items()}


def test_shipped_links_cover_every_link_on_the_shipped_page() -> None:
    data = _shipped()
    assert data["base_url"] == BASE
    assert data["version"] == "v1.7"
    assert data["page_path"] == "getting-started/glossary.md"
    _, links = resolve_markdown_links(SHIPPED_PAGE.read_text(encoding="utf-8"), lambda h: h)
    assert len(links) == 9  # 8 distinct hrefs: rancher-integration is linked twice
    assert {link.href for link in links} == set(_shipped_links())


def test_shipped_links_agree_with_the_resolver_by_rule() -> None:
    """Every v1.7 target is resolvable by file name, so the rules alone reproduce the file."""
    for href, url in _shipped_links().items():
        assert _resolve(href) == url


@needs_shared
def test_shipped_links_agree_with_links_tsv() -> None:
    rows = [row for row in ROWS if row["glossary_version"] == "v1.7"]
    expected = {row["href"]: row["published_url"] for row in rows}
    assert _shipped_links() == expected


@needs_shared
def test_shipped_links_agree_with_the_corpus_tree() -> None:
    tree = CORPUS / "docs"
    for href, url in _shipped_links().items():
        assert _resolve(href, tree=tree) == url
