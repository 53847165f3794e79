"""Rules: turn occurrences into findings with stable codes, severities and replacements.

`deprecated-term` (warning): a deprecated or renamed wording, from its since-version on, unless
the sentence itself explains the deprecation. `term-casing` (information): a letter whose case
the glossary asserts (engine/casing.py: every letter under `casing: strict`, only what a display
title's shape proves under `asserted`) is written in another case, except on headings, table
headers, sentence starts and bold UI labels; an ordinary-word term ("name", "image") written in
lower case is a plain word. `term-spelling` (hint): a one-edit near-miss of a multi-word term,
never of an ordinary-word term in lower case. `unlinked-term` (off by default, on in `report`):
the first prose use of a term on a page that does not link its entry; its fix makes that use the
link the site would use (engine/term_links.py knows the sites).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from harvester_glossary_ls.engine.casing import GlossaryCasing, asserted_words, plain_word_use
from harvester_glossary_ls.engine.models import (
    Entry,
    Finding,
    Occurrence,
    OccurrenceKind,
    Version,
)
from harvester_glossary_ls.engine.rule_codes import (
    CASING,
    DEPRECATED,
    SPELLING,
    UNLINKED,
    RuleSettings,
)
from harvester_glossary_ls.engine.scan import MASK, LineKind, ProseScan
from harvester_glossary_ls.engine.spelling import NearMiss
from harvester_glossary_ls.engine.suppress import Suppressions

_SENTENCE_END = ".!?:;|"
_OPENERS = " \t*_[(\"'\u201c\u2018`>" + MASK
_EXPLAINS_DEPRECATION = re.compile(  # searched in lower-cased text: 3x faster than IGNORECASE
    r"deprecat|no longer|removed|renamed|replaced|instead of|formerly|previously|superseded")
_WINDOW = 1000
"""Characters of context the position-dependent exceptions look at on each side of a term."""
_SENTENCE_WINDOW = 300
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")


class PageLinks(Protocol):
    """What one page already links (engine/term_links.py reads it)."""

    def in_link_text(self, start: int, end: int) -> bool:
        """Whether the span lies inside the text of a link."""
        ...

    def links(self, entry: Entry) -> bool:
        """Whether some link on the page leads to `entry`'s glossary entry."""
        ...


class TermLinker(Protocol):
    """Where one document links glossary entries (engine/term_links.py builds one per
    document: the site, tree and published URL it belongs to)."""

    def link(self, entry: Entry, text: str) -> str | None:
        """What `text`, a use of `entry`, becomes as a link to its entry; None when the entry
        has nowhere to link or the document is the entry's own glossary page."""
        ...

    def page(self, text: str) -> PageLinks:
        ...


