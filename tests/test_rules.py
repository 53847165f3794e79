"""Rules, data-driven: a text goes in, `(code, text as written)` findings come out.

deprecated-term (warning), term-casing (information), term-spelling (hint), and the suppression
comments that turn them off in Markdown and YAML.
"""

from __future__ import annotations

import pytest

from harvester_glossary_ls.engine.models import Severity
from harvester_glossary_ls.engine.rule_codes import CASING, DEPRECATED, SPELLING, RuleSettings
from harvester_glossary_ls.engine.rules import expected_spelling
from tests.glossary_testkit import findings, full_findings

D, C, S = DEPRECATED, CASING, SPELLING

DEPRECATION_CASES = [
    ("Set the harvester-mgmt interface on each node.", [(D, "harvester-mgmt")]),
    ("Open Advanced > Networks to add one.", [(D, "Advanced > Networks")]),
    ("Set the vip-pools setting for the load balancer.", [(D, "vip-pools")]),
    ("Guest clusters on RKE1 need an upgrade path.", [(D, "RKE1")]),
    ("Set minFreeDiskSpaceGB to 30 for the upgrade.", [(D, "minFreeDiskSpaceGB")]),
    ("Boot the host with legacy BIOS boot mode.", [(D, "legacy BIOS boot")]),
    ("Create one NodeNetwork for each host in the cluster.", [(D, "NodeNetwork")]),
    # the sentence explains the deprecation: not a slip
    ("The harvester-mgmt interface was renamed to mgmt in v1.1.", []),
    ("The vip-pools setting is deprecated; use IP pools.", []),
    ("RKE1 is no longer supported for guest clusters.", []),
    ("Previously called harvester-mgmt, it is mgmt now. Set harvester-mgmt here.",
     [(D, "harvester-mgmt")]),
    ("Use IP pools instead of vip-pools for the load balancer.", []),
    # never deprecations (ARCHITECTURE.md facts-3)
    ("Attach the virtual machine to a VLAN network on the downstream cluster.", []),
    ("A VLAN Network and downstream clusters are both fine here today.", []),
    # the current names are fine
    ("The mgmt cluster network uses the IP pools and RKE2 and UEFI boot.", []),
]


@pytest.mark.parametrize(("text", "expected"), DEPRECATION_CASES)
def test_deprecated_term(text: str, expected: list[tuple[str, str]]) -> None:
    assert findings(text + "\n") == expected


def test_deprecated_finding_details() -> None:
    (finding,) = full_findings("Set the harvester-mgmt interface on each node.\n")
    assert finding.severity == Severity.WARNING
    assert finding.replacements == ("mgmt",) and finding.safe_fix
    assert finding.message == "'harvester-mgmt' is deprecated since v1.1: use 'mgmt'"
    assert finding.entry.term == "mgmt"
    assert finding.deprecation is not None and finding.deprecation.source
    (rke1,) = full_findings("Guest clusters on RKE1 need an upgrade path.\n")
    assert rke1.replacements == ("RKE2", "K3s") and not rke1.safe_fix
    assert rke1.message == "'RKE1' is deprecated since v1.6: use 'RKE2' or 'K3s'"
    (node_network,) = full_findings("Create one NodeNetwork for each host in the cluster.\n")
    assert "(the NodeNetwork CRD was removed in Harvester v1.2)" in node_network.message


CASING_CASES = [
    # flagged mid-sentence
    ("Our Harvester Cluster has Live Migration enabled for all of the hosts.",
     [(C, "Harvester Cluster"), (C, "Live Migration")]),
    ("We use the harvester cluster and the vm network for all of these hosts.",
     [(C, "harvester cluster"), (C, "vm network")]),
    ("Download the harvester iso from the releases page before you start.",
     [(C, "harvester iso")]),
    ("The MGMT network carries all of the management traffic of the cluster.", [(C, "MGMT")]),
    # the overlay sets `casing: ignore` for the Node Driver: the docs write it in lower case
    ("The Harvester node driver creates the nodes of the guest cluster for you.", []),
    ("Finish the setup first. Live Migration is then available for all of the VMs.",
     [(C, "Live Migration")]),
    ("See [the live Migration page](x.md) before you move any of the VMs.",
     [(C, "live Migration")]),
    ("| Name | Value |\n|---|---|\n| a | the Storage Network of the cluster is used |",
     [(C, "Storage Network")]),
    # never on headings, table headers, sentence starts, bold UI labels, titles, quotes
    ("## Live Migration Settings", []),
    ("# The Storage Network", []),
    ("| Live Migration | Storage Network |\n|---|---|\n| on | off |", []),
    ("Live migration moves running virtual machines between the hosts of a cluster.", []),
    ("It works. Storage network traffic is then isolated from all of the other traffic.", []),
    ("- Storage network traffic is isolated from all of the other traffic in the cluster.", []),
    ("Click **Live Migration** and then choose the target host for the virtual machine.", []),
    ("Open __Storage Network__ and enable it for all of the hosts in the cluster today.", []),
    ("See [Live Migration Guide](x.md) for the requirements of the virtual machines.", []),
    ('The "Storage Network Setting" page shows the current value of the setting here.', []),
    ("- **Cluster Network**: the cluster network that carries the traffic.", []),
    ("- Cluster Network: Select the associated cluster network of the VM.", []),
    ("Note that the Cluster Network: field is required for every one of the VMs.",
     [(C, "Cluster Network")]),
    ("Storage Network Configuration Page", []),
    # case-insensitive entries (casing: ignore in the overlay) and the glossary spelling
    ("The Ip Pool and the ip pool hold all of the addresses of the load balancers.", []),
    ("The Harvester cluster uses the cluster network and a VM network for all VMs.", []),
    # plurals and possessives keep their suffix in the replacement
    ("All the harvester clusters and the Harvester Cluster's nodes are listed here now.",
     [(C, "harvester clusters"), (C, "Harvester Cluster's")]),
]


