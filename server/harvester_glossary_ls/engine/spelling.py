"""Near-misses of multi-word terms ("guest clsuter"), one edit away from a glossary spelling.

Candidates come from an automaton of the words of multi-word terms: wherever one word of a term
appears exactly, its neighbours are compared with the term's other words. A term of two or more
words always keeps one word intact under one edit, except when the edit removes a space
("guestcluster"); those merged forms are keys of the same automaton. The edit may be a letter
substituted, inserted or deleted, two adjacent letters swapped (in a word of four or more
letters that keeps its first letter), or a space added inside a word ("Auto scaler") or removed
between two words. Guards keep it quiet on real prose: not a plural `s`, not an inflection
appended to the last word ("API Servern"), not a verb ending on it ("the cloud controller
manages"), not a phrasal verb ("back up volume"), not a CamelCase identifier ("ClusterNetwork").

Exact occurrences are not masked: a window may contain one wholly ("Pod" inside "Horizontal Pod
Autoscalr"), but never equals one or overlaps one that reaches outside it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import ahocorasick
from rapidfuzz.distance import OSA

from harvester_glossary_ls.engine.index import boundary_after, boundary_before, normalise
from harvester_glossary_ls.engine.models import Entry, Glossary

# A word up to a change of script: "server" in "serverは" (see index.is_cjk).
_CJK = "\u1100-\u11ff\u2e80-\ua4cf\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uffdc" \
    "\U00020000-\U0003ffff"
_TOKEN = re.compile(f"[^\\W{_CJK}]+|[{_CJK}]+")

# Second halves that make a split word a phrasal verb, not a typo ("back up" for "Backup").
_PARTICLES = frozenset(("up", "in", "out", "down", "back", "on", "off", "over", "away", "into"))
_MIN_PIECE = 3  # each half of a split or merged word; shorter ones are abbreviations or codes

Candidate = tuple[int, tuple[str, ...], int, Entry, str, int]
"""(glossary order, words, position of the anchor word, entry, name as the glossary writes it,
length of the word before the anchor or 0)"""
Merge = tuple[int, int, Entry, str]
"""(glossary order, offset of the removed space in the key, entry, name)"""


@dataclass(frozen=True, slots=True)
class NearMiss:
    start: int
    end: int
    entry: Entry
    name: str


def _is_typo(word: str, target: str, last: bool) -> bool:
    """A one-letter edit of `target` that is not a plural or, on the term's last word, an
    inflection: a suffix appended ("servern", German) or a final letter turned into a verb
    ending ("manages", "managed" for "manager")."""
    if word == target or len(word) < 4 or len(target) < 4 or word[0] != target[0]:
        return False
    if word in (target + "s", target + "es") or target in (word + "s", word + "es"):
        return False
    if last and (word.startswith(target) or (
            len(word) == len(target) and word[-1] in "sd" and word[:-1] == target[:-1])):
        return False
    return OSA.distance(word, target, score_cutoff=1) <= 1


def _split_ok(first: str, second: str) -> bool:
    """Whether "auto scaler" for "autoscaler" reads as a stray space, not as two words."""
    return len(first) >= _MIN_PIECE and len(second) >= _MIN_PIECE and second not in _PARTICLES


def _next_word(text: str, last: int, target: str, may_edit: bool, is_last: bool
               ) -> tuple[int, int] | None:
    """(end, edits used) of `target` one space after `last`, exactly or by one edit.

    Bails out on the first letter, since this runs for every anchor word in the prose.
    """
    if text[last:last + 2] != " " + target[0]:
        return None
    begin = last + 1
    end = begin + len(target)
    if text.startswith(target, begin) and boundary_after(text, end):
        return end, 0
    if not may_edit:
        return None
    match = _TOKEN.match(text, begin)
    if match is None:
        return None
    token = match.group()
    if abs(len(token) - len(target)) <= 1 and _is_typo(token, target, is_last):
        return match.end(), 1
    cut = len(token)
    if cut < len(target) and target.startswith(token) and _split_ok(token, target[cut:]) \
            and text.startswith(" " + target[cut:], match.end()):
        return end + 1, 1
    return None


def _prev_word(text: str, first: int, target: str, may_edit: bool) -> tuple[int, int] | None:
    """(start, edits used) of `target` one space before `first`, exactly or by one edit.

    Only four start positions are possible (same length, one shorter, one longer, or one longer
    with a space inside), so they are probed directly instead of searching backwards.
    """
    end = first - 1
    if end < 1 or text[end] != " ":
        return None
    n = len(target)
    start = end - n
    if start >= 0 and text.startswith(target, start) and boundary_before(text, start):
        return start, 0
    if not may_edit:
        return None
    for length in (n, n - 1, n + 1):
        start = end - length
        if start < 0 or length < 1 or text[start] != target[0]:
            continue
        word = text[start:end]
        if word.isalnum() and boundary_before(text, start) and _is_typo(word, target, False):
            return start, 1
    start = end - n - 1
    if start >= 0 and text[start] == target[0] and boundary_before(text, start):
        cut = text.find(" ", start, end) - start
        if cut > 0 and text[start:start + cut] + text[start + cut + 1:end] == target \
                and _split_ok(target[:cut], target[cut:]):
            return start, 1
    return None


def _window(text: str, start: int, end: int, position: int,
            words: tuple[str, ...]) -> tuple[int, int] | None:
    """The span of the words around an anchor at word `position` when exactly one edit
    separates them from the term (an exact window is an exact occurrence, not a near-miss)."""
    first, last, edits = start, end, 0
    for i in range(position - 1, -1, -1):
        before = _prev_word(text, first, words[i], edits == 0)
        if before is None:
            return None
        first, edits = before[0], edits + before[1]
    final = len(words) - 1
    for i in range(position + 1, final + 1):
        after = _next_word(text, last, words[i], edits == 0, i == final)
        if after is None:
            return None
        last, edits = after[0], edits + after[1]
    if edits != 1 or not (boundary_before(text, first) and boundary_after(text, last)):
        return None
    return first, last


class _Covered:
    """Exact occurrences, to tell a window that contains one from one that cuts one."""

    def __init__(self, covered: list[tuple[int, int]]) -> None:
        spans = sorted(covered)
        self._starts = [s for s, _ in spans]
        self._spans = spans
        self._longest = max((e - s for s, e in spans), default=0)

    def allows(self, start: int, end: int) -> bool:
        """No occurrence equals the window or overlaps it while reaching outside it."""
        spans = self._spans
        i = bisect.bisect_left(self._starts, start - self._longest)
        while i < len(spans) and spans[i][0] < end:
            s, e = spans[i]
            if e > start and (s < start or e > end or (s == start and e == end)):
                return False
            i += 1
        return True


class SpellingIndex:
    """Anchor words and merged forms of multi-word terms, built once per glossary."""

    def __init__(self, glossary: Glossary) -> None:
        # Candidates by (anchor word, first letter of the word before, of the word after): a
        # near-miss keeps every first letter, so a hit only tries the terms whose neighbours
        # start like the text's ("" where the term has no neighbour on that side). With 10,000
        # terms, a common anchor word ("network") would otherwise try hundreds of terms.
        self._by_neighbours: dict[tuple[str, str, str], list[Candidate]] = {}
        # A space typed inside the word before the anchor ("Harv ester cluster") hides that
        # word's first letter: those candidates are keyed by the piece after the space instead.
        self._split_before: dict[tuple[str, str], list[Candidate]] = {}
        anchors: set[str] = set()
        self._inner: set[str] = set()  # runs of two or more words inside a longer name
        merges: dict[str, list[Merge]] = {}
        order = 0
        for entry in glossary.entries:
            for name in entry.names:
                words = tuple(normalise(name).split(" "))
                if len(words) < 2:
                    continue
                for position, word in enumerate(words):
                    anchors.add(word)
                    previous = words[position - 1] if position else ""
                    after = words[position + 1][0] if position + 1 < len(words) else ""
                    candidate = (order, words, position, entry, name, len(previous))
                    self._by_neighbours.setdefault((word, previous[:1], after), []).append(
                        candidate)
                    for cut in range(_MIN_PIECE, len(previous) - _MIN_PIECE + 1):
                        self._split_before.setdefault(
                            (word, previous[cut:]), []).append(candidate)
                    order += 1
                self._inner.update(" ".join(words[i:j]) for i in range(len(words))
                                   for j in range(i + 2, len(words) + (i > 0)))
                for gap in range(1, len(words)):
                    left, right = " ".join(words[:gap]), " ".join(words[gap:])
                    if len(words[gap - 1]) >= _MIN_PIECE and len(words[gap]) >= _MIN_PIECE:
                        merges.setdefault(left + right, []).append(
                            (order, len(left), entry, name))
                        order += 1
        # Automaton values: (the key, is an anchor word, merged forms spelled by this key)
        self._automaton = ahocorasick.Automaton()
        for key in anchors | merges.keys():
            self._automaton.add_word(key, (key, key in anchors, tuple(merges.get(key, ()))))
        self._empty = not anchors
        self._reach = max(map(len, anchors), default=0) + 3
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, match_text: str, covered: list[tuple[int, int]],
             text: str) -> list[NearMiss]:
        """Near-misses in the prose, leftmost-longest, none equal to or cutting an exact
        occurrence of `covered`.

        `text`, the document as written, lets a missing space be told from a CamelCase
        identifier ("ClusterNetwork", "LoadBalancer"), which the lower-cased `match_text`
        cannot.
        """
        if self._empty:
            return []
        hits: list[tuple[int, int, int, Entry, str]] = []
        size = len(match_text)
        inside = self._inside_exact(match_text, covered)
        for end_index, (word, is_anchor, merges) in self._automaton.iter(match_text):
            end = end_index + 1
            start = end - len(word)
            # a space on either side is the common case: skip the boundary calls for it
            if start and match_text[start - 1] != " " and not boundary_before(match_text, start):
                continue
            if end < size and match_text[end] != " " and not boundary_after(match_text, end):
                continue
            if is_anchor and start not in inside:
                for order, words, position, entry, name, _ in self._candidates(
                        match_text, start, end, word):
                    window = _window(match_text, start, end, position, words)
                    if window is not None:
                        hits.append((window[0], -window[1], order, entry, name))
            if merges:
                for order, gap, entry, name in merges:
                    if not text[start + gap].isupper():
                        hits.append((start, -end, order, entry, name))
        return _leftmost_longest(hits, _Covered(covered))

    def _candidates(self, text: str, start: int, end: int, word: str) -> list[Candidate]:
        """The terms around an anchor hit whose neighbours' first letters fit (or, for a word
        split by a space, the letter after the space), in index order."""
        after = text[end + 1] if text[end:end + 1] == " " and end + 1 < len(text) else ""
        before, length = self._token_before(text, start)
        get = self._by_neighbours.get
        groups = [group for group in (
            get((word, before, after)) if before and after else None,
            get((word, before, "")) if before else None,
            get((word, "", after)) if after else None) if group]
        if length >= _MIN_PIECE:
            split = self._split_before.get((word, text[start - 1 - length:start - 1]))
            if split:
                groups.append(split)
        if len(groups) < 2:
            return groups[0] if groups else []
        unique = {candidate[0]: candidate for group in groups for candidate in group}
        return [unique[order] for order in sorted(unique)]

    def _inside_exact(self, text: str, covered: list[tuple[int, int]]) -> set[int]:
        """Starts of the words of exact multi-word occurrences that no longer term continues.

        An exact occurrence is a correct spelling, so a near-miss's edit never falls inside
        one; a window around it must then hold it whole as a run of a longer term's words
        ("guest cluster" in "guest cluster nodde"). Where no longer term has that run, its
        anchor words cannot start a window and are skipped: most anchor hits sit there.
        """
        inside: set[int] = set()
        inner = self._inner
        for start, end in covered:
            words = text[start:end]
            if " " not in words or words in inner:
                continue
            inside.add(start)
            space = words.find(" ")
            while space != -1:
                inside.add(start + space + 1)
                space = words.find(" ", space + 1)
        return inside

    def _token_before(self, text: str, start: int) -> tuple[str, int]:
        """First letter and length of the token one space before `start` ("", 0 if none)."""
        if start < 2 or text[start - 1] != " ":
            return "", 0
        # from the space before it: a term's word is never longer than the longest anchor, so
        # the search stays short; leading punctuation ("(guest") is skipped
        first = text.rfind(" ", max(0, start - self._reach), start - 1) + 1
        if first == 0 and start - 1 > self._reach:
            return "", 0
        while first < start - 1 and not text[first].isalnum():
            first += 1
        return (text[first], start - 1 - first) if first < start - 1 else ("", 0)


def _leftmost_longest(hits: list[tuple[int, int, int, Entry, str]],
                      covered: _Covered) -> list[NearMiss]:
    """Like exact matches: per start the longest window (then the earliest glossary entry),
    and no window overlapping one already taken; windows that cut an exact occurrence drop."""
    out: list[NearMiss] = []
    taken_end = -1
    for start, neg_end, _, entry, name in sorted(hits, key=lambda hit: hit[:3]):
        if start < taken_end or not covered.allows(start, -neg_end):
            continue
        taken_end = -neg_end
        out.append(NearMiss(start, taken_end, entry, name))
    return out