class _Context:
    """Per-document helpers for the position-dependent exceptions; only used on rare hits."""

    def __init__(self, text: str, scan: ProseScan) -> None:
        self.text = text
        self.scan = scan

    def line(self, offset: int) -> int:
        return self.scan.lines.line_of(offset)

    def kind(self, line: int) -> LineKind:
        return LineKind(self.scan.kinds[line]) if line < len(self.scan.kinds) else LineKind.OTHER

    def sentence_start(self, offset: int) -> bool:
        line = self.line(offset)
        floor = self.scan.lines.starts[line] + self.scan.prose_starts[line]
        pos = offset
        text = self.text
        while pos > floor and (text[pos - 1] in _OPENERS or self.scan.match_text[pos - 1] == MASK):
            pos -= 1
        if pos <= floor:
            return True
        return text[pos - 1] in _SENTENCE_END

    def window(self, start: int, end: int, size: int = _WINDOW) -> tuple[int, int, int]:
        """(line, lo, hi): the line around an occurrence, at most _WINDOW characters each side,
        so a megabyte-long line costs each occurrence a bounded slice, not the whole line."""
        line = self.line(start)
        line_start = self.scan.lines.starts[line]
        line_end = self.scan.lines.line_end(line)
        return line, max(line_start, start - size), min(line_end, end + size)

    def in_bold(self, start: int, end: int) -> bool:
        _, line_start, line_end = self.window(start, end)
        line_text = self.text[line_start:line_end]
        if "**" not in line_text and "__" not in line_text:
            return False
        return any(m.start() <= start - line_start and end - line_start <= m.end()
                   for m in _BOLD.finditer(line_text))

    def in_title(self, start: int, end: int) -> bool:
        """Inside link text, quotes or a short line written in Title Case (a heading or UI name).

        Link texts that name a page or section repeat its title ("[Guest Cluster Log
        Collection](...)"), and quoted UI names keep the UI's capitals: neither is a casing slip.
        """
        line, line_start, line_end = self.window(start, end)
        line_text = self.text[line_start:line_end]
        rel_start, rel_end = start - line_start, end - line_start
        before = _PREVIOUS_WORD.search(line_text, 0, rel_start)
        if (before is not None and before.group(1)[0].isupper()
                and all(word[:1].isupper() for word in self.text[start:end].split())
                and not self.sentence_start(
                    line_start + before.start(1))):
            return True  # part of a longer proper name: "the Longhorn Storage Network setting"
        for match in _CONTAINERS.finditer(line_text):
            if match.start() < rel_start and rel_end < match.end() and _title_case(
                    match.group(0)[1:-1]):
                return True
        full_start = self.scan.lines.starts[line]
        if line_start != full_start or line_end != self.scan.lines.line_end(line):
            return False  # a line longer than the window is no short title
        prose = line_text[self.scan.prose_starts[line]:]
        stripped = prose.rstrip(" *_")
        is_sentence = stripped.endswith((".", "!", "?"))
        return not is_sentence and len(prose.split()) <= 8 and _title_case(prose)

    def whole_item(self, start: int, end: int) -> bool:
        """The term is all a list item or a table cell holds ("- statefulSets" in a list of API
        resources, "| DR Volume | yes |"), or the cell is a short Title Case label ("| Volume
        Live Migration | yes |"): a label or a value as the UI or API writes it."""
        line, lo, hi = self.window(start, end)
        kind = self.kind(line)
        text = self.text
        if kind == LineKind.TABLE_ROW:
            left = text.rfind("|", lo, start)
            right = text.find("|", end, hi)
            if left < 0 or right < 0:
                return False
            cell = text[left + 1:right].strip(_LABEL_MARKUP)
            if len(cell.split()) <= 8 and not cell.endswith((".", "!", "?")) and _title_case(
                    cell):
                return True
            lo, hi = left + 1, right
        elif kind == LineKind.LIST_ITEM:
            line_start = self.scan.lines.starts[line]
            if lo != line_start or hi != self.scan.lines.line_end(line):
                return False  # longer than the window: no one-term item
            lo += self.scan.prose_starts[line]
        else:
            return False
        return not text[lo:start].strip(_LABEL_MARKUP) and not text[end:hi].strip(
            _LABEL_MARKUP + ".,;")

    def literal_value(self, start: int, end: int) -> bool:
        """Quoted ('"rke2"'), an item of a comma or slash list ("(azblob, cifs, nfs, s3)"), or
        what a sentence says something is or is set to, ending it ("if the backup is s3.")."""
        _, lo, hi = self.window(start, end)
        before = self.text[lo:start]
        after = self.text[end:hi]
        if before[-1:] in _QUOTES and after[:1] == before[-1]:
            return True
        before = before.rstrip(" \t")
        after = after.lstrip(" \t")
        if before[-1:] in _LIST_SEPARATORS and after[:1] in _LIST_SEPARATORS:
            return True
        # "if the backup type is s3.", "type: nfs", "set it to cifs": the value as written
        return _VALUE_INTRO.search(before) is not None and after[:1] in ("", *_VALUE_END)

    def sentence(self, start: int, end: int) -> str:
        _, line_start, line_end = self.window(start, end, _SENTENCE_WINDOW)
        left = max(self.text.rfind(". ", line_start, start), line_start)
        right = self.text.find(". ", end, line_end)
        return self.text[left:start] + " " + self.text[end:line_end if right < 0 else right]


