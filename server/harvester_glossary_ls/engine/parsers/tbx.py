"""TBX termbases (ISO 30042): v2 `martif` and v3 `tbx`, read safely and streamed.

TBX v2 (`martif` / `text` / `body` / `termEntry` / `langSet` / `tig` or `ntig` / `term`) and
TBX v3 (`tbx` / `text` / `body` / `conceptEntry` / `langSec` / `termSec` / `term`, namespace
`urn:iso:std:iso:30042:ed-2`, DCA style `termNote type=...` or DCT style elements) are one
shape: concepts holding, per language, terms with an administrative status. Only the language
asked for is read (`language`, the config's `tbxLanguage`, default English): a tag matches by
its primary subtag ("en" reads en, en-US, en-GB), and a tag with a region ("en-GB") prefers that
region's `langSet` where a concept has one and falls back to the other English ones.

Per concept (see `STATUSES`): the first preferred term is the entry's term, the other preferred
and the admitted terms its aliases; each deprecated term is a `Deprecation` whose replacement is
that first preferred term. A term accepted (preferred or admitted) in any concept is never
flagged because another concept deprecates it: that deprecation is dropped and the entry that
accepts it says "Also: obsolete in concept c3170 — use SUSE Virtualization." (the SUSE termbase
has "Harvester" preferred in c9814 and obsolete in c3170). Definitions, notes and usage notes
become the entry's definition, shown in hovers.

Casing is "asserted" with no display names (`GlossaryShape.TBX`): a termbase writes each term
the way prose writes it ("application", "coldplug", "SUSE Linux Enterprise Server"), so every
letter counts.

Safety: the XML goes through defusedxml with entities forbidden (internal ones, the billion
laughs, and external ones, XXE) and external references forbidden. A DOCTYPE line is allowed,
since TBX v2 files declare one (`<!DOCTYPE martif SYSTEM "TBXcdv04.dtd">`), but the DTD it names
is never fetched or read: expat only loads an external DTD when asked to, and nothing asks. A
refused or broken file is a Problem, never an exception. The file is fed to the parser in chunks
and each concept is dropped from the tree as soon as it is read, so memory holds one concept's
XML plus the entries built so far.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from harvester_glossary_ls.engine.files import UnreadableFile, read_bytes
from harvester_glossary_ls.engine.models import (
    Deprecation,
    Entry,
    Link,
    ParseResult,
    Problem,
    Severity,
    SourceLocation,
)

MAX_TBX_BYTES = 50_000_000
"""Termbases are larger than docs pages (the SUSE one is 1 MB); past this a file is refused."""
DEFAULT_LANGUAGE = "en"
CASING = "asserted"
"""`GlossaryShape.TBX`: terms written as prose writes them, no display titles."""
_CHUNK = 1 << 16
_MAX_CROSS = 20
"""At most this many other concepts are named for one term (a hostile file cannot make the
cross-concept notes quadratic)."""
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ENTRY = frozenset({"termEntry", "conceptEntry"})
_LANG_BLOCK = frozenset({"langSet", "langSec"})
_TERM_BLOCK = frozenset({"tig", "ntig", "termSec"})
_HEADER = frozenset({"martifHeader", "tbxHeader"})
_STATUS_TYPES = frozenset({"administrativestatus", "normativeauthorization"})
_DEFINITION_TYPES = frozenset({"definition", "explanation"})
_NOTE_TYPES = frozenset({"usagenote", "note"})
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$")


class Status(enum.Enum):
    PREFERRED = "preferred"
    ADMITTED = "admitted"
    DEPRECATED = "deprecated"
    UNMARKED = "unmarked"
    """No status, or one we do not know: preferred when the concept marks none, else admitted."""


STATUSES: dict[str, Status] = {
    # TBX picklists (administrativeStatus values end in "-admn-sts", normativeAuthorization
    # values do not), TermWeb's and Weblate's words; keys are lower case, letters only.
    **dict.fromkeys(("preferredterm", "preferred", "standardizedterm", "standardized",
                     "legalterm", "regulatedterm"), Status.PREFERRED),
    **dict.fromkeys(("admittedterm", "admitted"), Status.ADMITTED),
    **dict.fromkeys(("deprecatedterm", "deprecated", "supersededterm", "superseded",
                     "notrecommended", "obsolete", "forbidden", "forbiddenterm"),
                    Status.DEPRECATED),
}
"""How each administrative status reads. legalTerm and regulatedTerm are terms a legal or
regulatory body prescribes (ISO 12620): preferred. The rest are deprecated."""


def _status_key(value: str) -> str:
    return re.sub(r"[^a-z]", "", value.lower().removesuffix("-admn-sts"))


def status_of(value: str) -> Status | None:
    """A status word as TBX, TermWeb, Weblate or a spreadsheet writes it; None if unknown."""
    return STATUSES.get(_status_key(value))


def status_label(value: str) -> str:
    """A status as a person reads it: "notRecommended" -> "not recommended"."""
    words = re.sub(r"([a-z])([A-Z])", r"\1 \2", value.strip().removesuffix("-admn-sts"))
    words = re.sub(r"(?i)term$", "", words).strip()
    return " ".join(words.replace("_", " ").replace("-", " ").split()).lower()


def is_language_tag(text: str) -> bool:
    """"en", "en-US", "pt_BR": what `tbxLanguage` accepts."""
    return bool(_LANGUAGE_TAG.match(text))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _kind(element: Element) -> str:
    """A DCA element's data category (`type`, lower case, letters only), or a DCT element's
    own name ("administrativeStatus" as an element in a TBX v3 DCT file)."""
    return re.sub(r"[^a-z]", "", (element.get("type") or _local(element.tag)).lower())


def _text(element: Element) -> str:
    """An element's text with inline markup dropped and each line's spaces collapsed."""
    lines = ("".join(element.itertext())).strip().splitlines()
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


@dataclass
class _Term:
    text: str
    status: Status
    label: str
    notes: list[str] = field(default_factory=list)


@dataclass
class _Concept:
    id: str
    line: int
    definitions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    terms: list[_Term] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


def _add(items: list[str], text: str) -> None:
    if text and text not in items:
        items.append(text)


def _info(elements: Iterable[Element], concept: _Concept, notes: list[str]) -> None:
    """Definitions, notes and external links among `elements` (a concept's, a language's or
    a term's own information, never another language's)."""
    for element in elements:
        name, kind = _local(element.tag), _kind(element)
        if name == "descrip" and kind in _DEFINITION_TYPES:
            _add(concept.definitions, _text(element))
        elif name == "note" or (name in ("descrip", "termNote") and kind in _NOTE_TYPES):
            _add(notes, _text(element))
        elif name == "xref" and (target := element.get("target") or "").startswith(
                ("https://", "http://")):
            link = Link(_text(element) or target, target, target)
            if link not in concept.links:
                concept.links.append(link)


def _outside(element: Element, skip: frozenset[str]) -> Iterator[Element]:
    """`element`'s descendants, not entering children named in `skip`."""
    for child in element:
        if _local(child.tag) not in skip:
            yield from child.iter()


