"""`term-casing` and `term-spelling` against what a glossary asserts (issue 9, items 1 and 2).

Small documents checked with `analyze` against small glossaries of each shape: a Longhorn-style
page of `### Title` headings and Kubernetes-style term pages (display titles, casing "asserted"),
a Docusaurus `## **term**` page (strict, as the Harvester page has always been read) and our YAML
format with per-entry and per-glossary `casing:` overrides. Each case lists the exact findings as
(code, text as written).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harvester_glossary_ls.engine.analysis import CompiledGlossary
from harvester_glossary_ls.engine.loader import load_source, merge
from harvester_glossary_ls.engine.models import Entry, Finding, Glossary
from harvester_glossary_ls.engine.rule_codes import CASING, SPELLING
from tests.glossary_testkit import analyse

C, S = CASING, SPELLING

HEADING_PAGE = """---
title: Terminology
---

### Backup Target
The backup target is the endpoint Longhorn uses to reach a backupstore.

### ConfigMap
A Kubernetes object that holds configuration, such as the settings of Longhorn.

### Disaster Recovery Volumes (DR volume)
A volume that keeps the latest backup of another cluster's volume.

### Kubelet
The agent that runs on each node of a cluster.

### kubectl
The command-line tool that talks to the API server.

### Longhorn Manager
The control plane component of Longhorn.

### Name
What an object is called.

### Image
A disk image used to create volumes.

### Snapshot
A point-in-time state of a volume.

### Persistent Volume Claim
A request for storage by a user.

### V2 Data Engine
The data plane of Longhorn built on SPDK.

### S3
Amazon's object storage service, and the API many backup targets speak.
"""

DOCUSAURUS_PAGE = """---
id: glossary
title: Glossary
---

## **Harvester cluster**

A cluster of Harvester hosts.

## **VM network**

A network for virtual machines.

## **mgmt**

The built-in cluster network.

## **Backup**

A copy of a volume.
"""

YAML_GLOSSARY = """entries:
  - term: API resource
    aliases: [Resource]
    casing: asserted
    definition: An endpoint of the Kubernetes API.
  - term: Live Migration
    casing: ignore
    definition: Moving a running virtual machine.
  - term: StorageClass
    definition: A class of storage.
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _compiled(path: Path, **options: str) -> CompiledGlossary:
    result = load_source(path, **options)
    assert not result.problems, result.problems
    return CompiledGlossary.build(merge([result]))


@pytest.fixture(scope="module")
def glossaries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CompiledGlossary]:
    root = tmp_path_factory.mktemp("glossaries")
    terms = root / "terms"
    _write(terms / "kubectl.md", "---\ntitle: Kubectl\nid: kubectl\nshort_description: >\n"
           "  The command-line tool.\naka:\n- kubectl\n---\nThe command-line tool.\n")
    _write(terms / "static-pod.md", "---\ntitle: Static Pod\nid: static-pod\n"
           "short_description: >\n  A pod managed by the kubelet.\n---\nA pod.\n")
    _write(terms / "cri.md", "---\ntitle: Container Runtime Interface (CRI)\nid: cri\n"
           "short_description: >\n  The runtime API.\n---\nThe runtime API.\n")
    return {
        "headings": _compiled(_write(root / "terminology.md", HEADING_PAGE)),
        "headings-ignored": _compiled(root / "terminology.md", casing="ignore"),
        "headings-strict": _compiled(root / "terminology.md", casing="strict"),
        "docusaurus": _compiled(_write(root / "glossary.md", DOCUSAURUS_PAGE)),
        "yaml": _compiled(_write(root / "team.yaml", YAML_GLOSSARY)),
        "term-pages": _compiled(terms),
    }


def _findings(glossaries: dict[str, CompiledGlossary], name: str, text: str
              ) -> list[tuple[str, str]]:
    result = analyse(text + "\n", compiled=glossaries[name], version=None)
    return [(f.code, result.text[f.start:f.end]) for f in result.findings]


def _full(glossaries: dict[str, CompiledGlossary], name: str, text: str) -> list[Finding]:
    return list(analyse(text + "\n", compiled=glossaries[name], version=None).findings)