@pytest.mark.parametrize(("text", "expected"), CASING_CASES)
def test_term_casing(text: str, expected: list[tuple[str, str]]) -> None:
    assert findings(text + "\n") == expected


@pytest.mark.parametrize(
    ("text", "replacement"),
    [
        ("Our Harvester Cluster has Live Migration enabled for the hosts.", "Harvester cluster"),
        ("All the harvester clusters of the team are listed here for you now.",
         "Harvester clusters"),
        ("The Harvester Cluster's nodes are listed here for you and the team now.",
         "Harvester cluster's"),
        ("Finish the setup first. Live Migration is then available for all VMs.",
         "Live migration"),
        ("The MGMT network carries all of the management traffic of the cluster.", "mgmt"),
        ("Set the guest\nKubernetes Cluster up for all of the teams and their workloads.",
         "guest\nKubernetes cluster"),
    ],
)
def test_casing_replacement(text: str, replacement: str) -> None:
    finding = full_findings(text + "\n")[0]
    assert finding.code == CASING and finding.severity == Severity.INFORMATION
    assert finding.replacements == (replacement,) and finding.safe_fix
    assert finding.message.startswith("The glossary writes '")


SPELLING_CASES = [
    ("Deploy the guest clsuter on the hosts before the upgrade starts.", [(S, "guest clsuter")]),
    ("Each Harvestr cluster has three management nodes for high availability.",
     [(S, "Harvestr cluster")]),
    ("The guets cluster and the guest cluter both need the new release.",
     [(S, "guets cluster"), (S, "guest cluter")]),
    ("Configure the storage netwrok before you migrate the virtual machines.",
     [(S, "storage netwrok")]),
    # real words and inflections are not near-misses
    ("Harvester clustered the nodes in guest mode with VM networking and storage networking.",
     []),
    ("The Harvester clusters and guest clusters use the storage networks of the hosts.", []),
    ("Single-word terms have no near-misses: mgnt and ISOs and the RKE3 release are fine.", []),
    # not in code
    ("Run `guest clsuter` in the shell and then check the output of the command.", []),
]


@pytest.mark.parametrize(("text", "expected"), SPELLING_CASES)
def test_term_spelling(text: str, expected: list[tuple[str, str]]) -> None:
    assert findings(text + "\n") == expected


def test_spelling_finding_details() -> None:
    (finding,) = full_findings("Deploy the guest clsuter on the hosts before the upgrade.\n")
    assert finding.severity == Severity.HINT
    assert finding.replacements == ("guest cluster",) and not finding.safe_fix
    assert finding.message == "Did you mean 'guest cluster'? (found 'guest clsuter')"
    (start,) = full_findings("Guest clsuter nodes need the new release before the upgrade.\n")
    assert start.replacements == ("Guest cluster",)


def test_settings_change_severity_turn_rules_off_and_ignore_words() -> None:
    text = "Set harvester-mgmt on the Harvester Cluster and the guest clsuter for all hosts.\n"
    assert [f[0] for f in findings(text)] == [D, C, S]
    settings = RuleSettings({D: Severity.ERROR, C: None, S: Severity.WARNING})
    got = [(f.code, f.severity) for f in full_findings(text, settings=settings)]
    assert got == [(D, Severity.ERROR), (S, Severity.WARNING)]
    ignore = RuleSettings(ignore_words=frozenset({"harvester cluster", "harvester-mgmt"}))
    assert findings(text, settings=ignore) == [(S, "guest clsuter")]