class _Reader:
    """Builds one concept at a time from the parser's events; keeps only what it extracted."""

    def __init__(self, language: str, unknown: dict[str, int]) -> None:
        self.language = language.replace("_", "-").lower()
        self.primary = self.language.split("-")[0]
        self.unknown = unknown
        self.languages: set[str] = set()
        self.default_lang = ""

    def blocks(self, entry: Element) -> list[Element]:
        """The concept's langSet/langSec elements in the chosen language."""
        found: list[tuple[str, Element]] = []
        for child in entry:
            if _local(child.tag) in _LANG_BLOCK:
                lang = (child.get(_XML_LANG) or self.default_lang).replace("_", "-").lower()
                self.languages.add(lang)
                if lang.split("-")[0] == self.primary:
                    found.append((lang, child))
        exact = [block for lang, block in found if lang == self.language]
        return exact or [block for _, block in found]

    def term(self, block: Element, concept: _Concept) -> _Term | None:
        """A tig/ntig/termSec: its term, status and notes (its definitions go to the concept)."""
        term = _Term("", Status.UNMARKED, "")
        for element in block.iter():
            name = _local(element.tag)
            if name == "term" and not term.text:
                term.text = " ".join("".join(element.itertext()).split())
            elif (name == "termNote" and _kind(element) in _STATUS_TYPES) or (
                    name in ("administrativeStatus", "normativeAuthorization")):
                value = "".join(element.itertext()).strip()
                term.status = STATUSES.get(_status_key(value), Status.UNMARKED)
                term.label = status_label(value)
                if term.status is Status.UNMARKED and value:
                    self.unknown[value] = self.unknown.get(value, 0) + 1
        _info((e for e in block.iter() if _local(e.tag) != "term"), concept, term.notes)
        return term if term.text else None

    def concept(self, entry: Element, line: int) -> _Concept | None:
        concept = _Concept(entry.get("id") or "", line)
        _info(_outside(entry, _LANG_BLOCK), concept, concept.notes)
        for block in self.blocks(entry):
            _info(_outside(block, _TERM_BLOCK), concept, concept.notes)
            for child in block.iter():
                if _local(child.tag) in _TERM_BLOCK and (term := self.term(child, concept)):
                    concept.terms.append(term)
        return concept if concept.terms else None


