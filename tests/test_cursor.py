"""What is under the cursor and what to complete there, at the engine level (issue 8).

Each case is a document with the cursor written as `|`: the engine's answer is compared with the
expected term (hover) or the expected first candidates (completion). The stdio tests in
tests/lsp/ check the protocol around these answers; these check the answers themselves, fast and
for many more cases.
"""

from __future__ import annotations

import pytest

from harvester_glossary_ls.engine.analysis import Analysis
from harvester_glossary_ls.engine.cursor import completions, occurrence_under
from tests.glossary_testkit import analyse


def _split(marked: str) -> tuple[str, int]:
    offset = marked.index("|")
    return marked[:offset] + marked[offset + 1:], offset


HOVERS: list[tuple[str, str, str | None]] = [
    # (language, document with the cursor, term of the entry under it)
    ("markdown", "Attach the VM to the VM net|work of the guest cluster.\n", "VM network"),
    ("markdown", "Attach the VM to the VM network of the guest cluster|.\n", "guest cluster"),
    ("markdown", "|Guest clusters run on Harvester.\n", "guest cluster"),
    ("markdown", "The guest cluster's node pool and the VM networks|.\n", "VM network"),
    ("markdown", "The old harvester-m|gmt network.\n", "mgmt"),  # a deprecated form
    ("markdown", "Plain words only, no term h|ere.\n", None),
    ("markdown", "Inline `guest clu|ster` is code.\n", None),
    ("markdown", "```\nguest clu|ster in a fence\n```\n", None),
    ("markdown",
     "```yaml\napiVersion: network.harvesterhci.io/v1beta1\nkind: ClusterNet|work\n```\n",
     "cluster network"),
    ("markdown", "---\ntitle: guest clu|ster\n---\nBody.\n", None),
    ("yaml", "# the guest clu|ster comment\nkey: value\n", "guest cluster"),
    ("yaml", "description: \"the VM net|work\"\n", "VM network"),
    ("yaml", "guest clu|ster: 1\n", None),  # a key is not prose
]


@pytest.mark.parametrize(("language", "marked", "term"), HOVERS)
def test_hover_finds_the_entry_under_the_cursor(language: str, marked: str,
                                                term: str | None) -> None:
    text, offset = _split(marked)
    analysis = analyse(text, language)
    found = occurrence_under(text, offset, lambda: analysis)
    assert (found.entry.term if found else None) == term


def test_hover_reuses_the_last_analysis_for_an_edit_away_from_the_cursor() -> None:
    """While typing elsewhere, hover answers from the previous analysis without analysing."""
    filler = "Plain words in a paragraph that names no term at all. " * 5  # > 128 characters
    before = f"The guest cluster runs.\n\n{filler}\n\nSome text here.\n"
    after = before.replace("Some text", "Some more text")
    previous = analyse(before)

    def must_not_analyse() -> Analysis:
        raise AssertionError("analysed although the last analysis could answer")

    found = occurrence_under(after, after.index("cluster"), must_not_analyse, previous)
    assert found is not None and found.entry.term == "guest cluster"


def test_hover_analyses_again_for_an_edit_at_the_cursor() -> None:
    before = "The guest clu runs.\n"
    after = "The guest cluster runs.\n"
    calls: list[int] = []

    def fresh() -> Analysis:
        calls.append(1)
        return analyse(after)

    found = occurrence_under(after, after.index("cluster"), fresh, analyse(before))
    assert calls and found is not None and found.entry.term == "guest cluster"


COMPLETIONS: list[tuple[str, str, list[str]]] = [
    # (language, document with the cursor, the first candidates, best first)
    ("markdown", "Attach it to the VM mig|\n", ["VM migration network"]),
    ("markdown", "Then create a guest cl|\n", ["guest cluster", "guest cluster node"]),
    ("markdown", "Inline `VM mig|` code.\n", []),
    ("markdown", "```\nVM mig|\n```\n", []),
    ("markdown", "    VM mig| in an indented code block\n", []),
    ("yaml", "# a comment about the guest cl|\n", ["guest cluster", "guest cluster node"]),
    ("yaml", "plain: a plain guest cl|\n", ["guest cluster", "guest cluster node"]),
]


@pytest.mark.parametrize(("language", "marked", "expected"), COMPLETIONS)
def test_completion_offers_the_terms_for_the_typed_words(language: str, marked: str,
                                                         expected: list[str]) -> None:
    text, offset = _split(marked)
    names = [c.name for c in completions(analyse(text, language), offset)]
    assert names[:len(expected)] == expected
    if not expected:
        assert names == []


def test_completion_replaces_the_typed_words_only() -> None:
    text, offset = _split("Attach it to the VM mig|\n")
    first = completions(analyse(text), offset)[0]
    assert text[first.start:offset] == "VM mig"


def test_completion_never_offers_a_deprecated_form() -> None:
    text, offset = _split("The old harvester-mg|\n")
    assert "harvester-mgmt" not in [c.name for c in completions(analyse(text), offset)]
