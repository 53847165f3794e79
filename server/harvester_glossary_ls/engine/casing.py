"""The casing model: which letters' case a glossary really asserts, and what a use must fix.

A glossary entry is written in one of two ways. Some glossaries write each term as prose should
(the Harvester page: "mgmt", "VM network", "Harvester cluster"); there every letter counts
(`CasingPolicy.STRICT`). Others give each entry a *display title* ("Backup Target", "Kubelet",
"Control Plane"): a heading's capitals are typography, so prose that writes "the backup target"
is right. Under `CasingPolicy.ASSERTED` a form asserts only what its shape proves deliberate:

- every letter of a word with internal capitals (ConfigMap, StatefulSet, OTel, zPages, iSCSI);
- every letter of a word that starts lower case (mgmt, kubectl, cgroup) and of an acronym of two
  or more capitals or capitals with digits (ISO, VM, CRD, S3, V2);
- the lower case of every letter but the first of a word ("Ext4" asserts "xt", not "E"), so a
  lower-case word ("cluster" in "Harvester cluster") stays lower case;
- a word's initial capital only when it is known to be a proper noun (`proper_nouns`: the
  product's name, words the definitions write capitalised mid-sentence) or when the form
  deliberately mixes: a capitalised word that is not the title's first word next to a lower-case
  word ("guest Kubernetes cluster"). The first word of a display title is capitalised by
  convention either way (sentence case), so "Harvester cluster" as a heading asserts the "H" only
  when "Harvester" is a known proper noun; written deliberately (``display_title=False``) every
  letter of it counts, which is exactly STRICT.

A display title's ordinary capitalised word written all in capitals is emphasis ("DO NOT CHANGE
THIS WITH ATTACHED VOLUMES"), not a slip; identifiers (mgmt, ConfigMap) get no such leeway.
Ordinary words ("name", "image", "mount") used in lower case are plain words, never findings,
whatever the policy (`plain_word_use`). Everything here is pure and allocation-light: build one
`CasePattern` (or one `EntryCasing`) per glossary name when the glossary loads, then call
`corrected` for each occurrence.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from harvester_glossary_ls.engine.common_words import is_common_word
from harvester_glossary_ls.engine.models import Entry

__all__ = [
    "CasePattern",
    "CasingPolicy",
    "EntryCasing",
    "GlossaryCasing",
    "GlossaryShape",
    "asserted_pattern",
    "asserted_words",
    "corrected",
    "entry_policy",
    "format_defaults",
    "is_common_word",
    "plain_word_use",
    "proper_nouns_in",
    "resolve_policy",
    "violates",
]


class CasingPolicy(enum.Enum):
    """How much of a glossary form's case is policed (`casing:` in a config or glossary)."""

    STRICT = "strict"
    """Every letter as the glossary writes it (the Harvester page, our YAML format)."""
    ASSERTED = "asserted"
    """Only what the form's shape asserts (display-title glossaries)."""
    IGNORE = "ignore"
    """No letter: the term's case is never a finding."""

    @classmethod
    def parse(cls, text: str) -> CasingPolicy | None:
        """Accept "strict", "asserted" or "ignore" (any case; "off" means ignore); else None."""
        key = text.strip().lower()
        if key == "off":
            return cls.IGNORE
        for member in cls:
            if member.value == key:
                return member
        return None


class GlossaryShape(enum.Enum):
    """The glossary formats whose casing defaults differ."""

    DOCUSAURUS_BOLD = "docusaurus"
    """`## **term**` headings: terms written as prose writes them (the Harvester page)."""
    YAML = "yaml"
    """Our YAML glossary format: terms typed deliberately."""
    MARKDOWN_HEADINGS = "markdown-headings"
    """`### Term` pages (Longhorn's terminology page): display titles."""
    TERM_PAGES = "term-pages"
    """One page per term with a `title:` (Hugo, Kubernetes): display titles."""
    TBX = "tbx"
    """TermBase eXchange: terms written as prose writes them ("application", "SUSE Linux
    Enterprise Server"), so ASSERTED on non-display names, which asserts every letter; the
    difference from STRICT is that a TBX name marked as a title can still be relaxed."""


