"""Names of a glossary entry from its display heading or title, and Hugo/Goldmark heading anchors.

Glossary pages write an entry's names in its heading: "Attach/Reattach", "SMB/CIFS",
"guest cluster / guest Kubernetes cluster", "Container Runtime Interface (CRI)",
"cgroup (control group)", "Volumes (Kubernetes Concept)". `split_display_name` turns such a
heading or front-matter title into the entry's names so every one of them hovers and completes,
while a parenthesised qualifier ("Kubernetes Concept") is not taken for a name.

The rules, in order (each is decided on the heading's plain text, markup removed):

1. Spaced slashes always separate alternatives: "a / b" gives a and b (the Docusaurus convention).
2. A trailing "(Y)" is judged against the text X before it. Y is a name when it is an
   abbreviation of X or X of Y (`is_abbreviation`): "Container Runtime Interface (CRI)",
   "RBAC (Role-Based Access Control)", "cgroup (control group)", "Disaster Recovery Volumes
   (DR volume)". It is also a name when it says so: "(aka Y)", "(also known as Y)", "(or Y)".
   Several candidates may be listed: "(PV, PVs)". Anything else is a qualifier and is dropped:
   "Volumes (Kubernetes Concept)" names only "Volumes". A parenthesis inside the text is kept.
3. An unspaced slash separates alternatives only inside a single word ("Attach/Reattach",
   "SMB/CIFS", "RWO/RWX") and only when every side starts with a letter, has three or more
   characters and no dot. So "I/O", "TCP/IP", "CI/CD", "PV/PVC" (a short side), paths
   ("a/b.yaml") and "Backup Target/Store" (spaces: which words does the slash bind?) stay whole,
   as do a few compounds that are one name ("input/output", "read/write", "client/server").

The first name is the term, the rest are aliases.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from harvester_glossary_ls.engine.markdown_links import replace_links

# --- inline markup -------------------------------------------------------------------------------

_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ATTRIBUTES = re.compile(r"\s*\{\s*(?:[#.][\w-]|[\w-]+=)[^{}]*\}\s*$")
_SPACES = re.compile(r"\s+")


def plain_heading_text(markdown: str) -> str:
    """A heading's text as a reader sees it: links, emphasis, code marks and HTML tags removed.

    Names must be matched against prose, so `**Backup Target**` and `[CRD](#crd)` must give the
    words alone. A trailing Hugo attribute block (`{#id .class}`) is not part of the text.
    """
    text = _ATTRIBUTES.sub("", markdown)
    text = replace_links(text, lambda link: link.text)  # the one link parser: no regex copy
    text = _REF_LINK.sub(r"\1", text)
    text = _HTML_TAG.sub("", text)
    text = text.replace("`", "")
    for _ in range(3):  # nested emphasis: ***a***, **_a_**
        text = _EMPHASIS.sub(r"\2", _STRONG.sub(r"\2", text))
    text = _ESCAPE.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip().rstrip(":").strip()


# --- abbreviations -------------------------------------------------------------------------------

# Words an acronym may skip ("Quality of Service" -> QoS needs no letter for "of", may take one).
_STOPWORDS = frozenset("a an and as at by for in of on or the to via with".split())
_WORD_SPLIT = re.compile(r"[\s\-/_]+")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\W\d_]+")
_NUMERONYM = re.compile(r"^([a-z])(\d+)([a-z])$")


def _long_words(text: str) -> tuple[str, ...]:
    """Words of a long form, split at spaces, hyphens, slashes and camelCase humps, lowercased."""
    words: list[str] = []
    for chunk in _WORD_SPLIT.split(text):
        words.extend(part.lower() for part in _CAMEL.findall(chunk))
    return tuple(words)


def _short_tokens(text: str) -> tuple[str, ...]:
    """Tokens of a short form ("DR volume" -> dr, volume); dots dropped so "U.S." is "us"."""
    return tuple(t.lower() for t in _WORD_SPLIT.split(text.replace(".", "")) if t)


def _token_ends(token: str, words: tuple[str, ...], start: int) -> set[int]:
    """Word indexes j such that `token` is made of non-empty prefixes of words[start:j], in order.

    A stop word may also give no letter. "cgroup" over (control, group) ends at 2 (c + group);
    "dr" over (disaster, recovery, volumes) ends at 2.
    """

    @cache
    def walk(pos: int, index: int) -> frozenset[int]:
        if pos == len(token):
            return frozenset({index})
        if index >= len(words):
            return frozenset()
        word = words[index]
        ends: set[int] = set()
        if word in _STOPWORDS:
            ends |= walk(pos, index + 1)
        size = 1
        while size <= len(word) and pos + size <= len(token) and token[pos + size - 1] == word[
            size - 1
        ]:
            ends |= walk(pos + size, index + 1)
            size += 1
        return frozenset(ends)

    return {end for end in walk(0, start) if end > start}


def _covers(tokens: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """True when the tokens, in order, use up every word (see `_token_ends`), plurals allowed."""
    reachable = {0}
    for token in tokens:
        forms = {token, token[:-1]} if len(token) > 2 and token.endswith("s") else {token}
        reachable = {end for start in reachable for form in forms
                     for end in _token_ends(form, words, start)}
        if not reachable:
            return False
    return len(words) in reachable


def is_abbreviation(short: str, long: str) -> bool:
    """Whether `short` abbreviates `long`: CRI / Container Runtime Interface, cgroup / control
    group, RBAC / Role-Based Access Control, DR volume / Disaster Recovery Volumes, K8s /
    Kubernetes.

    Each token of `short` must be made of prefixes of consecutive words of `long` (first letters
    for an acronym, more for "cgroup"), every non-stop word of `long` must give at least one letter,
    and `short` must have fewer tokens than `long` has words, so a mere shared word ("Backup" /
    "Backup Volume") or a qualifier ("Kubernetes Concept") is never an abbreviation.
    """
    tokens, words = _short_tokens(short), _long_words(long)
    if not tokens or not words or short.casefold() == long.casefold():
        return False
    if len("".join(tokens)) >= len("".join(words)):
        return False
    numeronym = _NUMERONYM.match(tokens[0]) if len(tokens) == 1 else None
    if numeronym and len(words) == 1:
        word = words[0]
        first, count, last = numeronym.groups()
        return word[0] == first and word[-1] == last and len(word) == int(count) + 2
    content_words = [w for w in words if w not in _STOPWORDS]
    if len(tokens) >= len(content_words):
        return False
    return _covers(tokens, words)


# --- splitting -----------------------------------------------------------------------------------

_SPACED_SLASH = re.compile(r"\s+/\s+")
_TRAILING_PAREN = re.compile(r"^(?P<base>.*?\S)\s*\((?P<inner>[^()]*)\)$")
_ALIAS_MARKER = re.compile(
    r"^(?:aka|a\.k\.a\.?|also(?:\s+known\s+as|\s+called)?|or|short\s+for)\s+(?P<name>.+)$",
    re.IGNORECASE,
)
_SLASH_SIDE = re.compile(r"^[^\W\d_][\w+-]{2,}$")
_SLASH_COMPOUNDS = frozenset(
    "input/output read/write client/server and/or either/or copy/paste cut/paste".split()
)


@dataclass(frozen=True, slots=True)
class DisplayNames:
    """The names a display heading or title gives an entry, and what was judged not a name."""

    names: tuple[str, ...]
    """Term first, then aliases, each spelling once (a case-only variant is kept: "kubectl")."""
    qualifiers: tuple[str, ...] = ()
    """Parenthesised text that is not a name ("Kubernetes Concept"), for reports and tests."""

    @property
    def term(self) -> str:
        return self.names[0] if self.names else ""

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.names[1:]


def split_slash_word(text: str) -> tuple[str, ...]:
    """Alternatives of an unspaced "A/B" word (rule 3 of the module doc); (text,) otherwise."""
    if "/" not in text or any(ch.isspace() for ch in text):
        return (text,)
    if text.casefold() in _SLASH_COMPOUNDS:
        return (text,)
    sides = text.split("/")
    if all(_SLASH_SIDE.match(side) for side in sides):
        return tuple(sides)
    return (text,)


def _paren_names(base_forms: tuple[str, ...], inner: str) -> tuple[list[str], list[str]]:
    """(names, qualifiers) for the text in a trailing parenthesis (rule 2)."""
    inner = inner.strip()
    marker = _ALIAS_MARKER.match(inner)
    if marker:
        return [marker.group("name").strip()], []
    names: list[str] = []
    qualifiers: list[str] = []
    candidates = [c.strip() for c in re.split(r"[,;]", inner) if c.strip()]
    for candidate in candidates:
        if any(is_abbreviation(candidate, form) or is_abbreviation(form, candidate)
               for form in base_forms):
            names.append(candidate)
        else:
            qualifiers.append(candidate)
    if qualifiers and names:  # "(PV, Kubernetes)": a mixed list reads as one qualifier
        return [], [inner]
    return names, qualifiers


def _part_names(part: str) -> tuple[list[str], list[str]]:
    """Names and qualifiers of one alternative of a heading (already split at spaced slashes)."""
    match = _TRAILING_PAREN.match(part)
    if match is None:
        return list(split_slash_word(part)), []
    base = match.group("base").strip()
    forms = split_slash_word(base)
    extra, qualifiers = _paren_names((base, *forms) if len(forms) > 1 else forms,
                                     match.group("inner"))
    return [*forms, *extra], qualifiers


def split_display_name(title: str) -> DisplayNames:
    """The names of an entry from its heading or title (see the module doc for the rules).

    Markup is removed first (`plain_heading_text`), so `**a** / **b**` and `[CRD](#crd)` work.
    An empty or markup-only title gives no names.
    """
    text = plain_heading_text(title)
    names: list[str] = []
    qualifiers: list[str] = []
    for part in _SPACED_SLASH.split(text):
        part_names, part_qualifiers = _part_names(part.strip())
        names.extend(part_names)
        qualifiers.extend(part_qualifiers)
    unique: dict[str, None] = {}  # exact spellings: a case-only twin is an accepted spelling
    for name in names:
        clean = _SPACES.sub(" ", name).strip()
        if any(ch.isalnum() for ch in clean):  # "* *" is leftover markup, not a name
            unique.setdefault(clean)
    return DisplayNames(tuple(unique), tuple(qualifiers))


# --- Hugo / Goldmark anchors ---------------------------------------------------------------------


def goldmark_slug(raw: str) -> str:
    """The heading id Hugo gives a heading with its default `autoHeadingIDType = "github"`.

    Goldmark slugs the heading's *source* text, not the rendered one: `**Bold**` gives "bold",
    `[a](b)` gives "ab". Spaces, tabs and hyphens each become "-", letters (lowercased), digits
    and "_" stay, everything else ("/", "(", ".", "'") goes: "Attach/Reattach" -> "attachreattach",
    "Disaster Recovery Volumes (DR volume)" -> "disaster-recovery-volumes-dr-volume". It differs
    from `slug.github_slug` (Docusaurus) on tabs, Unicode letters outside \\w and trimming.
    """
    out: list[str] = []
    for ch in raw.strip(" \t"):
        if ch in "- \t":
            out.append("-")
        elif ch == "_" or ch.isalpha() or unicodedata.category(ch) == "Nd":
            out.append(ch.lower()[0])  # Go lowercases rune by rune: "İ" -> "i"
    return "".join(out)


class GoldmarkIds:
    """Unique heading ids for one page, as Goldmark hands them out in document order.

    A repeated id gets "-1", "-2", ...; an empty one is "heading". Explicit ids (`{#id}`) are
    registered with `put` so a later generated id does not take them.
    """

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def put(self, anchor: str) -> None:
        self._taken.add(anchor)

    def generate(self, raw: str) -> str:
        base = goldmark_slug(raw) or "heading"
        anchor = base
        number = 1
        while anchor in self._taken:
            anchor = f"{base}-{number}"
            number += 1
        self._taken.add(anchor)
        return anchor
