"""Versioned docs sites other than Harvester's: every page gets the glossary of its own version
tree, a glossary's versioned deprecations count only in its own product's versions, and
translations are version trees too.

Fixtures (tests/fixtures/sites/):
- `hugo-mini`: a Hugo site ("Mini Storage") with trees 1.0.0 and 2.0.0, each with its own
  `terminology.md` of `### Term` entries (different per version), and a Helm table with `rke1`.
- `hugo-configured`: the glossary page is at `reference/words.md`, which only the one config
  line `glossaryPage: reference/words.md` finds.
- `hugo-multilingual`: `content/en/docs/v1.0/glossary.md`; the `zh` translation has none.
- `docusaurus-i18n`: a Harvester checkout with v1.0 and the v1.8 dev docs, and Chinese
  translations of both (the `current/` one with a glossary page of its own).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harvester_glossary_ls.engine.analysis import analyze
from harvester_glossary_ls.engine.config import Config, config_from_mapping
from harvester_glossary_ls.engine.docs_site import (
    HARVESTER,
    HUGO,
    DocsSite,
    DocsTree,
    hugo_setting,
    hugo_url,
    load_docs_site,
)
from harvester_glossary_ls.engine.loader import load_overlay
from harvester_glossary_ls.engine.models import Deprecation
from harvester_glossary_ls.engine.project import Project
from tests.glossary_testkit import FIXTURES, shared_path

SITES = FIXTURES / "sites"
MINI = SITES / "hugo-mini"
I18N = SITES / "docusaurus-i18n"
ZH = I18N / "i18n" / "zh" / "docusaurus-plugin-content-docs"


def _findings(project: Project, path: Path) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    analysis = analyze(text, "markdown", project.context_for(path))
    return [(f.code, text[f.start:f.end]) for f in analysis.findings]


def _terms(project: Project, path: Path) -> set[str]:
    return {e.term for e in project.context_for(path).compiled.glossary.entries}


# --- Hugo version trees -------------------------------------------------------------------------


def test_hugo_site_has_a_tree_per_version_folder_and_the_config_title_as_product() -> None:
    site = load_docs_site(MINI)
    assert site is not None and site.kind == HUGO and site.product == "mini storage"
    pages = {t.root.name: (t.version, t.page.name if t.page else None, t.page_url)
             for t in site.trees}
    assert pages == {
        "1.0.0": ((1, 0), "terminology.md", "https://mini.example.org/docs/1.0.0/terminology/"),
        "2.0.0": ((2, 0), "terminology.md", "https://mini.example.org/docs/2.0.0/terminology/"),
    }


def test_a_page_of_each_version_gets_that_versions_terms_only() -> None:
    project = Project(MINI)
    v1 = MINI / "content" / "docs" / "1.0.0" / "usage.md"
    v2 = MINI / "content" / "docs" / "2.0.0" / "usage.md"
    assert {"Gadget Pool", "Shard Keeper", "Warm Copy"} <= _terms(project, v1)
    assert not {"Block Ledger", "Tiered Pool"} & _terms(project, v1)
    assert {"Block Ledger", "Shard Keeper", "Tiered Pool"} <= _terms(project, v2)
    assert not {"Gadget Pool", "Warm Copy"} & _terms(project, v2)
    keeper_v1 = project.context_for(v1).compiled.glossary.entry("shard keeper")
    keeper_v2 = project.context_for(v2).compiled.glossary.entry("shard keeper")
    assert keeper_v1 is not None and keeper_v2 is not None
    assert "rebuilds" in keeper_v2.definition and "rebuilds" not in keeper_v1.definition
    assert keeper_v2.url == "https://mini.example.org/docs/2.0.0/terminology/#shard-keeper"
    assert [(c.version, c.product) for c in map(project.context_for, (v1, v2))] == [
        ((1, 0), "mini storage"), ((2, 0), "mini storage")]


def test_relative_links_in_a_hugo_definition_resolve_against_the_published_page() -> None:
    page = MINI / "content" / "docs" / "1.0.0" / "usage.md"
    entry = Project(MINI).context_for(page).compiled.glossary.entry("gadget pool")
    assert entry is not None
    assert [link.url for link in entry.links] == [
        "https://mini.example.org/docs/1.0.0/concepts/#pools"]


def test_harvester_deprecations_do_not_fire_on_another_products_pages() -> None:
    """`rke1` in a Longhorn-style Helm table: Harvester's "since v1.6" says nothing about 2.0."""
    project = Project(MINI)
    page = MINI / "content" / "docs" / "2.0.0" / "helm-values.md"
    assert "RKE2" in _terms(project, page)  # the default Harvester glossary is still on
    assert [f for f in _findings(project, page) if f[0] == "deprecated-term"] == []