_DEFAULTS: dict[GlossaryShape, tuple[CasingPolicy, bool]] = {
    GlossaryShape.DOCUSAURUS_BOLD: (CasingPolicy.STRICT, False),
    GlossaryShape.YAML: (CasingPolicy.STRICT, False),
    GlossaryShape.MARKDOWN_HEADINGS: (CasingPolicy.ASSERTED, True),
    GlossaryShape.TERM_PAGES: (CasingPolicy.ASSERTED, True),
    GlossaryShape.TBX: (CasingPolicy.ASSERTED, False),
}


def format_defaults(shape: GlossaryShape) -> tuple[CasingPolicy, bool]:
    """(policy, display_title) a glossary of this shape gets when nothing overrides it.

    Heading- and title-based shapes are display titles: their names and the aliases written in
    the same convention (`aka:`, "X (Y)" pairs) should be passed with ``display_title=True``.
    """
    return _DEFAULTS[shape]


def resolve_policy(
    entry: CasingPolicy | None, glossary: CasingPolicy | None, shape: GlossaryShape
) -> CasingPolicy:
    """The entry's own `casing:` wins, then the glossary's, then the format default."""
    if entry is not None:
        return entry
    if glossary is not None:
        return glossary
    return _DEFAULTS[shape][0]


_WORD = re.compile(r"[^\W_]+")
"""A word of a form: letters and digits; hyphens, slashes and apostrophes separate words."""
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or the to via vs with without".split())
"""Words Title Case leaves lower case: they neither prove nor disprove a deliberate mix."""


def _cased(ch: str) -> bool:
    return ch.lower() != ch.upper()


class _Kind(enum.Enum):
    NONE = 0  # no cased letter (digits only)
    FIXED = 1  # acronym, internal capitals or lower-case first letter: every letter asserted
    LOWER = 2  # all lower case: asserted (counts as a lower-case word for the mix)
    CAPITALISED = 3  # upper-case first letter, the rest lower case: initial maybe asserted


def _kind(word: str) -> _Kind:
    letters = [c for c in word if _cased(c)]
    if not letters:
        return _Kind.NONE
    if all(c.islower() for c in letters):
        return _Kind.LOWER
    if letters[0].islower():
        return _Kind.FIXED  # zPages, iSCSI
    rest = letters[1:]
    if any(c.isupper() for c in rest):
        return _Kind.FIXED  # ConfigMap, OTel, ISO, RKE
    if not rest and any(c.isdigit() for c in word):
        return _Kind.FIXED  # S3, V2: a capital with digits is an identifier
    return _Kind.CAPITALISED


def _key(word: str) -> str:
    """Case- and inflection-blind key, so "Engines" and "engine" meet."""
    key = word.casefold()
    for mark in ("'s", "\u2019s"):
        if key.endswith(mark):
            key = key[: -len(mark)]
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return key


@functools.lru_cache(maxsize=16)
def _proper_keys(proper_nouns: frozenset[str]) -> frozenset[str]:
    return frozenset(_key(word) for word in proper_nouns)