_LABEL_MARKUP = " \t*_`"
_LIST_SEPARATORS = frozenset(",/()")
_QUOTES = frozenset("\"'")
_VALUE_INTRO = re.compile(r"(?:\b(?:is|equals|to)|[=:])$")
_VALUE_END = frozenset(".,;)")
_PREVIOUS_WORD = re.compile(r"([A-Za-z][\w-]*) $")
_CONTAINERS = re.compile(r"\[[^\[\]\n]*\]|\"[^\"\n]*\"|\u201c[^\u201d\n]*\u201d")
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or the to via vs with without".split())


def _title_case(text: str) -> bool:
    """Most significant words capitalised, as in headings and page titles."""
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", text) if w.lower() not in _SMALL_WORDS]
    if len(words) < 2:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised * 4 >= len(words) * 3


def _join_like(template: str, words: str) -> str:
    """Give a replacement the whitespace of the text it replaces (a term may wrap a line)."""
    gaps = re.findall(r"\s+", template)
    parts = words.split(" ")
    if len(gaps) != len(parts) - 1:
        return words
    return "".join(p + (gaps[i] if i < len(gaps) else "") for i, p in enumerate(parts))


def expected_spelling(occurrence: Occurrence, sentence_start: bool) -> str | None:
    """The glossary spelling for a term occurrence, or None when the text already has it: every
    letter as the glossary writes it (what `casing.corrected` gives under STRICT; `term-casing`
    uses that, so it also reads display titles)."""
    text = occurrence.text
    base_text = text[: len(text) - occurrence.suffix_len] if occurrence.suffix_len else text
    form = occurrence.form
    canon = form[: len(form) - occurrence.strip] if occurrence.strip else form
    typed = " ".join(base_text.split())
    if typed == canon:
        return None
    if sentence_start and typed == canon[:1].upper() + canon[1:]:
        return None
    if sentence_start and canon[:1].islower():
        canon = canon[:1].upper() + canon[1:]
    suffix = text[len(base_text):]
    suffix = suffix.upper() if base_text.isupper() and not canon.isupper() else suffix
    if canon.isupper() and suffix and suffix.isupper():
        suffix = suffix.lower()
    return _join_like(base_text, canon) + suffix


def _one_line(text: str) -> str:
    """A term as a message quotes it: wrapped over a line break, it reads with one space, so a
    message (and the text format's finding) stays one line."""
    return " ".join(text.split())


def _deprecation_message(occurrence: Occurrence) -> str:
    dep = occurrence.deprecation
    assert dep is not None
    return f"'{_one_line(occurrence.text)}' is deprecated" + dep.advice(
        lambda use: f"'{_one_line(use)}'")


class _Check:
    """What every rule needs for one document: its text helpers, settings and suppressions."""

    def __init__(self, text: str, scan: ProseScan, settings: RuleSettings,
                 version: Version | None, suppressions: Suppressions, product: str = "",
                 casing: GlossaryCasing | None = None) -> None:
        self.text = text
        self.casing = casing if casing is not None else GlossaryCasing(())
        self.context = _Context(text, scan)
        self.version = version
        self.product = product
        self.suppressions = suppressions
        self.ignored = settings.ignore_words
        self.deprecated_severity = settings.severity(DEPRECATED)
        self.casing_severity = settings.severity(CASING)
        self.spelling_severity = settings.severity(SPELLING)
        self.unlinked_severity = settings.severity(UNLINKED)

    def allowed(self, code: str, start: int, occurrence_text: str) -> bool:
        """Neither an ignored word nor suppressed on its line."""
        if self.ignored and occurrence_text.casefold() in self.ignored:
            return False
        return not self.suppressions.suppressed(self.context.line(start), code)