@pytest.mark.parametrize(
    ("typed", "form", "sentence_start", "expected"),
    [
        ("Live Migration", "live migration", False, "live migration"),
        ("Live Migration", "live migration", True, "Live migration"),
        ("Live migration", "live migration", True, None),
        ("live migration", "live migration", False, None),
        ("MGMT", "mgmt", False, "mgmt"),
        ("harvester iso", "Harvester ISO", True, "Harvester ISO"),
    ],
)
def test_expected_spelling(typed: str, form: str, sentence_start: bool,
                           expected: str | None) -> None:
    from harvester_glossary_ls.engine.models import Entry, Occurrence, OccurrenceKind

    occurrence = Occurrence(0, len(typed), Entry(form), OccurrenceKind.TERM, form, typed)
    assert expected_spelling(occurrence, sentence_start) == expected


# --- suppression comments ----------------------------------------------------------------------

LINE = "Set harvester-mgmt on the Harvester Cluster and the guest clsuter for all the hosts.\n"
ALL3 = [(D, "harvester-mgmt"), (C, "Harvester Cluster"), (S, "guest clsuter")]

SUPPRESSION_CASES = [
    ("md-next-line", "markdown", "<!-- harvester-glossary-disable-next-line -->\n" + LINE + LINE,
     ALL3),
    ("md-next-line-code", "markdown",
     "<!-- harvester-glossary-disable-next-line deprecated-term -->\n" + LINE,
     ALL3[1:]),
    ("md-next-line-two-codes", "markdown",
     "<!-- harvester-glossary-disable-next-line deprecated-term, term-spelling -->\n" + LINE,
     ALL3[1:2]),
    ("md-line", "markdown", LINE.rstrip() + " <!-- harvester-glossary-disable-line -->\n" + LINE,
     ALL3),
    ("md-line-code", "markdown",
     LINE.rstrip() + " <!-- harvester-glossary-disable-line term-casing -->\n", [ALL3[0],
                                                                                 ALL3[2]]),
    ("md-block", "markdown", "<!-- harvester-glossary-disable -->\n" + LINE + LINE
     + "<!-- harvester-glossary-enable -->\n" + LINE, ALL3),
    ("md-block-code", "markdown", "<!-- harvester-glossary-disable term-casing -->\n" + LINE
     + "<!-- harvester-glossary-enable term-casing -->\n" + LINE, [ALL3[0], ALL3[2], *ALL3]),
    ("md-block-enable-all", "markdown",
     "<!-- harvester-glossary-disable term-casing deprecated-term -->\n" + LINE
     + "<!-- harvester-glossary-enable -->\n" + LINE, [ALL3[2], *ALL3]),
    ("md-block-unclosed", "markdown", "<!-- harvester-glossary-disable -->\n" + LINE + LINE, []),
    ("md-file", "markdown", LINE + "<!-- harvester-glossary-disable-file -->\n" + LINE, []),
    ("md-file-code", "markdown", "<!-- harvester-glossary-disable-file term-spelling -->\n"
     + LINE, ALL3[:2]),
    ("md-directive-in-inline-code", "markdown",
     "`<!-- harvester-glossary-disable-file -->`\n\n" + LINE, ALL3),
    ("md-directive-in-fence", "markdown",
     "```\n<!-- harvester-glossary-disable-file -->\n```\n" + LINE, ALL3),
    ("yaml-next-line", "yaml", "# harvester-glossary-disable-next-line\na: " + LINE + "b: "
     + LINE, ALL3),
    ("yaml-line", "yaml", "a: " + LINE.rstrip() + "  # harvester-glossary-disable-line\nb: "
     + LINE, ALL3),
    ("yaml-block", "yaml", "# harvester-glossary-disable term-casing\na: " + LINE
     + "# harvester-glossary-enable term-casing\nb: " + LINE, [ALL3[0], ALL3[2], *ALL3]),
    ("yaml-file-code", "yaml", "# harvester-glossary-disable-file deprecated-term\na: " + LINE,
     ALL3[1:]),
    ("yaml-structural", "yaml",
     "kind: NodeNetwork  # harvester-glossary-disable-line\n---\nkind: NodeNetwork\n",
     [(D, "NodeNetwork")]),
]


@pytest.mark.parametrize(("language", "text", "expected"),
                         [pytest.param(lang, t, e, id=i) for i, lang, t, e in SUPPRESSION_CASES])
def test_suppression_comments(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert findings(text, language) == expected


def test_suppressed_lines_are_the_right_ones() -> None:
    text = "<!-- harvester-glossary-disable-next-line -->\n" + LINE + LINE
    (first, *_) = full_findings(text)
    assert first.start > len("<!-- harvester-glossary-disable-next-line -->\n") + len(LINE) - 1


def test_title_case_term_inside_a_longer_proper_name_is_not_a_casing_slip() -> None:
    """"the Longhorn Storage Network setting" names Longhorn's setting, not our term."""
    assert findings("Harvester then updates the Longhorn Storage Network setting.\n") == []
    assert findings("It then updates the Storage Network setting.\n") == [
        ("term-casing", "Storage Network")]