class _NotTbx(Exception):
    pass


class _Target:
    """The parser's target: an ElementTree builder that hands each finished concept to the
    reader and drops it, and remembers the header's title."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.builder = TreeBuilder()
        self.stack: list[Element] = []
        self.lines: list[int] = []
        self.line: Callable[[], int] = lambda: 0
        self.title = ""
        self.concepts: list[_Concept] = []
        self.entries = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        name = _local(tag)
        if not self.stack:
            if name not in ("martif", "tbx"):
                raise _NotTbx(name)
            self.reader.default_lang = attrs.get(_XML_LANG, "")
        element = self.builder.start(tag, attrs)
        self.stack.append(element)
        self.lines.append(self.line())
        return element

    def end(self, tag: str) -> Element:
        element = self.builder.end(tag)
        self.stack.pop()
        line = self.lines.pop()
        name = _local(tag)
        if name in _ENTRY:
            self.entries += 1
            concept = self.reader.concept(element, line)
            if concept is not None:
                self.concepts.append(concept)
            if self.stack:  # drop the concept's XML: memory holds one concept at a time
                self.stack[-1].remove(element)
        elif name == "title" and not self.title and any(
                _local(e.tag) in _HEADER for e in self.stack):
            self.title = _text(element)
        return element

    def data(self, data: str) -> None:
        self.builder.data(data)

    def close(self) -> Element:
        return self.builder.close()


def _refusal(error: DefusedXmlException) -> str:
    if isinstance(error, EntitiesForbidden) and (error.sysid or error.pubid):
        return (f"refused: the file declares the external XML entity '{error.name}' (SYSTEM "
                f"'{error.sysid or error.pubid}'); external entities are never fetched or "
                "read, and the glossary was not loaded")
    if isinstance(error, EntitiesForbidden):
        return (f"refused: the file declares the XML entity '{error.name}'; entities are never "
                "expanded (nested ones can grow to gigabytes, the 'billion laughs'), and the "
                "glossary was not loaded")
    if isinstance(error, ExternalReferenceForbidden):
        return (f"refused: external reference to '{error.sysid or error.pubid}'; it was not "
                "fetched, and the glossary was not loaded")
    return f"refused: {error}; the glossary was not loaded"


def _run(data: bytes, target: _Target) -> tuple[str, int, int] | None:
    """Feed the parser in chunks; (message, line, column) when the file is refused or broken."""
    parser = DefusedXMLParser(target=target, forbid_dtd=False, forbid_entities=True,
                              forbid_external=True)
    expat = parser.parser
    target.line = lambda: int(expat.CurrentLineNumber) - 1
    try:
        for offset in range(0, len(data), _CHUNK):
            parser.feed(data[offset:offset + _CHUNK])
        parser.close()
    except DefusedXmlException as error:
        return _refusal(error), expat.CurrentLineNumber - 1, expat.CurrentColumnNumber
    except ParseError as error:
        line, column = error.position
        message = str(error).split(": line ")[0]
        return f"not well-formed XML: {message}", line - 1, column
    except _NotTbx as error:
        return (f"not a TBX file: the root element is <{error}>, not <martif> (TBX v2) or <tbx> "
                "(TBX v3)"), 0, 0
    return None


def _accepted(concepts: list[_Concept]) -> dict[str, list[_Concept]]:
    """Every preferred or admitted spelling (case-folded) and the concepts that accept it."""
    accepted: dict[str, list[_Concept]] = {}
    for concept in concepts:
        for term in concept.terms:
            if term.status is not Status.DEPRECATED:
                owners = accepted.setdefault(term.text.casefold(), [])
                if (not owners or owners[-1] is not concept) and len(owners) <= _MAX_CROSS:
                    owners.append(concept)
    return accepted


def _resolve_unmarked(concept: _Concept) -> None:
    marked = any(t.status is Status.PREFERRED for t in concept.terms)
    for term in concept.terms:
        if term.status is Status.UNMARKED:
            term.status = Status.ADMITTED if marked else Status.PREFERRED
            marked = True


def _noted(terms: list[_Term]) -> list[str]:
    """Usage notes, each once, with the terms it is given for."""
    by_note: dict[str, list[str]] = {}
    for term in terms:
        for note in term.notes:
            by_note.setdefault(note, []).append(term.text)
    return [f"Usage note ({', '.join(names)}): {note}" for note, names in by_note.items()]


@dataclass
class _Built:
    concept: _Concept
    term: str
    aliases: tuple[str, ...]
    deprecations: list[Deprecation]
    status_lines: list[str]
    also: list[str] = field(default_factory=list)


def _status_in(text: str, concept: _Concept) -> str:
    key = text.casefold()
    return next((t.status.value for t in concept.terms
                 if t.text.casefold() == key and t.status is not Status.DEPRECATED), "accepted")


def _build(concept: _Concept, accepted: dict[str, list[_Concept]]) -> _Built | None:
    """The concept's entry: names (preferred first), deprecations and what its statuses say."""
    good = [t for t in concept.terms if t.status is not Status.DEPRECATED]
    if not good:
        return None
    good.sort(key=lambda t: t.status is not Status.PREFERRED)  # stable: preferred first
    names: dict[str, str] = {}
    for term in good:
        names.setdefault(term.text.casefold(), term.text)
    first, *rest = names.values()
    built = _Built(concept, first, tuple(rest), [], [])
    flagged: dict[str, list[str]] = {}
    for term in concept.terms:
        if term.status is not Status.DEPRECATED or term.text.casefold() in names:
            continue
        label = term.label or "deprecated"
        others = [c for c in accepted.get(term.text.casefold(), []) if c is not concept]
        if others:
            where = ", ".join(f"{_status_in(term.text, c)} in concept {c.id or '?'}"
                              for c in others)
            built.status_lines.append(f"{term.text}: {label} here, but not flagged ({where}).")
            continue
        flagged.setdefault(label, []).append(term.text)
        built.deprecations.append(Deprecation(
            form=term.text, use=(built.term,), note="" if label == "deprecated" else label,
            autofix=not term.notes))
    built.status_lines[:0] = [f"{label.capitalize()}: {', '.join(forms)} (use {built.term})."
                              for label, forms in flagged.items()]
    return built


