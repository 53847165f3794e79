"""The term matcher: longest match, word boundaries, case, plurals, possessives, odd characters.

Data-driven: a text goes in, the occurrences (as written) come out.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester_glossary_ls.engine.index import TermIndex, inflections, normalise
from harvester_glossary_ls.engine.models import Glossary, OccurrenceKind
from tests.glossary_testkit import analyse, compile_yaml, matched, terms_matched

# (text, occurrences as written) with the shipped glossary
CASES = [
    # longest match wins
    ("A guest cluster node joins a guest cluster.", ["guest cluster node", "guest cluster"]),
    ("The guest Kubernetes cluster and Harvester Node Driver.",
     ["guest Kubernetes cluster", "Harvester Node Driver"]),
    ("Harvester node drivers", ["Harvester node drivers"]),
    ("VM migration network, not VM network.", ["VM migration network", "VM network"]),
    ("the net install ISO or Harvester ISO", ["net install ISO", "Harvester ISO"]),
    # word boundaries: joined identifiers and longer words are not the term
    ("mgmt-br and mgmt-bo and mgmt_br and mgmtx and xmgmt", []),
    ("mgmt.example.com and user@mgmt", []),
    ("mgmt, (mgmt) and mgmt: and mgmt; and 'mgmt'.", ["mgmt"] * 5),
    # a token ending in a slash is a folder ("mgmt/"), code even without backticks
    ("the mgmt/ folder and mgmt/config.yaml", []),
    ("Harvester clustered and guest clusterfoo", []),
    # underscores: Markdown emphasis is a boundary, an identifier is not
    ("_guest cluster_ and __mgmt__ and _Harvester ISO_.", ["guest cluster", "mgmt",
                                                          "Harvester ISO"]),
    ("mgmt_br a_mgmt x__mgmt mgmt__x", []),
    # the deprecated form is its own, longer match, not 'mgmt' inside it
    ("harvester-mgmt", ["harvester-mgmt"]),
    ("harvester-mgmt-br", []),
    ("(harvester-mgmt).", ["harvester-mgmt"]),
    # case-insensitive
    ("GUEST CLUSTER, Guest Cluster, guest Cluster", ["GUEST CLUSTER", "Guest Cluster",
                                                     "guest Cluster"]),
    ("MGMT and Mgmt", ["MGMT", "Mgmt"]),
    # plurals and possessives
    ("VM networks and storage networks", ["VM networks", "storage networks"]),
    ("guest clusters, guest cluster's, guest clusters', guest cluster\u2019s",
     ["guest clusters", "guest cluster's", "guest clusters'", "guest cluster\u2019s"]),
    ("Harvester ISOs and the mgmt's bridge", ["Harvester ISOs", "mgmt's"]),
    ("RKE2's nodes", ["RKE2's"]),
    # a term split over lines of one paragraph
    ("Join the guest\ncluster now.", ["guest\ncluster"]),
    # multi-byte text before a term
    ("r\u00e9sum\u00e9 \u2014 \u65e5\u672c\u8a9e \U0001f389 guest cluster", ["guest cluster"]),
    # hyphenated and joined forms are other words
    ("guest-cluster guestcluster guest_cluster", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_matches(text: str, expected: list[str]) -> None:
    assert matched(text + "\n") == expected


def test_longest_match_picks_the_alias_entry() -> None:
    assert terms_matched("guest cluster node and guest cluster\n") == ["guest node",
                                                                       "guest cluster"]


def test_positions_are_code_points() -> None:
    text = "\u00e9\u00e9 \U0001f600\U0001f600 \u65e5\u672c guest cluster's\n"
    (occurrence,) = analyse(text).occurrences
    assert (occurrence.start, occurrence.end) == (9, 24)
    assert text[occurrence.start:occurrence.end] == "guest cluster's"
    assert occurrence.suffix_len == 2 and occurrence.form == "guest cluster"


def test_occurrence_kinds_and_inflection_data() -> None:
    text = "policies: guest Kubernetes clusters and harvester-mgmt\n"
    result = analyse(text)
    kinds = [(o.text, o.kind, o.form, o.suffix_len) for o in result.occurrences]
    assert kinds == [
        ("guest Kubernetes clusters", OccurrenceKind.ALIAS, "guest Kubernetes cluster", 1),
        ("harvester-mgmt", OccurrenceKind.DEPRECATED, "harvester-mgmt", 0),
    ]
    assert result.occurrences[1].deprecation is not None


CUSTOM = compile_yaml("""entries:
  - term: C++ runtime
  - term: node.js
  - term: (beta) feature
  - term: a|b switch
  - term: x*y
  - term: $HOME dir
  - term: policy
  - term: box
  - term: fix-it
  - term: caf\u00e9
  - term: \u65e5\u672c
  - term: key
  - term: bus
