"""The YAML scanner: comments and string values are prose, keys are not; kind/key/label rules
of the shipped overlay become structural occurrences; broken YAML and Helm templates are fine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester_glossary_ls.engine.models import OccurrenceKind
from harvester_glossary_ls.engine.scan import LineKind
from harvester_glossary_ls.engine.scan_yaml import scan_yaml
from tests.glossary_testkit import CORPUS_YAML, analyse, findings, shared_params


def occurrences(text: str, **options: object) -> list[tuple[str, str, str]]:
    """(text as written, occurrence kind, entry term)."""
    result = analyse(text, "yaml", **options)  # type: ignore[arg-type]
    return [(text[o.start:o.end], o.kind.value, o.entry.term) for o in result.occurrences]


PROSE = [
    ("comment", "# The guest cluster config\nkey: 1\n", ["guest cluster"]),
    ("trailing-comment", "key: value # on the guest cluster\n", ["guest cluster"]),
    ("plain-value", "note: the guest cluster runs here\n", ["guest cluster"]),
    ("quoted-values", "a: 'the guest cluster'\nb: \"a guest cluster\"\n",
     ["guest cluster", "guest cluster"]),
    ("hash-inside-quotes", "a: 'x # guest cluster'\n", ["guest cluster"]),
    ("sequence-items", "list:\n  - the guest cluster item\n  - key: guest cluster\n",
     ["guest cluster", "guest cluster"]),
    ("literal-block", "a: |\n  The guest cluster block\n  second line\nb: c\n",
     ["guest cluster"]),
    ("folded-block", "a: >-\n  A guest\n  cluster folded\n", []),  # lines are not joined
    ("after-document-marker", "---\n# guest cluster\n...\n", ["guest cluster"]),
]

NOT_PROSE = [
    ("key", "guest cluster: value\n"),
    ("nested-key", "spec:\n  guest cluster:\n    x: 1\n"),
    ("quoted-key", "'guest cluster': 1\n"),
    ("anchor", "a: &guest cluster\n"),
    ("alias", "a: *guest cluster\n"),
    ("tag", "a: !guest cluster\n"),
    ("flow-mapping", "a: {b: guest cluster}\n"),
    ("flow-sequence", "a: [guest cluster]\n"),
    ("url-value", "url: https://x.io/guest cluster\n"),
    ("url-in-comment", "# see https://x.io/harvester-mgmt\n"),
    ("helm-template", "a: {{ .Values.guest cluster }}\n"),
    ("helm-line", "{{- if .Values.guest cluster }}\n"),
    ("directive", "%YAML 1.2\n"),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in PROSE])
def test_prose(text: str, expected: list[str]) -> None:
    assert [o[0] for o in occurrences(text)] == expected


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in NOT_PROSE])
def test_not_prose(text: str) -> None:
    assert occurrences(text) == []


NET = "apiVersion: network.harvesterhci.io/v1beta1\n"
SETTING = "apiVersion: harvesterhci.io/v1beta1\nkind: Setting\nmetadata:\n  name: "
NAD = "apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n"

# (YAML, structural occurrences as (text, term), findings as (code, text))
RULES = [
    ("cluster-network", NET + "kind: ClusterNetwork\nmetadata:\n  name: data\n",
     [("ClusterNetwork", "cluster network")], []),
    ("mgmt-cluster-network", NET + "kind: ClusterNetwork\nmetadata:\n  name: mgmt\n",
     [("ClusterNetwork", "cluster network"), ("mgmt", "mgmt")], []),
    ("vlanconfig", NET + "kind: VlanConfig\nspec:\n  clusterNetwork: data\n",
     [("VlanConfig", "network configuration"), ("clusterNetwork", "cluster network")], []),
    ("cluster-network-key-needs-its-kinds", "kind: Pod\nspec:\n  clusterNetwork: data\n", [], []),
    ("node-network-deprecated", NET + "kind: NodeNetwork\nmetadata:\n  name: a\n",
     [("NodeNetwork", "network configuration")], [("deprecated-term", "NodeNetwork")]),
    ("storage-network-setting", SETTING + "storage-network\nvalue: '{\"vlan\":100}'\n",
     [("storage-network", "storage network")], []),
    ("vm-migration-network-setting", SETTING + "vm-migration-network\n",
     [("vm-migration-network", "VM migration network")], []),
    ("vip-pools-setting-deprecated", SETTING + "vip-pools\n",
     [("vip-pools", "IP pool")], [("deprecated-term", "vip-pools")]),
    ("other-setting", SETTING + "ui-index\n", [], []),
    ("nad-labels", NAD + "  labels:\n    network.harvesterhci.io/type: L2VlanNetwork\n"
                         "    network.harvesterhci.io/clusternetwork: cn-data\n  name: vm100\n",
     [("NetworkAttachmentDefinition", "VM network"), ("L2VlanNetwork", "VM network"),
      ("network.harvesterhci.io/clusternetwork", "cluster network")], []),
    # "VLAN trunk network" is a term from v1.8 (and the v1.5 backport), not in the shipped v1.7
    ("nad-trunk", NAD + "  labels:\n    network.harvesterhci.io/type: L2VlanTrunkNetwork\n",
     [("NetworkAttachmentDefinition", "VM network")], []),
    ("label-outside-labels-is-not-a-label", "spec:\n  network.harvesterhci.io/type: x\n", [],
     []),
    ("vm-network-name", "kind: VirtualMachine\nspec:\n  template:\n    spec:\n      networks:\n"
                        "      - name: nic-1\n        multus:\n          networkName: default/n\n",
     [("networkName", "VM network")], []),
    ("install-config", "install:\n  management_interface:\n    interfaces:\n    - name: ens5\n",
     [("management_interface", "mgmt")], []),
    ("old-install-config", "install:\n  networks:\n    harvester-mgmt:\n      interfaces: []\n",
     [("harvester-mgmt", "mgmt")], [("deprecated-term", "harvester-mgmt")]),
    ("upgrade-config", "upgrade:\n  minFreeDiskSpaceGB: 30\n",
     [("minFreeDiskSpaceGB", "skipGarbageCollectionThresholdCheck")],
     [("deprecated-term", "minFreeDiskSpaceGB")]),
    ("migration", "apiVersion: kubevirt.io/v1\nkind: VirtualMachineInstanceMigration\n",
     [("VirtualMachineInstanceMigration", "live migration")], []),
    ("multi-document", "kind: NodeNetwork\n---\n" + NET + "kind: ClusterNetwork\nmetadata:\n"
                       "  name: mgmt\n",
     [("NodeNetwork", "network configuration"), ("ClusterNetwork", "cluster network"),
      ("mgmt", "mgmt")], [("deprecated-term", "NodeNetwork")]),
    ("broken-yaml", "kind: ClusterNetwork\nmetadata: {name: mgmt\n  broken: [\n"
                    "# a guest cluster comment\n",
     [("ClusterNetwork", "cluster network")], []),
    ("kubectl-prompt-in-block", "$ kubectl apply -f -\nkind: VlanConfig\n// select nodes\n"
                                "spec:\n  clusterNetwork: data\n...\n",
     [("VlanConfig", "network configuration"), ("clusterNetwork", "cluster network")], []),
]


@pytest.mark.parametrize(("text", "structural", "expected"),
                         [pytest.param(t, s, f, id=i) for i, t, s, f in RULES])
def test_yaml_rules(text: str, structural: list[tuple[str, str]],
                    expected: list[tuple[str, str]]) -> None:
    found = [(t, term) for t, kind, term in occurrences(text) if kind == "yaml"]
    assert found == structural
    assert findings(text, "yaml") == expected


def test_deprecated_yaml_rule_finding() -> None:
    text = NET + "kind: NodeNetwork\n"
    result = analyse(text, "yaml")
    (finding,) = result.findings
    assert finding.code == "deprecated-term"
    assert finding.replacements == ("ClusterNetwork and VlanConfig",)
    assert not finding.safe_fix  # two resources replace one: a human decides
    assert "NodeNetwork CRD was removed" in finding.message
    occurrence = result.occurrences[0]
    assert occurrence.kind == OccurrenceKind.YAML and occurrence.rule is not None


def test_yaml_rules_respect_the_version() -> None:
    text = NET + "kind: NodeNetwork\n"
    assert findings(text, "yaml", version=(1, 0)) == []
    assert findings(text, "yaml", version=(1, 1)) == [("deprecated-term", "NodeNetwork")]


HELM = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "harvester.fullname" . }}
  labels:
{{ include "harvester.labels" . | indent 4 }}
data:
  note: {{ .Values.note | quote }} on the guest cluster
{{- if .Values.legacy }}
  iface: harvester-mgmt
{{- end }}
  {{- range .Values.items }}
  - {{ . }}
  {{- end }}
"""