def _deprecated_term(check: _Check, occ: Occurrence) -> Finding | None:
    """`deprecated-term`: from the since-version on, unless the sentence explains it."""
    dep = occ.deprecation
    severity = check.deprecated_severity
    if dep is None or severity is None or not dep.applies_to(check.version, check.product):
        return None
    if not check.allowed(DEPRECATED, occ.start, occ.text):
        return None
    if occ.kind != OccurrenceKind.YAML and _EXPLAINS_DEPRECATION.search(
            check.context.sentence(occ.start, occ.end).lower()):
        return None
    return Finding(DEPRECATED, severity, occ.start, occ.end, _deprecation_message(occ),
                   occ.entry, dep.use, dep.safe_replacement is not None, dep)


def _term_casing(check: _Check, occ: Occurrence) -> Finding | None:
    """`term-casing`: prose that writes a letter whose case the glossary asserts in another
    case, except where the case is the writer's to choose (headings, sentence starts, bold
    labels, titles). The fix changes only asserted letters (`casing.corrected`)."""
    severity = check.casing_severity
    if severity is None or occ.kind == OccurrenceKind.YAML:
        return None
    # Not `occ.text == occ.form`: a title "Kubectl" defers to its alias "kubectl" (casing.py).
    casing = check.casing.of(occ.entry)
    # Without the sentence start first: it only ever relaxes, and most uses are right anyway.
    if casing.correction(occ.text) is None:
        return None
    context = check.context
    if context.kind(context.line(occ.start)) in (LineKind.HEADING, LineKind.TABLE_HEADER):
        return None
    starts_sentence = context.sentence_start(occ.start)
    found = casing.correction(occ.text, sentence_start=True) if starts_sentence else (
        casing.correction(occ.text))
    if found is None:
        return None
    if context.in_bold(occ.start, occ.end) or context.in_title(occ.start, occ.end):
        return None
    if starts_sentence and check.text.startswith(":", occ.end):
        return None  # "- Cluster Network: Select ...": a form field's label, as the UI writes it
    if context.whole_item(occ.start, occ.end):
        return None
    pattern, expected = found
    if pattern.form.isupper() and occ.text.islower() and context.literal_value(
            occ.start, occ.end):
        return None  # "(azblob, cifs, nfs, s3)", '"rke2"': an acronym in lower case as a value
    if _field_name(occ.text, expected):
        return None  # "the persistentVolumeClaim is mounted": an API field, as YAML writes it
    if not check.allowed(CASING, occ.start, occ.text):
        return None
    return Finding(CASING, severity, occ.start, occ.end,
                   _casing_message(pattern.form, asserted_words(pattern, occ.text, expected),
                                   occ.text),
                   occ.entry, (expected,), True)


def _field_name(typed: str, expected: str) -> bool:
    """lowerCamelCase of an UpperCamelCase term ("persistentVolumeClaim", "storageClass"): the
    name of an API field, which Kubernetes-style APIs derive from the kind exactly so."""
    return (typed.isalnum() and typed[:1].islower() and any(ch.isupper() for ch in typed[1:])
            and typed[:1].upper() + typed[1:] == expected)


def _casing_message(form: str, asserted: str, typed: str) -> str:
    """One line: what the glossary asserts, and what the text has (a wrapped term unwrapped)."""
    found = " ".join(typed.split())
    if asserted == form:
        return f"The glossary writes '{form}' (found '{found}')"
    return f"The glossary writes '{asserted}' as in '{form}' (found '{found}')"


