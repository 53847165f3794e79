"""Near-miss spelling (issue 9, item 6): recall on multi-word terms that hold a shorter term,
one edit anywhere (letters, swaps, a missing or extra space), and quiet on inflections in other
languages, CJK text glued to a term and ordinary prose.

Data-driven: a line of text goes in, the near-misses (as written, with the term suggested) come
out, through the same `analyze` the CLI and the server run. Missing spaces need the document as
written (to tell "guestcluster" from "ClusterNetwork"), so they are checked on `SpellingIndex`.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from harvester_glossary_ls.engine.analysis import CompiledGlossary
from harvester_glossary_ls.engine.index import TermIndex, boundary_after, boundary_before
from harvester_glossary_ls.engine.models import Entry, Glossary
from harvester_glossary_ls.engine.spelling import SpellingIndex
from harvester_glossary_ls.engine.text import lower_same_length
from tests.glossary_testkit import analyse

TERMS = ("Pod", "Volume", "Controller", "Backup", "Horizontal Pod Autoscaler",
         "Persistent Volume Claim", "Cloud Controller Manager", "API server", "guest cluster",
         "Kubernetes cluster", "Backup Volume", "Harvester cluster")


@lru_cache(maxsize=1)
def glossary() -> Glossary:
    return Glossary(tuple(Entry(term) for term in TERMS))


@lru_cache(maxsize=1)
def compiled() -> CompiledGlossary:
    return CompiledGlossary.build(glossary())


def near_misses(text: str) -> list[tuple[str, str]]:
    """(text as written, suggested term) for every near-miss `analyze` finds."""
    analysis = analyse(text + "\n", compiled=compiled(), version=None)
    return [(text[f.start:f.end], f.replacements[0]) for f in analysis.findings
            if f.code == "term-spelling"]


def occurrences(text: str) -> list[str]:
    analysis = analyse(text + "\n", compiled=compiled(), version=None)
    return [text[o.start:o.end] for o in analysis.occurrences]


def direct(text: str) -> list[tuple[str, str]]:
    """Near-misses from the index itself, given the document as written."""
    match_text = lower_same_length(text)
    covered = [(o.start, o.end) for o in TermIndex(glossary()).find(text, match_text)]
    found = SpellingIndex(glossary()).find(match_text, covered, text)
    return [(text[n.start:n.end], n.name) for n in found]


HPA, PVC, CCM = "Horizontal Pod Autoscaler", "Persistent Volume Claim", "Cloud Controller Manager"

RECALL = [
    # a word of the term is itself a term: the exact "Pod"/"Volume"/"Controller" stays inside
    ("Scale it with the Horizontal Pod Autoscalr when load grows.",
     [("Horizontal Pod Autoscalr", HPA)]),
    ("Bind the Persistent Volume Clam to the workload.", [("Persistent Volume Clam", PVC)]),
    ("The Cloud Controller Manger runs on the control plane.",
     [("Cloud Controller Manger", CCM)]),
    ("Restore the Backup Volme from the target.", [("Backup Volme", "Backup Volume")]),
    # each letter edit, in the first, middle and last word
    ("Deploy the guest clsuter first.", [("guest clsuter", "guest cluster")]),  # swap
    ("Deploy the guets cluster first.", [("guets cluster", "guest cluster")]),  # swap
    ("Deploy the gust cluster first.", [("gust cluster", "guest cluster")]),  # deletion
    ("Deploy the guesst cluster first.", [("guesst cluster", "guest cluster")]),  # insertion
    ("Deploy the guest clustor first.", [("guest clustor", "guest cluster")]),  # substitution
    ("Deploy the guest cluter first.", [("guest cluter", "guest cluster")]),  # deletion
    ("Deploy the guest cluxster first.", [("guest cluxster", "guest cluster")]),  # insertion
    ("The Horizontal Pdo Autoscaler is not a typo (three letters).", []),
    ("The Horzontal Pod Autoscaler scales pods.", [("Horzontal Pod Autoscaler", HPA)]),
    ("Bind the Persistent Volmue Claim.", [("Persistent Volmue Claim", PVC)]),
    ("Bind the Persistant Volume Claim.", [("Persistant Volume Claim", PVC)]),
    ("The Cloud Controler Manager runs.", [("Cloud Controler Manager", CCM)]),
    ("Call the API srever directly.", [("API srever", "API server")]),
    # an extra space inside a word, anywhere in the term
    ("Scale it with the Horizontal Pod Auto scaler when load grows.",
     [("Horizontal Pod Auto scaler", HPA)]),
    ("The Horizon tal Pod Autoscaler scales pods.", [("Horizon tal Pod Autoscaler", HPA)]),
    ("Each Harv ester cluster has three nodes.", [("Harv ester cluster", "Harvester cluster")]),
    ("Bind the Persistent Vol ume Claim.", [("Persistent Vol ume Claim", PVC)]),
    # case and a term at a sentence start are kept as written
    ("Guest clsuter nodes join later.", [("Guest clsuter", "Guest cluster")]),
    # two near-misses in one line, each reported once
    ("The guets cluster and the guest cluter both need it.",
     [("guets cluster", "guest cluster"), ("guest cluter", "guest cluster")]),
]


@pytest.mark.parametrize(("text", "expected"), RECALL)
def test_near_miss_recall(text: str, expected: list[tuple[str, str]]) -> None:
    assert near_misses(text) == expected


def test_nested_exact_occurrence_stays_for_hover() -> None:
    """The inner exact term is kept next to the near-miss around it."""
    text = "Scale it with the Horizontal Pod Autoscalr when load grows."
    assert occurrences(text) == ["Pod"]
    assert near_misses(text) == [("Horizontal Pod Autoscalr", HPA)]


MISSING_SPACE = [
    ("Deploy the guestcluster first.", [("guestcluster", "guest cluster")]),
    ("Scale it with the Horizontal PodAutoscaler.", []),  # CamelCase: an identifier
    ("Scale it with the Horizontal podautoscaler.",
     [("Horizontal podautoscaler", HPA)]),
    ("Scale it with the horizontalpod autoscaler.", [("horizontalpod autoscaler", HPA)]),
    ("Create a GuestCluster object.", []),
    ("Create a guestclusters object.", []),  # a merge and a plural: two edits
    ("Call the APIserver directly.", [("APIserver", "API server")]),
    ("Call the APIServer directly.", []),
    ("Use my-guestcluster here.", []),  # joined to another word
]


@pytest.mark.parametrize(("text", "expected"), MISSING_SPACE)
def test_missing_space(text: str, expected: list[tuple[str, str]]) -> None:
    assert direct(text) == expected


QUIET: list[tuple[str, list[tuple[str, str]]]] = [
    # German inflections: a suffix on the last word of an otherwise exact term
    ("Der API Servern antwortet nicht.", []),
    ("Die Kubernetes-Clustern und die Kubernetes Clustern laufen.", []),
    ("Die Guest Clustern laufen.", []),
    ("Die API-Server laufen.", []),
    # CJK particles and words glued to a term (ja, ko, zh): a script change is a boundary
    ("API serverは起動しています。", []),
    ("API server를 다시 시작합니다.", []),
    ("API server的地址", []),
    ("guest clusterの作成", []),
    # plurals and possessives of exact terms and of their words
    ("The guest clusters and the Harvester clusters run.", []),
    ("Both guests cluster together.", []),
    ("The guest cluster's nodes and the guest clusters' nodes.", []),
    ("Bind the Persistent Volume Claims and the persistent volumes claim.", []),
    # verb endings on the last word and phrasal verbs
    ("The cloud controller manages the nodes and the cloud controller managed them.", []),
    ("The API serves requests and the API served them.", []),
    ("You can back up volume data every night.", []),
    # ordinary sentences with the short terms in them
    ("Each pod mounts a volume; the controller restarts the pod when the volume fails.", []),
    ("A horizontal pod layout and a persistent volume mount are different things.", []),
    ("The cloud controller sees the volume claim of the pod.", []),
    ("The guest cluster runs in a guest VM on the Harvester cluster.", []),
    ("Cluster guest access and clusters of guests.", []),
    # hyphenated and underscored forms are other words
    ("guest-cluster guest_cluster guest-clsuter", []),
    # an extra space that leaves a piece of fewer than three letters
    ("Deploy the gu est cluster first.", []),
    # not in code
    ("Run `guest clsuter` and `Horizontal Pod Autoscalr` in the shell.", []),
]


@pytest.mark.parametrize(("text", "expected"), QUIET)
def test_quiet_on_prose(text: str, expected: list[tuple[str, str]]) -> None:
    assert near_misses(text) == expected


CJK_EXACT = [
    ("API serverは起動しています。", ["API server"]),
    ("API server를 다시 시작합니다.", ["API server"]),
    ("API server的地址", ["API server"]),
    ("在guest cluster中", ["guest cluster"]),
    ("ゲストguest clusterを作成", ["guest cluster"]),
    ("API serverx and xAPI server are other words", []),
]


@pytest.mark.parametrize(("text", "expected"), CJK_EXACT)
def test_cjk_neighbour_is_a_boundary_for_exact_matches(text: str, expected: list[str]) -> None:
    assert occurrences(text) == expected


@pytest.mark.parametrize(("text", "offset", "before", "after"), [
    ("serverは", 6, True, True),  # Latin then Hiragana
    ("サーバserver", 3, True, True),  # Katakana then Latin
    ("中文server", 2, True, True),  # Han then Latin
    ("server를", 6, True, True),  # Latin then Hangul
    ("serverx", 6, False, False),
    ("中文字", 1, False, False),  # inside one script: no boundary
    ("résumé", 3, False, False),  # Latin with accents is one script
])
def test_script_change_boundary(text: str, offset: int, before: bool, after: bool) -> None:
    assert boundary_before(text, offset) is before
    assert boundary_after(text, offset) is after


def test_window_never_cuts_an_exact_occurrence() -> None:
    """A near-miss window that would cut an exact longer occurrence is dropped."""
    terms = Glossary((Entry("guest cluster"), Entry("cluster network node")))
    text = "the guest cluster netwrok node"
    match_text = lower_same_length(text)
    covered = [(o.start, o.end) for o in TermIndex(terms).find(text, match_text)]
    assert [(text[s:e]) for s, e in covered] == ["guest cluster"]
    assert SpellingIndex(terms).find(match_text, covered, text) == []


def test_words_run_together_in_a_yaml_value_are_a_name_not_a_typo() -> None:
    """`singular: clusternetwork` in a CRD is an identifier; in a comment or prose, a slip."""
    network = CompiledGlossary.build(Glossary((Entry("cluster network", definition="d"),)))

    def spelled(text: str, language: str) -> list[str]:
        analysis = analyse(text, language, compiled=network, version=None)
        return [text[f.start:f.end] for f in analysis.findings if f.code == "term-spelling"]

    assert spelled("names:\n  singular: clusternetwork\n# the clusternetwork CRD\n", "yaml") == [
        "clusternetwork"]  # only the comment's
    assert spelled("Create the clusternetwork first.\n", "markdown") == ["clusternetwork"]
