"""Names from display headings and titles ("A/B", "X (Y)") and Hugo/Goldmark heading anchors.

The rules are stated in `engine/parsers/names.py`; each case here is one rule at work. The real
headings come from every Longhorn `terminology.md` and the Kubernetes sample titles in ../shared.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harvester_glossary_ls.engine.parsers.names import (
    DisplayNames,
    GoldmarkIds,
    goldmark_slug,
    is_abbreviation,
    plain_heading_text,
    split_display_name,
    split_slash_word,
)

# ../shared sits beside the repository in the project workspace, not in every checkout: the tests
# that read it skip with a reason when it is absent (as conftest.py's `shared` fixture does).
SHARED = Path(__file__).resolve().parents[2] / "shared"
NO_SHARED = f"{SHARED} is absent (the Longhorn corpus and glossary samples live there)"
LONGHORN_DOCS = SHARED / "corpus" / "longhorn-website" / "content" / "docs"
K8S_SAMPLE = SHARED / "glossary" / "kubernetes-sample"
TERMINOLOGY_PAGES = sorted(LONGHORN_DOCS.glob("*/terminology.md")) if LONGHORN_DOCS.is_dir() else []


def shared_params(paths: list[Path]) -> list[object]:
    """One case per shared file, or one skipped case saying why when ../shared is absent."""
    if not paths:
        return [pytest.param(None, marks=pytest.mark.skip(reason=NO_SHARED), id="no-shared")]
    return [pytest.param(p, id=p.parent.name) for p in paths]


# --- markup --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "plain"),
    [
        ("**Backup Target**", "Backup Target"),
        ("**guest cluster** / **guest Kubernetes cluster**",
         "guest cluster / guest Kubernetes cluster"),
        ("[CRD](#crd)", "CRD"),
        ("`kubectl`", "kubectl"),
        ("*Replica*", "Replica"),
        ("snake_case_name", "snake_case_name"),
        ("Volume <sup>beta</sup>", "Volume beta"),
        (r"A \* B", "A * B"),
        ("Thin Provisioning {#thin}", "Thin Provisioning"),
        ("Term:", "Term"),
        ("  spaced   out  ", "spaced out"),
    ],
)
def test_plain_heading_text(heading: str, plain: str) -> None:
    assert plain_heading_text(heading) == plain


# --- rule 1 and 3: slashes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "alternatives"),
    [
        ("Attach/Reattach", ("Attach", "Reattach")),
        ("SMB/CIFS", ("SMB", "CIFS")),
        ("RWO/RWX/RWOP", ("RWO", "RWX", "RWOP")),
        ("I/O", ("I/O",)),  # one-letter sides
        ("TCP/IP", ("TCP/IP",)),  # a two-letter side: one name
        ("CI/CD", ("CI/CD",)),
        ("PV/PVC", ("PV/PVC",)),
        ("a/b/c.yaml", ("a/b/c.yaml",)),  # a path
        ("/dev/sda", ("/dev/sda",)),  # an empty side
        ("Read/Write", ("Read/Write",)),  # a known compound
        ("v1/v2", ("v1/v2",)),
        ("Backup Target/Store", ("Backup Target/Store",)),  # spaces: the slash's reach is unclear
        ("Snapshot", ("Snapshot",)),
    ],
)
def test_split_slash_word(word: str, alternatives: tuple[str, ...]) -> None:
    assert split_slash_word(word) == alternatives


# --- rule 2: abbreviations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("CRI", "Container Runtime Interface"),
        ("cgroup", "control group"),
        ("RBAC", "Role-Based Access Control"),
        ("DR volume", "Disaster Recovery Volumes"),
        ("PVC", "PersistentVolumeClaim"),
        ("STS", "StatefulSet"),
        ("QoS", "Quality of Service"),
        ("K8s", "Kubernetes"),
        ("kube-apiserver", "Kubernetes API server"),
        ("HPA", "Horizontal Pod Autoscaler"),
        ("U.S.", "United States"),
        ("DR volumes", "Disaster Recovery Volume"),
    ],
)
def test_is_abbreviation(short: str, long: str) -> None:
    assert is_abbreviation(short, long)


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("Kubernetes Concept", "Volumes"),
        ("Volumes", "Kubernetes Concept"),
        ("Backup", "Backup Volume"),  # a shared word is no abbreviation
        ("Vol", "Volume"),  # one word: too easy to be chance
        ("v2", "Node"),
        ("deprecated", "Pod"),
        ("RWO", "Access Mode"),
        ("CRI", "CRI"),
        ("Container Runtime Interface", "CRI"),  # the long form is not an abbreviation
        ("K9s", "Kubernetes"),
        ("", "Volume"),
    ],
)
def test_is_not_abbreviation(short: str, long: str) -> None:
    assert not is_abbreviation(short, long)


# --- split_display_name --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "names", "qualifiers"),
    [
        ("Backup Target", ("Backup Target",), ()),
        ("Attach/Reattach", ("Attach", "Reattach"), ()),
        ("SMB/CIFS", ("SMB", "CIFS"), ()),
        ("SMB / CIFS", ("SMB", "CIFS"), ()),
        ("**guest cluster** / **guest Kubernetes cluster**",
         ("guest cluster", "guest Kubernetes cluster"), ()),
        ("I/O", ("I/O",), ()),
        ("TCP/IP", ("TCP/IP",), ()),
        ("Container Runtime Interface (CRI)", ("Container Runtime Interface", "CRI"), ()),
        ("cgroup (control group)", ("cgroup", "control group"), ()),
        ("RBAC (Role-Based Access Control)", ("RBAC", "Role-Based Access Control"), ()),
        ("Disaster Recovery Volumes (DR volume)", ("Disaster Recovery Volumes", "DR volume"), ()),
        ("Volumes (Kubernetes Concept)", ("Volumes",), ("Kubernetes Concept",)),
        ("Pod (deprecated)", ("Pod",), ("deprecated",)),
        ("Node (v2)", ("Node",), ("v2",)),
        ("PersistentVolume (PV, PVs)", ("PersistentVolume", "PV", "PVs"), ()),
        ("PersistentVolume (PV, storage)", ("PersistentVolume",), ("PV, storage",)),
        ("Kubectl (aka kubectl)", ("Kubectl", "kubectl"), ()),  # a case-only spelling is kept
        ("CRI / CRI", ("CRI",), ()),
        ("Dashboard (also known as the UI)", ("Dashboard", "the UI"), ()),
        ("Node Driver (or docker-machine driver)", ("Node Driver", "docker-machine driver"), ()),
        ("SMB/CIFS (Server Message Block)", ("SMB", "CIFS", "Server Message Block"), ()),
        ("Foo (bar) Baz", ("Foo (bar) Baz",), ()),  # a parenthesis inside the name stays
        ("Backup (Backup Volume)", ("Backup",), ("Backup Volume",)),
        ("", (), ()),
        ("**  **", (), ()),
    ],
)
def test_split_display_name(title: str, names: tuple[str, ...],
                            qualifiers: tuple[str, ...]) -> None:
    split = split_display_name(title)
    assert split == DisplayNames(names, qualifiers)
    assert split.term == (names[0] if names else "")
    assert split.aliases == names[1:]


# --- goldmark anchors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "anchor"),
    [
        ("Attach/Reattach", "attachreattach"),
        ("Disaster Recovery Volumes (DR volume)", "disaster-recovery-volumes-dr-volume"),
        ("Volumes (Kubernetes Concept)", "volumes-kubernetes-concept"),
        ("Block-Type Disks", "block-type-disks"),
        ("**Backup Target**", "backup-target"),  # source text: the stars just vanish
        ("[CRD](https://k8s.io/crd)", "crdhttpsk8siocrd"),  # Goldmark slugs the source
        ("`kube-proxy`", "kube-proxy"),
        ("Two  spaces", "two--spaces"),
        ("Tab\there", "tab-here"),
        ("Longhorn's Engine", "longhorns-engine"),
        ("snake_case", "snake_case"),
        ("Ünïcode Wörds", "ünïcode-wörds"),
        ("日本語 ok", "日本語-ok"),
        ("V2 Data Engine", "v2-data-engine"),
        ("What? Really!", "what-really"),
        ("ends with dash-", "ends-with-dash-"),
    ],
)
def test_goldmark_slug(raw: str, anchor: str) -> None:
    assert goldmark_slug(raw) == anchor


def test_goldmark_ids_number_repeats_and_respect_explicit_ids() -> None:
    ids = GoldmarkIds()
    ids.put("backup-1")
    assert [ids.generate(raw) for raw in ("Backup", "Backup", "Backup", "?!", "")] == [
        "backup", "backup-2", "backup-3", "heading", "heading-1"]


# --- the real headings in ../shared --------------------------------------------------------------

# Every Longhorn terminology heading that gives more than one name or drops a qualifier; the
# other 43 give exactly their own text.
LONGHORN_SPLITS = {
    "Attach/Reattach": DisplayNames(("Attach", "Reattach")),
    "Disaster Recovery Volumes (DR volume)": DisplayNames(
        ("Disaster Recovery Volumes", "DR volume")),
    "SMB/CIFS": DisplayNames(("SMB", "CIFS")),
    "Volumes (Kubernetes Concept)": DisplayNames(("Volumes",), ("Kubernetes Concept",)),
}


def _headings(page: Path) -> list[str]:
    return re.findall(r"^### (.+?)\s*$", page.read_text(encoding="utf-8"), re.MULTILINE)


@pytest.mark.parametrize("page", shared_params(TERMINOLOGY_PAGES))
def test_longhorn_terminology_headings(page: Path) -> None:
    headings = _headings(page)
    assert len(headings) == 47
    for heading in headings:
        expected = LONGHORN_SPLITS.get(heading, DisplayNames((heading,)))
        assert split_display_name(heading) == expected, heading


@pytest.mark.parametrize("page", shared_params(TERMINOLOGY_PAGES))
def test_longhorn_toc_links_are_goldmark_anchors(page: Path) -> None:
    """The page's own table of contents links each heading by the id Hugo gave it."""
    text = page.read_text(encoding="utf-8")
    toc = re.findall(r"^- \[(.+)\]\(#(.+)\)$", text, re.MULTILINE)
    assert len(toc) == 47
    ids = GoldmarkIds()
    assert [(label, ids.generate(label)) for label, _ in toc] == toc
    assert [label for label, _ in toc] == _headings(page)


K8S_TITLES = {
    "cgroup (control group)": ("cgroup", "control group"),
    "Cluster": ("Cluster",),
    "CustomResourceDefinition": ("CustomResourceDefinition",),
    "Dockershim": ("Dockershim",),
    "Horizontal Pod Autoscaler": ("Horizontal Pod Autoscaler",),
}


def test_kubernetes_sample_titles() -> None:
    if not K8S_SAMPLE.is_dir():
        pytest.skip(f"{K8S_SAMPLE} is absent (the shared glossary samples live in ../shared)")
    titles = {}
    for page in sorted(K8S_SAMPLE.glob("*.md")):
        match = re.search(r"^title:\s*(.+?)\s*$", page.read_text(encoding="utf-8"), re.MULTILINE)
        if match:
            titles[match.group(1).strip("'\"")] = split_display_name(match.group(1).strip("'\""))
    assert {title: split.names for title, split in titles.items()} == K8S_TITLES
    assert all(not split.qualifiers for split in titles.values())
