"""Near-misses of multi-word terms ("guest clsuter"), found with rapidfuzz's edit distance.

Candidates come from an automaton of the words of multi-word terms: wherever one word of a term
appears exactly, its neighbours are compared with the term's other words. Only one word may
differ, by one edit (transpositions count as one), keeping the first letter and at least four
letters long, and not by a plural `s`: this keeps the rule quiet on real prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick
from rapidfuzz.distance import OSA

from harvester_glossary_ls.engine.index import boundary_after, boundary_before, normalise
from harvester_glossary_ls.engine.models import Entry, Glossary
from harvester_glossary_ls.engine.scan import MASK


@dataclass(frozen=True, slots=True)
class NearMiss:
    start: int
    end: int
    entry: Entry
    name: str


def _is_typo(word: str, target: str) -> bool:
    if word == target or len(word) < 4 or len(target) < 4 or word[0] != target[0]:
        return False
    if word in (target + "s", target + "es") or target in (word + "s", word + "es"):
        return False
    return OSA.distance(word, target, score_cutoff=1) <= 1


class SpellingIndex:
    """Anchor words of multi-word terms, built once per glossary."""

    def __init__(self, glossary: Glossary) -> None:
        self._anchors: dict[str, list[tuple[tuple[str, ...], int, Entry, str]]] = {}
        # Candidates by (anchor word, first letter of the word before, of the word after): a
        # near-miss keeps every first letter, so a hit only tries the terms whose neighbours
        # start like the text's ("" where the term has no neighbour on that side). With 10,000
        # terms, a common anchor word ("network") would otherwise try hundreds of terms.
        self._by_neighbours: dict[tuple[str, str, str], list[
            tuple[int, tuple[str, ...], int, Entry, str]]] = {}
        order = 0
        for entry in glossary.entries:
            for name in entry.names:
                words = tuple(normalise(name).split(" "))
                if len(words) < 2:
                    continue
                for position, word in enumerate(words):
                    self._anchors.setdefault(word, []).append((words, position, entry, name))
                    before = words[position - 1][0] if position else ""
                    after = words[position + 1][0] if position + 1 < len(words) else ""
                    self._by_neighbours.setdefault((word, before, after), []).append(
                        (order, words, position, entry, name))
                    order += 1
        self._automaton = ahocorasick.Automaton()
        for word in self._anchors:
            self._automaton.add_word(word, word)
        if self._anchors:
            self._automaton.make_automaton()

    def find(self, match_text: str, covered: list[tuple[int, int]]) -> list[NearMiss]:
        """Near-misses in the prose that no exact occurrence already covers."""
        if not self._anchors:
            return []
        found: dict[int, NearMiss] = {}
        covered_sorted = sorted(covered)
        # Mask exact occurrences first: most anchor words sit inside them, and a window (words
        # joined by single spaces) can then never overlap an occurrence.
        if covered_sorted:
            pieces = []
            cursor = 0
            for start, end in covered_sorted:
                if start >= cursor:
                    pieces.append(match_text[cursor:start])
                    pieces.append(MASK * (end - start))
                    cursor = end
            pieces.append(match_text[cursor:])
            match_text = "".join(pieces)
        for end_index, word in self._automaton.iter(match_text):
            end = end_index + 1
            start = end - len(word)
            if not (boundary_before(match_text, start) and boundary_after(match_text, end)):
                continue
            for _, words, position, entry, name in self._candidates(match_text, start, end,
                                                                     word):
                window = _window(match_text, start, end, position, words)
                if window is None:
                    continue
                w_start, w_end, typed = window
                typos = [i for i, (a, b) in enumerate(zip(typed, words, strict=True)) if a != b]
                if len(typos) == 1 and _is_typo(typed[typos[0]], words[typos[0]]):
                    found.setdefault(w_start, NearMiss(w_start, w_end, entry, name))
        return [found[k] for k in sorted(found)]

    def _candidates(self, text: str, start: int, end: int, word: str
                    ) -> list[tuple[int, tuple[str, ...], int, Entry, str]]:
        """The terms around an anchor hit whose neighbours' first letters fit, in index order."""
        after = text[end + 1] if text[end:end + 1] == " " and end + 1 < len(text) else ""
        before = ""
        if start >= 2 and text[start - 1] == " ":
            first = start - 1
            while first > 0 and text[first - 1].isalnum():
                first -= 1
            before = text[first] if first < start - 1 else ""
        get = self._by_neighbours.get
        groups = [group for group in (
            get((word, before, after)) if before and after else None,
            get((word, before, "")) if before else None,
            get((word, "", after)) if after else None) if group]
        if len(groups) < 2:
            return groups[0] if groups else []
        return sorted(candidate for group in groups for candidate in group)


_WORD_AFTER = re.compile(r" (\w+)")


def _word_before(text: str, first: int, target: str) -> tuple[int, str] | None:
    """The word ending one space before `first`, if it could be a near-miss of `target`.

    Only three start positions are possible (same length, one shorter, one longer), so they are
    probed directly instead of searching backwards.
    """
    end = first - 1
    if end < 1 or text[end] != " ":
        return None
    n = len(target)
    for length in (n, n - 1, n + 1):
        start = end - length
        if start < 0 or length < 1 or text[start] != target[0]:
            continue
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            continue
        word = text[start:end]
        if word.isalnum():
            return start, word
    return None


def _window(text: str, start: int, end: int, position: int,
            words: tuple[str, ...]) -> tuple[int, int, list[str]] | None:
    """The words around an anchor at word `position`, separated by single spaces.

    Bails out early when a neighbour cannot be a near-miss (different first letter or a length
    off by more than one), since this runs for every uncovered anchor word in the prose.
    """
    typed = [text[start:end]]
    first, last = start, end
    for i in range(position - 1, -1, -1):
        found = _word_before(text, first, words[i])
        if found is None:
            return None
        typed.insert(0, found[1])
        first = found[0]
    for i in range(position + 1, len(words)):
        if text[last:last + 2] != " " + words[i][0]:
            return None
        match = _WORD_AFTER.match(text, last)
        if match is None or abs(len(match.group(1)) - len(words[i])) > 1:
            return None
        typed.append(match.group(1))
        last = match.end(1)
    if not (boundary_before(text, first) and boundary_after(text, last)):
        return None
    return first, last, typed