""")

CUSTOM_CASES = [
    ("The C++ runtime, node.js, (beta) feature, a|b switch and x*y.",
     ["C++ runtime", "node.js", "(beta) feature", "a|b switch", "x*y"]),
    ("the $HOME dir", ["$HOME dir"]),
    ("node.jsx and xnode.js and nodeXjs", []),
    ("x*yz and ax*y", []),
    # y -> ies, x -> es, hyphenated terms, possessives
    ("two policies, the policy's owner, boxes, fix-its", ["policies", "policy's", "boxes",
                                                          "fix-its"]),
    ("keys (vowel + y: plain s)", ["keys"]),
    ("the bus' route and the bus's seats", ["bus'", "bus's"]),
    ("caf\u00e9s and CAF\u00c9", ["caf\u00e9s", "CAF\u00c9"]),
    ("\u65e5\u672c text, \u65e5\u672c\u8a9e", ["\u65e5\u672c"]),
]


@pytest.mark.parametrize(("text", "expected"), CUSTOM_CASES)
def test_custom_glossary_with_regex_metacharacters(text: str, expected: list[str]) -> None:
    assert matched(text + "\n", compiled=CUSTOM) == expected


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("network", [(0, "s"), (0, "'s"), (0, "\u2019s"), (0, "s'"), (0, "s\u2019")]),
        ("policy", [(1, "ies"), (0, "'s"), (0, "\u2019s"), (1, "ies'"), (1, "ies\u2019")]),
        ("key", [(0, "s"), (0, "'s"), (0, "\u2019s"), (0, "s'"), (0, "s\u2019")]),
        ("box", [(0, "es"), (0, "'s"), (0, "\u2019s"), (0, "es'"), (0, "es\u2019")]),
        ("bus", [(0, "'"), (0, "\u2019"), (0, "'s"), (0, "\u2019s")]),
        ("RKE2", [(0, "'s"), (0, "\u2019s")]),
        ("C++", []),
        ("", []),
    ],
)
def test_inflections(form: str, expected: list[tuple[int, str]]) -> None:
    assert inflections(form) == expected


def test_normalise_collapses_whitespace_and_case() -> None:
    assert normalise("  Guest\t Kubernetes\nCluster ") == "guest kubernetes cluster"


def test_empty_glossary_matches_nothing() -> None:
    index = TermIndex(Glossary())
    assert len(index) == 0
    assert index.find("anything", "anything") == []
    assert index.lookup("x") is None


def test_lookup_and_entry() -> None:
    index = TermIndex(analyse("x\n").context.compiled.glossary)
    pattern = index.lookup("Guest Clusters")
    assert pattern is not None and pattern.entry.term == "guest cluster" and pattern.suffix == "s"
    harvester_mgmt = index.lookup("harvester-mgmt")
    assert harvester_mgmt is not None and harvester_mgmt.deprecation is not None
    entry = index.entry("GUEST KUBERNETES CLUSTER")
    assert entry is not None and entry.term == "guest cluster"


WORDS = ["guest", "cluster", "node", "Harvester", "mgmt", "VM", "network", "-", "'s", "s",
         "\u00e9", "\U0001f600", "`", "[", "](", ")", "\n", "  ", ".", "ISO", "harvester-mgmt"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join))
def test_occurrences_are_ordered_disjoint_and_on_their_text(text: str) -> None:
    result = analyse(text)
    last_end = -1
    for occurrence in result.occurrences:
        assert occurrence.start >= last_end
        assert occurrence.text == text[occurrence.start:occurrence.end]
        assert normalise(occurrence.text).startswith(
            normalise(occurrence.form)[: len(occurrence.form) - occurrence.strip])
        last_end = occurrence.end