def _cross_references(built: list[_Built], accepted: dict[str, list[_Concept]]) -> None:
    """A term deprecated in one concept and accepted in another: say so on the accepting one."""
    by_concept = {id(b.concept): b for b in built}
    for item in built:
        for term in item.concept.terms:
            if term.status is not Status.DEPRECATED:
                continue
            for owner in accepted.get(term.text.casefold(), []):
                target = by_concept.get(id(owner))
                if target is not None and target is not item and len(target.also) < _MAX_CROSS:
                    label = term.label or "deprecated"
                    target.also.append(f"Also: {term.text} is {label} in concept "
                                       f"{item.concept.id or '?'} — use {item.term}.")


def _paragraphs(item: _Built) -> list[str]:
    concept = item.concept
    return [*concept.definitions, *(f"Note: {n}" for n in concept.notes),
            *_noted(concept.terms), *item.status_lines, *item.also]


def _groups(built: list[_Built]) -> list[list[_Built]]:
    """Concepts sharing a name (case-insensitively), in file order: one entry each, since the
    glossary has one entry per name ("CSP" is both Critical Security Parameters and Cloud
    Service Provider in the SUSE file; each meaning stays in the hover)."""
    group_of: dict[str, int] = {}
    groups: list[list[_Built]] = []
    for item in built:
        keys = _keys(item)
        found = {group_of[k] for k in keys if k in group_of}
        if not found:
            found = {len(groups)}
            groups.append([])
        target = max(found, key=lambda g: len(groups[g]))  # the smaller groups move
        for other in found - {target}:  # this concept joins groups formed before it
            for moved in groups[other]:
                keys += _keys(moved)
            groups[target] += groups[other]
            groups[other] = []
        groups[target].append(item)
        for key in keys:
            group_of[key] = target
    position = {id(item): n for n, item in enumerate(built)}
    ordered = [sorted(group, key=lambda item: position[id(item)]) for group in groups if group]
    return sorted(ordered, key=lambda group: position[id(group[0])])