@dataclass(frozen=True, slots=True)
class CasePattern:
    """One glossary form and, per character, whether its case is asserted.

    `form` has its whitespace collapsed to single spaces; `asserted[i]` says whether a use must
    write ``form[i]`` in exactly that case. `plain_word`: the form is one ordinary word, so a
    lower-case use is a plain word, never a finding.
    """

    form: str
    asserted: tuple[bool, ...]
    policy: CasingPolicy
    plain_word: bool = False
    shoutable: tuple[int, ...] = ()
    """Per character, the index of its word when that word may be shouted, else -1: a display
    title's ordinary capitalised word ("ATTACHED VOLUMES" is emphasis, not a casing slip)."""
    asserts_anything: bool = field(init=False)
    """Computed once: a pattern that asserts nothing answers every occurrence at once."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "asserts_anything", any(self.asserted))

    def asserted_form(self) -> str:
        """The form with unasserted letters shown as "?" (for messages and tests)."""
        pairs = zip(self.form, self.asserted, strict=True)
        return "".join(c if a or not _cased(c) else "?" for c, a in pairs)


def _mixes(kinds: Sequence[_Kind], words: Sequence[str], display_title: bool) -> bool:
    """A capitalised word next to a lower-case one: the capitals are deliberate.

    In a display title the first word is capitalised by convention, so it is no evidence.
    """
    significant = [(i, k) for i, (k, w) in enumerate(zip(kinds, words, strict=True))
                   if w.lower() not in _SMALL_WORDS]
    has_lower = any(k == _Kind.LOWER for _, k in significant)
    first = 1 if display_title else 0
    has_capital = any(k == _Kind.CAPITALISED and i >= first for i, k in significant)
    return has_lower and has_capital


def _display_mask(form: str, proper_nouns: frozenset[str]) -> tuple[list[bool], list[int]]:
    """ASSERTED on a display title: per character, what the shape asserts (module docstring),
    and which capitalised word it belongs to (those may be written all in capitals)."""
    mask = [False] * len(form)
    shout = [-1] * len(form)
    matches = list(_WORD.finditer(form))
    words = [m.group(0) for m in matches]
    kinds = [_kind(w) for w in words]
    mixed = _mixes(kinds, words, display_title=True)
    proper = _proper_keys(proper_nouns) if proper_nouns else frozenset()
    for index, (match, word, kind) in enumerate(zip(matches, words, kinds, strict=True)):
        start = match.start()
        capitalised = kind == _Kind.CAPITALISED
        first_letter = True
        for offset, ch in enumerate(word):
            if not _cased(ch):
                continue
            if capitalised:
                shout[start + offset] = index
            mask[start + offset] = not (capitalised and first_letter) or mixed or (
                _key(word) in proper)
            first_letter = False
    return mask, shout


def asserted_pattern(
    form: str,
    policy: CasingPolicy,
    *,
    display_title: bool,
    proper_nouns: frozenset[str] = frozenset(),
) -> CasePattern:
    """Which letters of `form` the glossary asserts, under `policy`.

    STRICT asserts every letter; IGNORE none. ASSERTED asserts every letter of a form written
    deliberately (``display_title=False``, e.g. a YAML term or a TBX term) and, for a display
    title, only what its shape proves (module docstring). `proper_nouns`: words known to be
    proper nouns in any case ("Longhorn", "Kubernetes"); see `proper_nouns_in`.
    """
    norm = " ".join(form.split())
    shout: list[int] = []
    if policy == CasingPolicy.IGNORE:
        mask = [False] * len(norm)
    elif policy == CasingPolicy.STRICT or not display_title:
        mask = [_cased(c) for c in norm]
    else:
        mask, shout = _display_mask(norm, proper_nouns)
    kinds = [_kind(w) for w in _WORD.findall(norm)]
    plain = (len(kinds) == 1 and kinds[0] in (_Kind.LOWER, _Kind.CAPITALISED)
             and norm.isalpha() and is_common_word(norm))
    shoutable = tuple(shout) if any(w >= 0 for w in shout) else ()
    return CasePattern(norm, tuple(mask), policy, plain, shoutable)


def _align(form: str, observed: str) -> tuple[list[tuple[int, int]], int, int]:
    """Pair the form's characters with the observed text's, ignoring case.

    A space of the form matches any run of whitespace (a term wrapped over a line break). Stops
    at the first mismatch: what follows in `observed` is an inflection ("s", "es", "'s").
    Returns (pairs of (form index, observed index), form characters consumed, observed consumed).
    """
    pairs: list[tuple[int, int]] = []
    i = j = 0
    n_form, n_obs = len(form), len(observed)
    while i < n_form and j < n_obs:
        f = form[i]
        o = observed[j]
        if f == " ":
            if not o.isspace():
                break
            while j < n_obs and observed[j].isspace():
                j += 1
            i += 1
            continue
        if f != o and f.lower() != o.lower():
            break
        pairs.append((i, j))
        i += 1
        j += 1
    return pairs, i, j


def _full_match(form: str, observed: str, consumed: int, rest: int) -> bool:
    """The whole form was seen, allowing "y" → "ies" (Policy → Policies)."""
    missing = len(form) - consumed
    if missing == 0:
        return True
    return (missing == 1 and form[-1] in "yY"
            and observed[rest:rest + 3].lower() == "ies")


def _fix_suffix(suffix: str, last: str) -> str:
    """A shouted suffix follows its corrected stem: "CONFIGMAPS" → "ConfigMaps", not "ConfigMapS".

    After an upper-case letter ("vms" → "VMs") the writer's suffix stays.
    """
    if last.islower() and suffix.isupper():
        return suffix.lower()
    return suffix


def corrected(
    pattern: CasePattern,
    observed: str,
    *,
    sentence_start: bool = False,
    plain_words: bool = True,
) -> str | None:
    """The spelling `observed` should have, or None when its case is right (or not this form).

    Only asserted letters change; unasserted ones keep the writer's case ("the longhorn engine"
    → "the Longhorn engine") and so do whitespace, line breaks and the inflection. At a sentence
    start a letter asserted lower case may be capitalised ("Mgmt is ..."), but an asserted capital
    is still required ("iso" → "ISO"). With `plain_words`, a lower-case use of an ordinary word
    is never a finding.
    """
    if observed == pattern.form or not pattern.asserts_anything:
        return None
    if plain_words and pattern.plain_word and observed.islower():
        return None
    form = pattern.form
    pairs, consumed, rest = _align(form, observed)
    if not pairs or not _full_match(form, observed, consumed, rest):
        return None
    wrong = _wrong_letters(pattern, observed, pairs, sentence_start)
    if not wrong:
        return None
    chars = list(observed)
    for i, j in wrong:
        chars[j] = pattern.form[i]
    suffix = _fix_suffix(observed[rest:], chars[pairs[-1][1]])
    return "".join(chars[:rest]) + suffix


def _wrong_letters(pattern: CasePattern, observed: str, pairs: list[tuple[int, int]],
                   sentence_start: bool) -> list[tuple[int, int]]:
    """The aligned (form, observed) positions whose asserted case the text gets wrong."""
    form = pattern.form
    asserted = pattern.asserted
    first_obs = pairs[0][1]
    wrong = []
    for i, j in pairs:
        want = form[i]
        got = observed[j]
        if got == want or not asserted[i]:
            continue
        if sentence_start and j == first_obs and want.islower() and got.isupper():
            continue  # "Mgmt is ...": a sentence may start with a capital
        wrong.append((i, j))
    if wrong and pattern.shoutable:
        wrong = [p for p in wrong if not _shouted(pattern, observed, pairs, p[0])]
    return wrong


def _shouted(pattern: CasePattern, observed: str, pairs: list[tuple[int, int]], i: int) -> bool:
    """The form word holding position `i` is an ordinary capitalised word written all in
    capitals ("DO NOT CHANGE THIS WITH ATTACHED VOLUMES"): emphasis, not a spelling."""
    word = pattern.shoutable[i]
    if word < 0:
        return False
    letters = [observed[j] for k, j in pairs if pattern.shoutable[k] == word]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def violates(pattern: CasePattern, observed: str, *, sentence_start: bool = False) -> bool:
    """True when `observed` writes an asserted letter of the form in the wrong case."""
    return corrected(pattern, observed, sentence_start=sentence_start) is not None


def plain_word_use(pattern: CasePattern, observed: str) -> bool:
    """An ordinary-word term ("name", "image", "Mount") written in lower case as a plain word.

    Such a use is no casing finding (whatever the policy) and no spelling finding either: a
    one-edit neighbour of an ordinary word is usually another ordinary word.
    """
    return pattern.plain_word and observed.islower()


@dataclass(frozen=True, slots=True)
class EntryCasing:
    """The case patterns of all names of one entry (term and aliases).

    A name that differs from another only in case is an accepted spelling, not a conflict. A
    display title's unasserted letters defer to another name with the same letters that asserts
    them: a Kubernetes page titled "Kubectl" with `aka: kubectl` asserts "kubectl".
    """

    patterns: tuple[CasePattern, ...]

    @classmethod
    def build(
        cls,
        names: Iterable[tuple[str, bool]],
        policy: CasingPolicy,
        *,
        proper_nouns: frozenset[str] = frozenset(),
    ) -> EntryCasing:
        """`names`: (form, display_title) for the term and each alias, term first."""
        built = [(asserted_pattern(form, policy, display_title=display,
                                   proper_nouns=proper_nouns), display)
                 for form, display in names]
        same_letters: dict[str, list[CasePattern]] = {}
        for pattern, _ in built:
            same_letters.setdefault(pattern.form.lower(), []).append(pattern)
        out = []
        for pattern, display in built:
            others = [o for o in same_letters[pattern.form.lower()] if o is not pattern]
            out.append(_defer(pattern, others) if display and others else pattern)
        return cls(tuple(out))

    def corrected(self, observed: str, *, sentence_start: bool = False) -> str | None:
        """None when any name accepts `observed`; else the first matching name's correction."""
        found = self.correction(observed, sentence_start=sentence_start)
        return None if found is None else found[1]

    def correction(self, observed: str, *, sentence_start: bool = False
                   ) -> tuple[CasePattern, str] | None:
        """Like `corrected`, with the pattern of the name whose correction it is."""
        first: tuple[CasePattern, str] | None = None
        for pattern in self.patterns:
            if observed == pattern.form:
                return None
            fix = corrected(pattern, observed, sentence_start=sentence_start)
            if fix is None:
                if _matches(pattern, observed):
                    return None
                continue
            if first is None:
                first = (pattern, fix)
        return first

    def pattern(self, name: str) -> CasePattern | None:
        """The pattern of one of the entry's names, as the glossary writes it."""
        form = " ".join(name.split())
        return next((p for p in self.patterns if p.form == form), None)

    @property
    def asserts_anything(self) -> bool:
        return any(p.asserts_anything for p in self.patterns)