def test_helm_templates() -> None:
    assert [o[0] for o in occurrences(HELM)] == ["guest cluster", "harvester-mgmt"]
    assert findings(HELM, "yaml") == [("deprecated-term", "harvester-mgmt")]


def test_scan_kinds_per_line() -> None:
    text = "# comment\nkey: value\nother:\n  - item\n\n"
    scan = scan_yaml(text)
    assert [LineKind(k) for k in scan.kinds] == [
        LineKind.COMMENT, LineKind.VALUE, LineKind.OTHER, LineKind.VALUE, LineKind.BLANK,
        LineKind.BLANK]
    assert len(scan.match_text) == len(text)


@pytest.mark.parametrize("path", shared_params(CORPUS_YAML.rglob("*.yaml")
                                               if CORPUS_YAML.is_dir() else []))
def test_real_crds_scan_cleanly(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    result = analyse(text, "yaml")
    assert len(result.scan.match_text) == len(text)
    for occurrence in result.occurrences:
        line = text.split("\n")[result.scan.lines.line_of(occurrence.start)]
        # never a key, never a URL
        assert not line.strip().startswith(occurrence.text + ":"), line
        assert "://" not in line[:line.find(occurrence.text)] or occurrence.kind.value == "yaml"


def test_nodenetworks_crd(shared: Path) -> None:
    """The deprecated NodeNetwork CRD (network-controller-harvester@de0f828b): its kind and its
    resource names are the deprecated API, each reported once with the replacement."""
    path = (CORPUS_YAML / "network-controller-harvester"
            / "network.harvesterhci.io_nodenetworks.yaml")
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    text = path.read_text(encoding="utf-8")
    result = analyse(text, "yaml")
    lines = text.split("\n")
    got = [(result.scan.lines.line_of(f.start) + 1, f.code, text[f.start:f.end])
           for f in result.findings]
    assert got == [
        (12, "deprecated-term", "NodeNetwork"),  # spec.names.kind
        (14, "deprecated-term", "nodenetworks"),  # spec.names.plural
        (18, "deprecated-term", "nodenetwork"),  # spec.names.singular
    ]
    assert lines[11].strip() == "kind: NodeNetwork"
    assert lines[33].strip() == "deprecated: true"
    assert all(f.replacements == ("ClusterNetwork and VlanConfig",) for f in result.findings)
    # a CRD is not a NodeNetwork object: no structural kind hit
    assert not [o for o in result.occurrences if o.kind == OccurrenceKind.YAML]


def test_other_crds_give_no_findings(shared: Path) -> None:
    folder = CORPUS_YAML / "network-controller-harvester"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    for path in sorted(folder.glob("*.yaml")):
        if "nodenetworks" in path.name:
            continue
        assert analyse(path.read_text(encoding="utf-8"), "yaml").findings == (), path.name


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(
    [*"-:[]{}&*!|>#'\" \n\t", "kind: ", "NodeNetwork", "{{ x }}", "guest cluster", "  ",
     "labels:\n", "---\n", "metadata:\n  name: mgmt\n", "\u00e9"]), max_size=40).map("".join))
def test_never_raises(text: str) -> None:
    result = analyse(text, "yaml")
    assert len(result.scan.match_text) == len(text)