CASES: list[tuple[str, str, list[tuple[str, str]]]] = [
    # Display titles: a Title Case heading does not make lower-case prose wrong.
    ("headings", "Longhorn writes each backup to the backup target of the cluster.", []),
    ("headings", "The kubelet on each node restarts the pods of the instance manager.", []),
    ("headings", "We set the Backup target and the backup Target for every one of them.", []),
    ("term-pages", "A static pod is managed by the kubelet, not by the API server.", []),
    # Common words: never a finding as a plain word, whatever the case of the heading.
    ("headings", "Enter the name of the cluster and pick a .png image for the icon.", []),
    ("headings", "Take a snapshot of each volume; the snapshots stay on the replicas.", []),
    ("yaml", "Every resource of the API has a name, and each Resource is listed.", []),
    ("yaml", "Each API resource has a schema; every resource has a kind.", []),
    # Internal capitals are asserted whole.
    ("headings", "Longhorn reads its settings from a Configmap in its namespace.",
     [(C, "Configmap")]),
    ("headings", "Longhorn reads its settings from two configmaps in its namespace.",
     [(C, "configmaps")]),
    ("headings", "Longhorn reads its settings from two ConfigMaps in its namespace.", []),
    # A lower-case first letter is asserted, except at a sentence start.
    ("headings", "Run Kubectl get pods to see the pods of the instance manager.",
     [(C, "Kubectl")]),
    ("headings", "Kubectl get pods shows the pods of the instance manager.", []),
    ("headings", "Run kubectl get pods to see the pods of the instance manager.", []),
    # A deliberate mix ("DR volume"), an acronym with digits ("V2") and a proper noun.
    ("headings", "Each dr volume and each DR Volume keeps the latest backup.",
     [(C, "dr volume"), (C, "DR Volume")]),
    ("headings", "The v2 data engine and the V2 data engine both use SPDK.",
     [(C, "v2 data engine")]),
    ("headings", "Kill all longhorn manager pods and then the Longhorn manager pods.",
     [(C, "longhorn manager")]),
    ("headings", "Each persistent volume claim and each Persistent volume claim is bound.", []),
    # Case-only aliases: "kubectl" (aka) for the title "Kubectl" is the accepted spelling.
    ("term-pages", "Run kubectl apply to create the static pod on the node.", []),
    ("term-pages", "Run Kubectl apply to create the static pod on the node.", [(C, "Kubectl")]),
    # "X (Y)": both names are names; the acronym is asserted.
    ("term-pages", "The container runtime interface (the cri) talks to the runtime.", [(C, "cri")]),
    # Labels and values: a list item or table cell that is only the term, an acronym as a value.
    ("headings", "Resources:\n\n- configMaps\n- secrets\n", []),
    ("headings", "| Feature | V1 | V2 |\n|---|---|---|\n| DR Volume | yes | yes |", []),
    # What a sentence says something is or is set to: the value as written ("is s3.").
    ("headings", "Pass the key if the backup type is s3. Set the target to nfs, or cifs.", []),
    ("headings", "Longhorn stores the s3 credentials in a secret of the namespace.",
     [(C, "s3")]),
    # lowerCamelCase of a CamelCase kind is an API field ("the persistentVolumeClaim of a pod").
    ("headings", "The configMap field names a ConfigMap; a Configmap is something else.",
     [(C, "Configmap")]),
    ("headings", "For the v2 Data Engine, set the CPU mask.", [(C, "v2 Data Engine")]),
    # Strict (a Docusaurus page): every letter, exactly as before.
    ("docusaurus", "Our Harvester Cluster uses a vm network and the MGMT network for all VMs.",
     [(C, "Harvester Cluster"), (C, "vm network"), (C, "MGMT")]),
    ("docusaurus", "Each harvester cluster keeps a backup of every VM Network it uses.",
     [(C, "harvester cluster"), (C, "VM Network")]),
    ("docusaurus", "Mgmt is the built-in network. A BACKUP is a copy; a backup too.",
     [(C, "BACKUP")]),
    # Strict overrides a heading page: its Title Case is then asserted.
    ("headings-strict", "Longhorn writes each backup to the backup target of the cluster.",
     [(C, "backup target")]),
    ("headings-strict", "Enter the name of the cluster and pick a .png image for the icon.", []),
    # `casing: ignore` per glossary and per entry: no casing finding at all.
    ("headings-ignored", "Longhorn reads its settings from a Configmap; Run Kubectl now.", []),
    ("yaml", "Use LIVE MIGRATION and live migration and Live Migration for the VMs.", []),
    ("yaml", "The Storageclass of each volume is set by the admin of the cluster.",
     [(C, "Storageclass")]),
]


