"""Docs-tree glossaries: in a harvester/docs checkout every file gets its own tree's glossary page
and the deprecations in force for that version; elsewhere the shipped v1.7 glossary applies.

The shared glossary pages are laid out in a temporary docs tree the way harvester/docs lays them
out (`glossary.md` at the root for v0.3 to v1.1, `getting-started/glossary.md` from v1.2, and
`docs/` as the v1.8 dev version). Skips, saying why, when ../shared is absent.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harvester_glossary_ls.engine.analysis import analyze
from harvester_glossary_ls.engine.models import Finding
from harvester_glossary_ls.engine.project import Project
from tests.glossary_testkit import CORPUS, NO_SHARED, SHARED_GLOSSARY

RELEASED = ["v1.7", "v1.6", "v1.5", "v1.4", "v1.3", "v1.2", "v1.1", "v1.0", "v0.3"]
TREES = ["docs", *RELEASED]
CONFIG_JS = """module.exports = {
  url: "https://docs.harvesterhci.io",
  presets: [["classic", { docs: {
    routeBasePath: "/",
    lastVersion: "v1.7",
    versions: {
      current: {label: 'v1.8 (Dev)', path: 'v1.8'},
      "v1.7": {label: 'v1.7 (Latest)', path: 'v1.7'},
    },
  }}]],
};
"""


def _tree_dir(root: Path, tree: str) -> Path:
    return root / "docs" if tree == "docs" else root / "versioned_docs" / f"version-{tree}"


def _page_path(tree: str) -> str:
    return "glossary.md" if tree in ("v0.3", "v1.0", "v1.1") else "getting-started/glossary.md"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SHARED_GLOSSARY.is_dir():
        pytest.skip(NO_SHARED)
    root = tmp_path_factory.mktemp("harvester-docs")
    (root / "docusaurus.config.js").write_text(CONFIG_JS, encoding="utf-8")
    (root / "versions.json").write_text(json.dumps(RELEASED), encoding="utf-8")
    for tree in TREES:
        source = SHARED_GLOSSARY / ("harvester-v1.8-dev.md" if tree == "docs"
                                    else f"harvester-{tree}.md")
        target = _tree_dir(root, tree) / _page_path(tree)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return root


def _check(site: Path, tree: str, text: str, name: str = "page.md",
           project: Project | None = None) -> tuple[list[tuple[str, str]], list[str]]:
    """Write `text` into a tree and analyse it as the CLI does: (findings, terms matched)."""
    path = _tree_dir(site, tree) / "topic" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    project = project or Project(site, use_config_file=False)
    language = "yaml" if name.endswith((".yaml", ".yml")) else "markdown"
    result = analyze(text, language, project.context_for(path))
    return ([(f.code, text[f.start:f.end]) for f in result.findings],
            [o.entry.term for o in result.occurrences])


def _findings(site: Path, tree: str, text: str) -> list[Finding]:
    path = _tree_dir(site, tree) / "topic" / "page.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    project = Project(site, use_config_file=False)
    return list(analyze(text, "markdown", project.context_for(path)).findings)


# version of each tree, and how many entries its page has
PAGE_ENTRIES = {"docs": 20, "v1.7": 15, "v1.6": 6, "v1.5": 20, "v1.4": 6, "v1.3": 6, "v1.2": 6,
                "v1.1": 6, "v1.0": 6, "v0.3": 6}
VERSIONS = {"docs": (1, 8), **{t: (int(t[1]), int(t[3])) for t in RELEASED}}


@pytest.mark.parametrize("tree", TREES)
def test_each_tree_gets_its_own_glossary(site: Path, tree: str) -> None:
    project = Project(site, use_config_file=False)
    path = _tree_dir(site, tree) / "topic" / "page.md"
    context = project.context_for(path)
    assert context.version == VERSIONS[tree]
    glossary = context.compiled.glossary
    page = str(_tree_dir(site, tree) / _page_path(tree))
    from_page = [e for e in glossary.entries if e.source and e.source.path == page]
    assert len(from_page) == PAGE_ENTRIES[tree]
    guest = glossary.entry("guest Kubernetes cluster")
    assert guest is not None and guest.source is not None and guest.source.path == page
    segment = "v1.8" if tree == "docs" else tree
    assert guest.url == (f"https://docs.harvesterhci.io/{segment}/"
                         f"{_page_path(tree).removesuffix('.md')}"
                         "#guest-cluster--guest-kubernetes-cluster")
    assert ("RKE1" in guest.definition) is (tree in ("v0.3", "v1.0", "v1.1", "v1.2", "v1.3",
                                                      "v1.4", "v1.5"))
    assert not project.problems


WITNESS = "Add a witness node to the Harvester cluster.\n"


@pytest.mark.parametrize(("tree", "is_term"),
                         [("docs", True), ("v1.5", True), ("v1.7", False), ("v1.6", False),
                          ("v1.0", False)])
def test_witness_node_is_a_term_only_where_the_page_has_it(site: Path, tree: str,
                                                           is_term: bool) -> None:
    _, terms = _check(site, tree, WITNESS)
    assert ("witness node" in terms) is is_term
    assert "Harvester cluster" in terms


# (text, tree, expected findings): deprecations apply only from their since-version on
DEPRECATION_CASES = [
    ("Set the harvester-mgmt interface.", "v1.0", []),
    ("Set the harvester-mgmt interface.", "v1.1", [("deprecated-term", "harvester-mgmt")]),
    ("Set the harvester-mgmt interface.", "v1.6", [("deprecated-term", "harvester-mgmt")]),
    ("Set the harvester-mgmt interface.", "docs", [("deprecated-term", "harvester-mgmt")]),
    ("Create an RKE1 cluster.", "v1.5", []),
    ("Create an RKE1 cluster.", "v1.6", [("deprecated-term", "RKE1")]),
    ("Use the vip-pools setting.", "v1.1", []),
    ("Use the vip-pools setting.", "v1.2", [("deprecated-term", "vip-pools")]),
    ("Open Advanced > Networks first.", "v1.0", []),
    ("Open Advanced > Networks first.", "v1.7", [("deprecated-term", "Advanced > Networks")]),
    ("Set minFreeDiskSpaceGB in the config.", "v1.4", []),
    ("Set minFreeDiskSpaceGB in the config.", "v1.5",
     [("deprecated-term", "minFreeDiskSpaceGB")]),
    ("Hosts support legacy BIOS boot.", "v1.6", []),
    ("Hosts support legacy BIOS boot.", "v1.7", [("deprecated-term", "legacy BIOS boot")]),
    ("Create a NodeNetwork for each host.", "v1.0", []),
    ("Create a NodeNetwork for each host.", "v1.1", [("deprecated-term", "NodeNetwork")]),
]


@pytest.mark.parametrize(("text", "tree", "expected"), DEPRECATION_CASES)
def test_deprecations_follow_the_tree_version(site: Path, text: str, tree: str,
                                              expected: list[tuple[str, str]]) -> None:
    found, _ = _check(site, tree, text + "\n")
    assert [f for f in found if f[0] == "deprecated-term"] == expected


def test_deprecated_finding_carries_replacement_and_since(site: Path) -> None:
    (finding,) = _findings(site, "v1.6", "Set the harvester-mgmt interface.\n")
    assert finding.replacements == ("mgmt",) and finding.safe_fix
    assert finding.deprecation is not None and finding.deprecation.since == (1, 1)
    assert "since v1.1" in finding.message


def test_yaml_in_a_docs_tree_follows_its_version(site: Path) -> None:
    text = "apiVersion: network.harvesterhci.io/v1beta1\nkind: NodeNetwork\nmetadata:\n  name: a\n"
    assert _check(site, "v1.0", text, "nn.yaml")[0] == []
    assert _check(site, "v1.6", text, "nn.yaml")[0] == [("deprecated-term", "NodeNetwork")]


NEVER_FLAGGED = ("Attach the VM to a VLAN network. Import it as a downstream cluster. "
                 "VLAN networks and downstream clusters are fine.\n")


@pytest.mark.parametrize("tree", TREES)
def test_vlan_network_and_downstream_cluster_are_never_flagged(site: Path, tree: str) -> None:
    assert _check(site, tree, NEVER_FLAGGED)[0] == []


def test_files_outside_a_docs_checkout_use_the_shipped_v1_7(tmp_path: Path) -> None:
    project = Project(tmp_path, use_config_file=False)
    path = tmp_path / "notes" / "a.md"
    context = project.context_for(path)
    assert context.version == (1, 7)
    glossary = context.compiled.glossary
    from_page = [e for e in glossary.entries
                 if e.source and e.source.path.endswith("harvester-v1.7.md")]
    assert len(from_page) == 15
    assert glossary.entry("witness node") is None
    assert glossary.entry("mgmt") is not None
    text = "Set harvester-mgmt on the witness node.\n"
    result = analyze(text, "markdown", context)
    assert [(f.code, text[f.start:f.end]) for f in result.findings] == [
        ("deprecated-term", "harvester-mgmt")]


def test_glossary_version_setting_picks_a_tree(site: Path) -> None:
    (site / ".harvester-glossary.yaml").write_text("glossaryVersion: v1.0\n", encoding="utf-8")
    try:
        project = Project(site)
        assert not project.problems
        found, terms = _check(site, "docs", "Set harvester-mgmt on the witness node.\n",
                              project=project)
        assert found == []  # v1.0 rules: harvester-mgmt is still the name
        assert "witness node" not in terms
    finally:
        (site / ".harvester-glossary.yaml").unlink()


def test_tree_without_a_glossary_page_uses_the_shipped_page(site: Path) -> None:
    bare = site / "versioned_docs" / "version-v1.9"
    bare.mkdir()
    try:
        project = Project(site, use_config_file=False)
        context = project.context_for(bare / "x.md")
        assert context.version == (1, 9)
        assert len([e for e in context.compiled.glossary.entries
                    if e.source and e.source.path.endswith("harvester-v1.7.md")]) == 15
    finally:
        bare.rmdir()


def test_the_real_corpus_checkout(shared: Path) -> None:
    """The corpus is harvester/docs at 85110898: docs/ is v1.7 (Dev) there, v1.6 is released,
    and both trees still carry the 6-term page."""
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    project = Project(CORPUS, use_config_file=False)
    for tree, version in (("docs", (1, 7)), ("versioned_docs/version-v1.6", (1, 6))):
        context = project.context_for(CORPUS / tree / "vm" / "create-vm.md")
        assert context.version == version
        page = str(CORPUS / tree / "getting-started" / "glossary.md")
        assert len([e for e in context.compiled.glossary.entries
                    if e.source and e.source.path == page]) == 6


TRUNK = ("apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n"
         "  labels:\n    network.harvesterhci.io/type: L2VlanTrunkNetwork\n")


@pytest.mark.parametrize(("tree", "has_trunk"), [("docs", True), ("v1.5", True), ("v1.7", False)])
def test_yaml_rules_map_to_the_trees_terms(site: Path, tree: str, has_trunk: bool) -> None:
    """The overlay's label rule for trunk networks needs the tree's page to define the term."""
    _, terms = _check(site, tree, TRUNK, "nad.yaml")
    assert ("VLAN trunk network" in terms) is has_trunk
    assert "VM network" in terms