def _term_spelling(check: _Check, miss: NearMiss) -> Finding | None:
    """`term-spelling`: a near miss in prose, the suggestion capitalised at a sentence start;
    none of an ordinary-word term ("Snapshot") written as a plain word ("snap shot")."""
    severity = check.spelling_severity
    typed = check.text[miss.start:miss.end]
    if severity is None or not check.allowed(SPELLING, miss.start, typed):
        return None
    context = check.context
    kind = context.kind(context.line(miss.start))
    if kind == LineKind.OTHER:
        return None
    if kind == LineKind.VALUE and " " not in typed and " " in miss.name:
        return None  # a YAML value with the words run together is a name ("clusternetwork")
    starts_sentence = context.sentence_start(miss.start)
    pattern = check.casing.of(miss.entry).pattern(miss.name)
    if pattern is not None and plain_word_use(
            pattern, typed[:1].lower() + typed[1:] if starts_sentence else typed):
        return None
    suggestion = miss.name
    if starts_sentence and suggestion[:1].islower() and typed[:1].isupper():
        suggestion = suggestion[:1].upper() + suggestion[1:]
    return Finding(SPELLING, severity, miss.start, miss.end,
                   f"Did you mean '{miss.name}'? (found '{_one_line(typed)}')", miss.entry,
                   (_join_like(typed, suggestion),), False)


_LINKABLE_LINES = frozenset({LineKind.PARAGRAPH, LineKind.LIST_ITEM, LineKind.TABLE_ROW})


def _linkable(check: _Check, occ: Occurrence) -> bool:
    """A prose use a link may wrap: a term or alias (not a deprecated form, not a YAML kind) on
    one line of a paragraph, list item or table row (never a heading or a table header)."""
    if occ.kind not in (OccurrenceKind.TERM, OccurrenceKind.ALIAS):
        return False
    if "\n" in occ.text or "\r" in occ.text:
        return False
    context = check.context
    return context.kind(context.line(occ.start)) in _LINKABLE_LINES


def _unlinked_terms(check: _Check, occurrences: Iterable[Occurrence],
                    linker: TermLinker | None) -> list[Finding]:
    """`unlinked-term`: the first prose use of each entry on a page where no link leads to the
    entry. Uses in headings, table headers and link text are not uses a link can wrap and are
    passed over (code and front matter are masked before matching); a page that links the entry
    anywhere has no finding for it. The one replacement is the use as a link (`linker.link`)."""
    severity = check.unlinked_severity
    if severity is None or linker is None:
        return []
    page: PageLinks | None = None
    done: set[int] = set()
    found = []
    for occ in occurrences:
        if id(occ.entry) in done or not _linkable(check, occ):
            continue
        page = page if page is not None else linker.page(check.text)
        if page.in_link_text(occ.start, occ.end):
            continue
        done.add(id(occ.entry))
        replacement = linker.link(occ.entry, occ.text)
        if (replacement is None or page.links(occ.entry)
                or not check.allowed(UNLINKED, occ.start, occ.text)):
            continue
        found.append(Finding(
            UNLINKED, severity, occ.start, occ.end,
            f"First use of '{occ.entry.term}' on this page: link it to its glossary entry",
            occ.entry, (replacement,), True))
    return found


def evaluate(
    text: str,
    scan: ProseScan,
    occurrences: Iterable[Occurrence],
    near_misses: Iterable[NearMiss],
    settings: RuleSettings,
    version: Version | None,
    suppressions: Suppressions,
    product: str = "",
    casing: GlossaryCasing | None = None,
    linker: TermLinker | None = None,
) -> list[Finding]:
    """All findings for one document, in document order; `version` and `product` are the
    document's (a deprecation's since-version only counts within its product).

    A deprecated occurrence is judged by `deprecated-term` only, any other by `term-casing`,
    against `casing` (the compiled glossary's; built per entry on the spot when None).
    `unlinked-term` runs only with a `linker` (Markdown documents)."""
    check = _Check(text, scan, settings, version, suppressions, product, casing)
    occurrences = tuple(occurrences)  # read twice when `unlinked-term` is on
    found = [_deprecated_term(check, occ) if occ.deprecation is not None
             else _term_casing(check, occ) for occ in occurrences]
    if check.spelling_severity is not None:
        found += [_term_spelling(check, miss) for miss in near_misses]
    if check.unlinked_severity is not None:
        found += _unlinked_terms(check, occurrences, linker)
    findings = [finding for finding in found if finding is not None]
    findings.sort(key=lambda f: (f.start, f.end, f.code))
    return findings