@pytest.mark.parametrize(("glossary", "text", "expected"), CASES)
def test_casing_findings(glossaries: dict[str, CompiledGlossary], glossary: str, text: str,
                         expected: list[tuple[str, str]]) -> None:
    assert _findings(glossaries, glossary, text) == expected


@pytest.mark.parametrize(
    ("glossary", "text", "replacement", "message"),
    [
        ("headings", "Longhorn reads its settings from a Configmap in its namespace.",
         "ConfigMap", "The glossary writes 'ConfigMap' (found 'Configmap')"),
        ("headings", "Longhorn reads its settings from two CONFIGMAPS in its namespace.",
         "ConfigMaps", "The glossary writes 'ConfigMap' (found 'CONFIGMAPS')"),
        ("headings", "Run Kubectl get pods to see the pods of the instance manager.",
         "kubectl", "The glossary writes 'kubectl' (found 'Kubectl')"),
        # Only the asserted letters change, and the message names what is asserted.
        ("headings", "Kill all longhorn manager pods and wait for them to restart.",
         "Longhorn manager",
         "The glossary writes 'Longhorn' as in 'Longhorn Manager' (found 'longhorn manager')"),
        ("headings", "The v2 data\nengine uses SPDK for all of the volumes on the node.",
         "V2 data\nengine",
         "The glossary writes 'V2' as in 'V2 Data Engine' (found 'v2 data engine')"),
        ("headings", "Each dr volumes keeps the latest backup of another volume.",
         "DR volumes", "The glossary writes 'DR volume' (found 'dr volumes')"),
        ("docusaurus", "Our Harvester Cluster has all of the hosts of the team.",
         "Harvester cluster",
         "The glossary writes 'Harvester cluster' (found 'Harvester Cluster')"),
    ],
)
def test_fix_and_message(glossaries: dict[str, CompiledGlossary], glossary: str, text: str,
                         replacement: str, message: str) -> None:
    (finding,) = _full(glossaries, glossary, text)
    assert finding.code == C and finding.safe_fix
    assert finding.replacements == (replacement,)
    assert finding.message == message and "\n" not in finding.message


def test_plain_word_terms_still_hover(glossaries: dict[str, CompiledGlossary]) -> None:
    """A common-word term is no finding in plain use, but it is still an occurrence (hover)."""
    text = "Enter the name of the cluster and take a snapshot of the image.\n"
    result = analyse(text, compiled=glossaries["headings"], version=None)
    assert not result.findings
    assert [o.entry.term for o in result.occurrences] == ["Name", "Snapshot", "Image"]


SPELLING_GLOSSARY = """entries:
  - term: Snapshot
  - term: guest cluster
  - term: Backup Target
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A near-miss of a multi-word term is still reported.
        ("Deploy the guest clsuter on the hosts before the upgrade starts.",
         [(S, "guest clsuter")]),
        # Never one whose target is an ordinary-word term written as a plain word.
        ("Take a snap shot of the volume before the upgrade of the cluster.", []),
        ("Snap shot each volume before the upgrade of the cluster starts.", []),
    ],
)
def test_spelling_skips_plain_word_targets(tmp_path: Path, text: str,
                                           expected: list[tuple[str, str]]) -> None:
    compiled = _compiled(_write(tmp_path / "g.yaml", SPELLING_GLOSSARY))
    result = analyse(text + "\n", compiled=compiled, version=None)
    assert [(f.code, text[f.start:f.end]) for f in result.findings] == expected


def test_product_name_is_a_proper_noun() -> None:
    """`CompiledGlossary.build(..., product=...)`: the site's product keeps its capital in a
    display title even when no definition says so."""
    entry = Entry("Longhorn Engine", definition="The data plane.", casing="asserted",
                  display_names=("Longhorn Engine",), glossary="Terminology")
    text = "Every longhorn engine serves one volume on the node of the cluster.\n"
    plain = CompiledGlossary.build(Glossary((entry,)))
    assert not analyse(text, compiled=plain, version=None).findings
    product = CompiledGlossary.build(Glossary((entry,)), product="longhorn")
    (finding,) = analyse(text, compiled=product, version=None).findings
    assert finding.replacements == ("Longhorn engine",)


def test_casing_is_built_once_per_glossary(glossaries: dict[str, CompiledGlossary]) -> None:
    compiled = glossaries["headings"]
    entry = compiled.glossary.entries[0]
    assert compiled.casing.of(entry) is compiled.casing.of(entry)
