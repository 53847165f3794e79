"""The term index: an Aho-Corasick automaton over every normalised spelling of every term.

Built once per glossary. Each term, alias and deprecated form is added with its plural and
possessive inflections; matching runs over the scanner's lower-cased prose text and keeps the
leftmost-longest hits that sit on word boundaries. Cost is linear in the text and nearly flat in
the number of terms, which a regex alternation is not (ARCHITECTURE.md, "Budgets").
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from harvester_glossary_ls.engine.code_tokens import code_token_spans, is_code_token
from harvester_glossary_ls.engine.models import (
    Deprecation,
    Entry,
    Glossary,
    Occurrence,
    OccurrenceKind,
)
from harvester_glossary_ls.engine.scan import MASK
from harvester_glossary_ls.engine.text import lower_same_length

_JOINERS = frozenset("-.@")


@dataclass(frozen=True, slots=True)
class Pattern:
    """What one automaton key stands for."""

    entry: Entry
    kind: OccurrenceKind
    form: str
    strip: int = 0
    suffix: str = ""
    deprecation: Deprecation | None = None


def normalise(name: str) -> str:
    """Lower-case and collapse whitespace: the key under which a spelling is indexed."""
    return " ".join(lower_same_length(name).split())


def inflections(form: str) -> list[tuple[int, str]]:
    """(characters to strip, suffix) pairs for plural and possessive forms of a term."""
    if not form or not form[-1].isalpha():
        return [(0, "'s"), (0, "\u2019s")] if form and form[-1].isalnum() else []
    out: list[tuple[int, str]] = []
    last = form[-1].lower()
    if last != "s":
        if form.lower().endswith(("x", "z", "ch", "sh")):
            plural = (0, "es")
        elif last == "y" and len(form) > 1 and form[-2].lower() not in "aeiou":
            plural = (1, "ies")
        else:
            plural = (0, "s")
        out.append(plural)
        out += [(0, "'s"), (0, "\u2019s"), (plural[0], plural[1] + "'"),
                (plural[0], plural[1] + "\u2019")]
    else:
        out += [(0, "'"), (0, "\u2019"), (0, "'s"), (0, "\u2019s")]
    return out


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def is_cjk(ch: str) -> bool:
    """A character of a script written without spaces (Han, Kana, Hangul, Yi, CJK forms).

    Text in these scripts glues particles and words to an English term ("API serverは", "API
    server를", "API server的"), so a change between such a character and any other is a word
    boundary.
    """
    o = ord(ch)
    return (0x2E80 <= o <= 0xA4CF or 0xAC00 <= o <= 0xD7FF or 0x1100 <= o <= 0x11FF
            or 0xF900 <= o <= 0xFAFF or 0xFF66 <= o <= 0xFFDC or 0xA960 <= o <= 0xA97F
            or 0x20000 <= o <= 0x3FFFF)


def _script_change(a: str, b: str) -> bool:
    """Whether two adjacent word characters belong to different scripts (one CJK, one not).

    The comparison with U+1100 keeps the common case (both Latin) to two string comparisons:
    this runs on every automaton hit that sits next to a letter.
    """
    return (a >= "\u1100" or b >= "\u1100") and is_cjk(a) != is_cjk(b)


def boundary_before(text: str, start: int) -> bool:
    """Whether a word may start at `start`: not inside a word or a joined identifier."""
    if start == 0:
        return True
    ch = text[start - 1]
    if ch == "_":  # Markdown emphasis (`_term_`, `__term__`), unless inside `an_identifier`
        i = start - 1
        while i > 0 and text[i - 1] == "_":
            i -= 1
        return i == 0 or not text[i - 1].isalnum()
    if _is_word(ch):
        return start < len(text) and _script_change(ch, text[start])
    return not (ch in _JOINERS and start >= 2 and _is_word(text[start - 2]))


def boundary_after(text: str, end: int) -> bool:
    """Whether a word may end at `end`: not followed by more of the word or an identifier."""
    if end >= len(text):
        return True
    ch = text[end]
    if ch == "_":
        i = end + 1
        while i < len(text) and text[i] == "_":
            i += 1
        return i >= len(text) or not text[i].isalnum()
    if _is_word(ch):
        return end > 0 and _script_change(text[end - 1], ch)
    return not (ch in _JOINERS and end + 1 < len(text) and _is_word(text[end + 1]))


class TermIndex:
    """Every spelling of every entry, searchable in one pass over a text."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.patterns: list[Pattern] = []
        self._keys: dict[str, int] = {}
        self.by_name: dict[str, Entry] = {}
        self._automaton = ahocorasick.Automaton()
        bases: list[tuple[str, Pattern]] = []
        for entry in glossary.entries:
            for name, kind in [(entry.term, OccurrenceKind.TERM)] + [
                (alias, OccurrenceKind.ALIAS) for alias in entry.aliases
            ]:
                self.by_name.setdefault(name.casefold(), entry)
                bases.append((name, Pattern(entry, kind, name)))
            for dep in entry.deprecations:
                bases.append((dep.form, Pattern(entry, OccurrenceKind.DEPRECATED, dep.form,
                                                deprecation=dep)))
        for name, pattern in bases:  # every base spelling wins over any inflection
            self._add(normalise(name), pattern)
        for name, pattern in bases:
            key = normalise(name)
            for strip, suffix in inflections(name):
                stem = key[: len(key) - strip] if strip else key
                self._add(stem + suffix, Pattern(pattern.entry, pattern.kind, pattern.form,
                                                 strip, suffix, pattern.deprecation))
        if self.patterns:
            self._automaton.make_automaton()
        self._code_like = any(is_code_token(key) for key in self._keys)
        """Some spelling looks like a path or dotted name ("node.js"): the scanners mask such
        tokens, so find() looks them up whole where they were masked as code tokens."""

    def _add(self, key: str, pattern: Pattern) -> None:
        if not key or key in self._keys:
            return
        self._keys[key] = len(self.patterns)
        self.patterns.append(pattern)
        self._automaton.add_word(key, (len(self.patterns) - 1, len(key)))

    def __len__(self) -> int:
        return len(self.patterns)

    def entry(self, name: str) -> Entry | None:
        """An entry by its term or an alias, case-insensitively."""
        return self.by_name.get(name.casefold())

    def lookup(self, spelling: str) -> Pattern | None:
        """The pattern an exact spelling (any case, any inflection) stands for."""
        index = self._keys.get(normalise(spelling))
        return None if index is None else self.patterns[index]

    def _code_token_hits(self, text: str, match_text: str) -> list[tuple[int, int, int]]:
        """Whole code-like tokens that are a spelling of a term ("node.js" in prose).

        Only tokens the scanner masked as code tokens count: the characters around them are
        prose, unlike inline code or a link target, whose delimiters are masked too."""
        hits = []
        for start, end in code_token_spans(text):
            before = match_text[start - 1] if start else " "
            after = match_text[end] if end < len(match_text) else " "
            if MASK in (before, after) or match_text[start:end].strip(MASK):
                continue
            index = self._keys.get(normalise(text[start:end]))
            if index is not None:
                hits.append((start, start - end, index))
        return hits

    def find(self, text: str, match_text: str) -> list[Occurrence]:
        """Leftmost-longest occurrences in `match_text` (lower-cased, masked, as long as text)."""
        if not self.patterns:
            return []
        hits: list[tuple[int, int, int]] = []
        for end_index, (pattern_index, key_len) in self._automaton.iter(match_text):
            end = end_index + 1
            start = end - key_len
            if boundary_before(match_text, start) and boundary_after(match_text, end):
                hits.append((start, -key_len, pattern_index))
        if self._code_like:
            hits += self._code_token_hits(text, match_text)
        if not hits:
            return []
        hits.sort()
        out: list[Occurrence] = []
        last_end = -1
        for start, neg_len, pattern_index in hits:
            if start < last_end:
                continue
            end = start - neg_len
            last_end = end
            p = self.patterns[pattern_index]
            out.append(Occurrence(start, end, p.entry, p.kind, p.form, text[start:end],
                                  p.strip, len(p.suffix), p.deprecation))
        return out