def test_harvester_casing_is_not_policed_on_another_products_pages() -> None:
    """Harvester's page writes "storage network"; a Longhorn-style page names its own "Storage
    Network" setting. There the Harvester glossary still hovers, but its case is not the other
    product's rule (and its versioned deprecations do not apply either)."""
    project = Project(MINI)
    page = MINI / "content" / "docs" / "2.0.0" / "networks.md"
    analysis = analyze(page.read_text(encoding="utf-8"), "markdown", project.context_for(page))
    assert {o.entry.term for o in analysis.occurrences} >= {"storage network", "mgmt"}
    assert _findings(project, page) == []


def test_a_page_outside_every_version_tree_keeps_the_sites_product() -> None:
    context = Project(MINI).context_for(MINI / "content" / "_index.md")
    assert (context.version, context.product) == ((1, 7), "mini storage")


def test_the_glossary_page_is_found_with_one_line_of_configuration() -> None:
    root = SITES / "hugo-configured"
    page = root / "content" / "docs" / "1.0" / "page.md"
    assert "Quiet Replica" not in _terms(Project(root, use_config_file=False), page)
    configured = Project(root)
    assert configured.problems == []
    entry = configured.context_for(page).compiled.glossary.entry("quiet replica")
    assert entry is not None
    assert entry.url == "https://configured.example.org/docs/1.0/reference/words/#quiet-replica"


@pytest.mark.parametrize("value", ["../outside.md", "/etc/glossary.md", "", 3])
def test_glossary_page_must_stay_inside_the_tree(value: object) -> None:
    config, problems = config_from_mapping({"glossaryPage": value}, None)
    assert config.glossary_page is None
    assert problems and "glossaryPage" in problems[0]


def test_glossary_page_config_works_for_docusaurus_too(tmp_path: Path) -> None:
    (tmp_path / "docusaurus.config.js").write_text('module.exports = {title: "Harvester"};\n',
                                                  encoding="utf-8")
    page = tmp_path / "versioned_docs" / "version-v1.5" / "reference" / "terms.md"
    page.parent.mkdir(parents=True)
    page.write_text("## **spare widget**\n\nA widget kept for later.\n", encoding="utf-8")
    doc = page.parent / "doc.md"
    assert "spare widget" not in _terms(Project(tmp_path), doc)
    project = Project(tmp_path, settings=Config(glossary_page="reference/terms.md"))
    assert "spare widget" in _terms(project, doc)


def test_a_hugo_translation_without_a_page_uses_the_default_languages_page() -> None:
    root = SITES / "hugo-multilingual"
    site = load_docs_site(root)
    assert site is not None
    zh = next(t for t in site.trees if "zh" in t.root.parts)
    assert zh.page is None and zh.original is not None and zh.glossary_tree == zh.original
    entry = Project(root).context_for(zh.root / "page.md").compiled.glossary.entry("hot tier")
    assert entry is not None  # the default language is published at the root, not under /en/
    assert entry.url == "https://multi.example.org/docs/v1.0/glossary/#hot-tier"


# --- Docusaurus translations --------------------------------------------------------------------


def test_docusaurus_translations_are_trees_of_their_version() -> None:
    site = load_docs_site(I18N)
    assert site is not None and site.product == HARVESTER
    trees = {t.root.relative_to(I18N).as_posix(): (t.version, t.url_segment) for t in site.trees}
    assert trees == {
        "docs": ((1, 8), "v1.8"),
        "versioned_docs/version-v1.0": ((1, 0), "v1.0"),
        "i18n/zh/docusaurus-plugin-content-docs/current": ((1, 8), "zh/v1.8"),
        "i18n/zh/docusaurus-plugin-content-docs/version-v1.0": ((1, 0), "zh/v1.0"),
    }