def _keys(item: _Built) -> list[str]:
    return [name.casefold() for name in (item.term, *item.aliases)]


def _entry(group: list[_Built], path: str) -> Entry:
    first = group[0]
    names: dict[str, str] = {}
    for item in group:
        for name in (item.term, *item.aliases):
            names.setdefault(name.casefold(), name)
    if len(group) == 1:
        parts = _paragraphs(first)
    else:
        parts = []
        for item in group[:_MAX_CROSS]:
            own = _paragraphs(item) or [""]
            label = ", ".join((item.term, *item.aliases))
            parts += [f"In concept {item.concept.id or '?'} ({label}): {own[0]}".rstrip(),
                      *own[1:]]
        if len(group) > _MAX_CROSS:
            parts.append(f"(and {len(group) - _MAX_CROSS} more concepts with these names)")
    forms: set[str] = set()
    deprecations = []
    for item in group:
        for dep in item.deprecations:
            if dep.form.casefold() not in forms:
                forms.add(dep.form.casefold())
                deprecations.append(dep)
    links = tuple(dict.fromkeys(link for item in group for link in item.concept.links))
    return Entry(term=first.term, aliases=tuple(names.values())[1:],
                 definition="\n\n".join(parts),
                 links=links, deprecations=tuple(deprecations),
                 source=SourceLocation(path, first.concept.line), casing=CASING)


def parse_tbx(data: bytes, path: str, language: str = DEFAULT_LANGUAGE) -> ParseResult:
    """A TBX v2 or v3 termbase's concepts in `language` as entries; never raises."""
    unknown: dict[str, int] = {}
    reader = _Reader(language or DEFAULT_LANGUAGE, unknown)
    target = _Target(reader)
    failure = _run(data, target)
    if failure is not None:
        message, line, column = failure
        return ParseResult(problems=(Problem(path, message, max(line, 0), max(column, 0)),))
    for concept in target.concepts:
        _resolve_unmarked(concept)
    accepted = _accepted(target.concepts)
    built = [b for c in target.concepts if (b := _build(c, accepted)) is not None]
    _cross_references(built, accepted)
    problems = [Problem(path, f"unknown administrative status '{value}' ({count} terms), read "
                              "as preferred where a concept marks no preferred term, else as "
                              "admitted", severity=Severity.WARNING)
                for value, count in unknown.items()]
    if not built:
        problems.append(_nothing_read(path, target, reader))
    entries = tuple(_entry(group, path) for group in _groups(built))
    return ParseResult(entries=entries, problems=tuple(problems), name=target.title)


def _nothing_read(path: str, target: _Target, reader: _Reader) -> Problem:
    if not target.entries:
        return Problem(path, "no concepts found (no termEntry or conceptEntry elements)",
                       severity=Severity.WARNING)
    others = ", ".join(sorted(reader.languages)) or "none"
    return Problem(path, f"no terms in language '{reader.language}' (languages in the file: "
                         f"{others}); set tbxLanguage to read another",
                   severity=Severity.WARNING)


def parse_tbx_file(path: Path, language: str = DEFAULT_LANGUAGE) -> ParseResult:
    """Read a TBX file through the one file reader (regular files only, at most
    `MAX_TBX_BYTES`) and parse it; never raises."""
    try:
        data = read_bytes(path, MAX_TBX_BYTES)
    except UnreadableFile as error:
        return ParseResult(problems=(Problem(str(path), f"cannot read glossary: {error.reason}",
                                             error.line),))
    return parse_tbx(data, str(path), language)