def asserted_words(pattern: CasePattern, observed: str, fixed: str) -> str:
    """The words of the form whose asserted letters `fixed` corrects in `observed`, as the form
    writes them and joined by a space ("Longhorn" for "longhorn engine" under "Longhorn Engine");
    the whole form when the form asserts every cased letter (nothing to single out)."""
    if all(a or not _cased(c) for c, a in zip(pattern.form, pattern.asserted, strict=True)):
        return pattern.form
    pairs, _, _ = _align(pattern.form, observed)
    changed = {i for i, j in pairs if j < len(fixed) and fixed[j] != observed[j]}
    words = [m.group(0) for m in _WORD.finditer(pattern.form)
             if any(m.start() <= i < m.end() for i in changed)]
    return " ".join(words) or pattern.form


def _matches(pattern: CasePattern, observed: str) -> bool:
    pairs, consumed, rest = _align(pattern.form, observed)
    return bool(pairs) and _full_match(pattern.form, observed, consumed, rest)


def _defer(pattern: CasePattern, others: Sequence[CasePattern]) -> CasePattern:
    """Fill a display title's unasserted letters from the names that assert them and agree."""
    mask = list(pattern.asserted)
    chars = list(pattern.form)
    for i, flag in enumerate(mask):
        if flag:
            continue
        wanted = {o.form[i] for o in others if o.asserted[i]}
        if len(wanted) == 1:
            chars[i] = wanted.pop()
            mask[i] = True
    return CasePattern("".join(chars), tuple(mask), pattern.policy, pattern.plain_word)