def test_a_translation_gets_the_deprecations_of_its_version() -> None:
    project = Project(I18N)
    assert _findings(project, ZH / "version-v1.0" / "rancher.md") == []
    assert _findings(project, I18N / "versioned_docs" / "version-v1.0" / "rancher.md") == []
    assert _findings(project, ZH / "current" / "rancher.md") == [("deprecated-term", "RKE1")]
    assert _findings(project, I18N / "docs" / "rancher.md") == [("deprecated-term", "RKE1")]


def test_a_translation_uses_its_own_glossary_page_else_the_english_one_of_its_version() -> None:
    project = Project(I18N)
    current = project.context_for(ZH / "current" / "rancher.md").compiled.glossary
    assert current.entry("translated witness") is not None and current.entry("witness node") is None
    old = project.context_for(ZH / "version-v1.0" / "rancher.md")
    english = project.context_for(I18N / "versioned_docs" / "version-v1.0" / "rancher.md")
    assert old.compiled is english.compiled  # the same page, compiled once
    node = old.compiled.glossary.entry("Harvester node")
    assert node is not None and node.source is not None
    assert Path(node.source.path) == I18N / "versioned_docs" / "version-v1.0" / "glossary.md"


# --- products and versions ----------------------------------------------------------------------


def test_a_versioned_deprecation_compares_versions_only_within_its_product() -> None:
    rke1 = Deprecation("RKE1", ("RKE2",), since=(1, 6), product=HARVESTER)
    assert rke1.applies_to((1, 6), HARVESTER) and not rke1.applies_to((1, 5), HARVESTER)
    assert not rke1.applies_to((1, 13), "longhorn")
    assert rke1.applies_to((1, 7), "")  # a document of no known product: as before
    assert Deprecation("x", (), since=(1, 6)).applies_to((1, 13), "longhorn")  # no product
    assert Deprecation("x", (), product=HARVESTER).applies_to((1, 0), "longhorn")  # no since


def test_the_overlay_deprecations_belong_to_harvester() -> None:
    overlay = load_overlay()
    deprecations = [d for e in overlay.entries for d in e.deprecations]
    deprecations += [r.deprecation for r in overlay.yaml_rules if r.deprecation]
    assert deprecations and {d.product for d in deprecations} == {HARVESTER}


def test_tree_lookup_is_by_whole_folder_names() -> None:
    root = Path("/site/content/docs")
    tree = DocsTree(root / "1.0", (1, 0), "1.0")
    site = DocsSite(Path("/site"), (tree, DocsTree(root / "1.0" / "nested", (1, 1), "1.1")))
    assert site.tree_for(root / "1.0" / "a" / "b.md") == tree
    assert site.tree_for(root / "1.0") == tree
    assert site.tree_for(root / "1.0" / "nested" / "c.md").version == (1, 1)  # type: ignore[union-attr]
    assert site.tree_for(root / "1.0-old" / "b.md") is None


def test_hugo_config_settings_and_urls() -> None:
    config = 'baseURL = "https://x.org/"\ntitle = \'X\' # the name\n[params]\ntitle = "no"\n'
    assert hugo_setting(config, "baseURL") == "https://x.org/"
    assert hugo_setting(config, "title") == "X"
    assert hugo_setting("baseURL: https://y.org\ntitle: Y\n", "baseurl") == "https://y.org"
    assert hugo_url("https://x.org/", "docs/1.0/Terminology.md") == (
        "https://x.org/docs/1.0/terminology/")
    assert hugo_url("https://x.org", "docs/1.0/glossary/_index.md") == (
        "https://x.org/docs/1.0/glossary/")


# --- the Longhorn website (../shared) -----------------------------------------------------------


def test_every_longhorn_1_12_0_page_gets_its_own_terminology() -> None:
    root = shared_path("corpus", "longhorn-website")
    tree = root / "content" / "docs" / "1.12.0"
    project = Project(root, use_config_file=False)
    pages = sorted(tree.rglob("*.md"))
    assert len(pages) > 100
    for page in pages:
        context = project.context_for(page)
        entry = context.compiled.glossary.entry("backup target")
        assert entry is not None and entry.source is not None, page
        assert Path(entry.source.path) == tree / "terminology.md", page
        assert entry.url == "https://longhorn.io/docs/1.12.0/terminology/#backup-target"
        assert (context.version, context.product) == ((1, 12), "longhorn")
    helm = tree / "references" / "helm-values.md"
    assert "rke1" in helm.read_text(encoding="utf-8")
    assert [f for f in _findings(project, helm) if f[0] == "deprecated-term"] == []