_STRIP = re.compile(
    r"```.*?```|`[^`\n]*`|\]\([^)\n]*\)|https?://\S+|<[^>\n]*>|\{\{.*?\}\}"
    r"|\*\*[^*\n]+\*\*|__[^_\n]+__",
    re.S)
"""Code, link targets, URLs, HTML, shortcodes and bold UI labels: no evidence of prose case."""
_TOKEN = re.compile(r"[^\W\d_][^\W_]*(?:['\u2019]s)?|\S")
_SENTENCE_END = frozenset(".!?:")
_OPENERS = frozenset("-*+>#([\"'\u201c\u2018\x00")
"""List markers, quotes and brackets: what follows them may still be a sentence start."""


def _tokens(text: str) -> Iterator[tuple[str, bool, bool]]:
    """(word, at sentence start, right after another capitalised word) for each word."""
    for line in _STRIP.sub(" \x00 ", text).splitlines():
        at_start = True  # every line start counts as a sentence start: no false evidence
        after_capital = False
        for match in _TOKEN.finditer(line):
            token = match.group(0)
            if not token[0].isalpha():
                at_start = token in _SENTENCE_END or (at_start and token in _OPENERS)
                after_capital = False
                continue
            yield token, at_start, after_capital
            # "A Linux filesystem": a capitalised article starts no name; "Longhorn Manager" does
            after_capital = token[0].isupper() and not (at_start and is_common_word(token))
            at_start = False


def proper_nouns_in(texts: Iterable[str]) -> frozenset[str]:
    """Words the texts (a glossary's definitions) treat as proper nouns.

    A word counts when it is capitalised mid-sentence, not inside a run of capitalised words
    ("Longhorn Manager" is evidence for "Longhorn" only), and never written in lower case in
    prose. An ordinary word ("Memory" in "(CPU and Memory)") needs two such uses. Code, link
    targets, URLs and bold UI labels are ignored. Pass the result to `asserted_pattern`.
    """
    counts: dict[str, int] = {}
    spelled: dict[str, str] = {}
    lower: set[str] = set()
    for text in texts:
        for word, at_start, after_capital in _tokens(text):
            key = _key(word)
            if word.islower():
                lower.add(key)
            elif (_kind(word) == _Kind.CAPITALISED and len(word) > 1
                  and not at_start and not after_capital):
                counts[key] = counts.get(key, 0) + 1
                spelled.setdefault(key, word)
    return frozenset(
        spelled[key] for key, count in counts.items()
        if key not in lower and (count >= 2 or not is_common_word(spelled[key])))


def entry_policy(entry: Entry) -> CasingPolicy:
    """The entry's `casing` as a policy; an unknown value is STRICT, as the loader's default."""
    return CasingPolicy.parse(entry.casing) or CasingPolicy.STRICT


class GlossaryCasing:
    """One `EntryCasing` per entry of a glossary, built on an entry's first occurrence and kept
    for as long as the compiled glossary (a 10,000-term glossary compiles no slower for it).

    Proper nouns for an entry's display titles are those its own glossary's definitions show
    (`proper_nouns_in`, per `Entry.glossary`) plus the product names: the ones given (the docs
    site's product) and those the glossary's deprecations name ("harvester" in the overlay).
    """

    def __init__(self, entries: Sequence[Entry], products: Iterable[str] = ()) -> None:
        self._entries = tuple(entries)  # keeps the ids below unique while this table lives
        names = set(products) | {d.product for e in self._entries for d in e.deprecations}
        product_nouns = frozenset(w for p in names for w in p.split()
                                  if w.isalpha() and not is_common_word(w))
        self.product_nouns = product_nouns
        self._nouns: dict[str, frozenset[str]] = {}
        self._ids = frozenset(id(e) for e in self._entries)
        self._by_id: dict[int, EntryCasing] = {}

    def _proper_nouns(self, glossary: str) -> frozenset[str]:
        nouns = self._nouns.get(glossary)
        if nouns is None:
            nouns = self.product_nouns | proper_nouns_in(
                e.definition for e in self._entries if e.glossary == glossary)
            self._nouns[glossary] = nouns
        return nouns

    def _build(self, entry: Entry) -> EntryCasing:
        policy = entry_policy(entry)
        display = entry.display_names
        # Only display titles under ASSERTED look at proper nouns: skip the definitions' scan.
        nouns = (self._proper_nouns(entry.glossary)
                 if display and policy == CasingPolicy.ASSERTED else frozenset())
        return EntryCasing.build(((name, name in display) for name in entry.names), policy,
                                 proper_nouns=nouns)

    def of(self, entry: Entry) -> EntryCasing:
        """The entry's casing; an entry from elsewhere (a test's own) is built and not kept."""
        key = id(entry)
        found = self._by_id.get(key)
        if found is None:
            found = self._build(entry)
            if key in self._ids:
                self._by_id[key] = found
        return found
