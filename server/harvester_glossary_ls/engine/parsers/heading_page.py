"""A Markdown glossary page whose entries are headings at one level (Longhorn's terminology page).

    ---
    title: Terminology
    ---
    - [Attach/Reattach](#attachreattach)        <- a table of contents: ignored
    ### Attach/Reattach                         <- an entry: names from the heading
    To attach a block device is to ...          <- its definition, up to the next entry heading

The entry level is the heading level most headings share below the page title (the front-matter
`title`, or a lone leading `# Title`); ties go to the deeper level, so `## A` letter groups over
`### Term` entries work. Deeper headings belong to the definition; shallower ones end it. Bold or
not, each heading's names come from `names.split_display_name` ("A/B", "X (Y)"), and its anchor
is the id Hugo/Goldmark gives it, so the entry's URL opens the right place on the published page.
A section whose body is only in-page links, or titled "Contents", is a table of contents, not an
entry. A page with no entry headings gives one problem, "no term headings found": its title is
never made a term.

Every name here comes from a display heading, so every entry is `casing="asserted"` with all its
names as `display_names`: the casing model treats them as display titles (a Title Case heading
does not make lowercase prose wrong). `HeadingPage.display_titles` lists them for the whole page.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from harvester_glossary_ls.engine.frontmatter import FrontMatter, front_matter_values
from harvester_glossary_ls.engine.models import (
    Entry,
    Link,
    ParseResult,
    Problem,
    Severity,
    SourceLocation,
    Version,
)
from harvester_glossary_ls.engine.parsers.names import (
    GoldmarkIds,
    plain_heading_text,
    split_display_name,
)
from harvester_glossary_ls.engine.yamlnodes import YamlError

NO_TERM_HEADINGS = "no term headings found"

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_CLOSING = re.compile(r"(?:^|[ \t]+)#+$")
_ID_ATTRIBUTE = re.compile(r"[ \t]*\{\s*((?:[#.][\w-]|[\w-]+=)[^{}]*)\}$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TOC_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[^\]]*\]\(#[^)\s]*\)\s*$")
_TOC_TITLES = frozenset(
    ("contents", "table of contents", "toc", "on this page", "in this article")
)
GLOSSARY_TITLE = re.compile(r"glossary|terminology|\bterms\b|definitions|vocabulary|lexicon",
                            re.IGNORECASE)
"""A page title that names a glossary ("Glossary", "Terminology", "Terms")."""
_COMMENT = re.compile(r"\n?<!--.*?-->", re.DOTALL)
_WARNING = Severity.WARNING

LinkResolver = Callable[[str], "tuple[str, tuple[Link, ...]]"]
"""Markdown definition -> (definition with published hrefs, its links)."""


@dataclass(frozen=True, slots=True)
class Heading:
    """An ATX heading of the page: 0-based line, level, source text (without `#`s and `{…}`)."""

    line: int
    level: int
    raw: str
    anchor: str


@dataclass(frozen=True, slots=True)
class PageOutline:
    """The page's headings and title, as `parse_heading_page` and the sniffer both need them."""

    lines: tuple[str, ...]
    headings: tuple[Heading, ...]
    title: str
    title_heading: int | None  # index in `headings` of a `# Title` that is the page title
    level: int | None  # the entry level, None when no heading sits below the title


@dataclass(frozen=True, slots=True)
class HeadingPage:
    """What `parse_heading_page` returns: the usual ParseResult plus facts about the page."""

    result: ParseResult
    title: str = ""
    """The page title (front matter `title`, else the `# Title` heading); a glossary's name."""
    level: int | None = None
    """The heading level read as entries (3 for `### Term`)."""
    display_titles: frozenset[str] = frozenset()
    """Every entry name taken from a heading, exactly as spelled: all names of this format."""
    anchors: tuple[str, ...] = ()
    """Each entry's heading anchor, in `result.entries` order (also the `#…` of its url)."""
    qualifiers: tuple[tuple[str, str], ...] = field(default=())
    """(term, dropped parenthesised text), e.g. ("Volumes", "Kubernetes Concept")."""


# --- outline -------------------------------------------------------------------------------------


def _front_matter(lines: list[str]) -> tuple[int, str]:
    """(index of the first body line, front-matter title) for YAML `---` or TOML `+++` blocks."""
    if not lines or lines[0].rstrip() not in ("---", "+++"):
        return 0, ""
    fence = lines[0].rstrip()
    for index in range(1, len(lines)):
        if lines[index].rstrip() == fence or (fence == "---" and lines[index].rstrip() == "..."):
            return index + 1, _front_title("\n".join(lines[1:index]), fence)
    return 0, ""


def _front_title(block: str, fence: str) -> str:
    if fence == "+++":
        match = re.search(r"""^title\s*=\s*(["'])(.*?)\1\s*$""", block, re.MULTILINE)
        return match.group(2).strip() if match else ""
    try:  # through the budgeted loader: an alias bomb in a page anyone edits is refused
        data = front_matter_values(FrontMatter(block, "", 0))
    except YamlError:
        return ""
    title = data.get("title") if data is not None else None
    return str(title).strip() if isinstance(title, (str, int, float)) else ""


def _heading_source(content: str) -> tuple[str, str | None]:
    """(source text, explicit id) of an ATX heading's content: closing `#`s and `{#id}` removed."""
    text = _CLOSING.sub("", content).rstrip()
    explicit: str | None = None
    attributes = _ID_ATTRIBUTE.search(text)
    if attributes:
        text = text[: attributes.start()].rstrip()
        ids = re.findall(r"(?:^|\s)#([\w-]+)", attributes.group(1))
        explicit = ids[-1] if ids else None
    return text, explicit


def _fence_closes(line: str, opener: str) -> bool:
    stripped = line.strip()
    return (len(line) - len(line.lstrip(" ")) < 4 and stripped.startswith(opener)
            and set(stripped) == {opener[0]})


def _scan_headings(lines: list[str], start: int) -> list[Heading]:
    """ATX headings outside code fences and HTML comments, with their Goldmark ids."""
    ids = GoldmarkIds()
    headings: list[Heading] = []
    fence: str | None = None
    in_comment = False
    for index in range(start, len(lines)):
        line = lines[index]
        if fence is not None:
            fence = None if _fence_closes(line, fence) else fence
            continue
        if in_comment or line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line if in_comment else "-->" not in line.split("<!--", 1)[1]
            continue
        opened = _FENCE.match(line)
        if opened:
            fence = opened.group(1)
            continue
        match = _ATX.match(line)
        if match is None:
            continue
        raw, explicit = _heading_source(match.group(2) or "")
        if explicit is not None:
            ids.put(explicit)
        anchor = explicit if explicit is not None else ids.generate(raw)
        headings.append(Heading(index, len(match.group(1)), raw, anchor))
    return headings


def _entry_level(headings: list[Heading], skip: int | None) -> int | None:
    """The level most headings share (the title heading aside); a tie goes to the deeper level."""
    counts = Counter(h.level for i, h in enumerate(headings) if i != skip)
    if not counts:
        return None
    return max(counts, key=lambda level: (counts[level], level))


def outline(text: str) -> PageOutline:
    """Headings, title and entry level of a Markdown page (front matter and code skipped)."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start, title = _front_matter(lines)
    headings = _scan_headings(lines, start)
    title_heading: int | None = None
    top = [i for i, h in enumerate(headings) if h.level == 1]
    if len(top) == 1 and (top[0] == 0 or plain_heading_text(headings[top[0]].raw) == title):
        title_heading = top[0]
        title = title or plain_heading_text(headings[top[0]].raw)
    level = _entry_level(headings, title_heading)
    return PageOutline(tuple(lines), tuple(headings), title, title_heading, level)


# --- entries -------------------------------------------------------------------------------------


def _body(page: PageOutline, index: int) -> list[str]:
    """The lines under heading `index` up to the next heading at its level or above."""
    heading = page.headings[index]
    end = len(page.lines)
    for later in page.headings[index + 1 :]:
        if later.level <= heading.level:
            end = later.line
            break
    return [line.rstrip() for line in page.lines[heading.line + 1 : end]]


def _is_toc(heading: Heading, body: list[str]) -> bool:
    """A "Contents" section, or one whose body is nothing but links to anchors on this page."""
    if split_display_name(heading.raw).term.casefold() in _TOC_TITLES:
        return True
    items = [line for line in body if line.strip()]
    return bool(items) and all(_TOC_ITEM.match(line) for line in items)


def _entry_indexes(page: PageOutline) -> list[int]:
    return [
        i for i, h in enumerate(page.headings)
        if h.level == page.level and i != page.title_heading and not _is_toc(h, _body(page, i))
    ]


class _Builder:
    """Collects entries, claiming each name once (a later duplicate is reported, not kept)."""

    def __init__(self, path: str, page_url: str, resolve: LinkResolver | None) -> None:
        self.path, self.page_url, self.resolve = path, page_url, resolve
        self.entries: list[Entry] = []
        self.anchors: list[str] = []
        self.problems: list[Problem] = []
        self.qualifiers: list[tuple[str, str]] = []
        self.display: set[str] = set()
        self.owners: dict[str, int] = {}

    def _claim(self, names: tuple[str, ...], line: int) -> list[str]:
        """The names no earlier entry has (ignoring case); a case-only twin in one entry stays."""
        kept: list[str] = []
        for name in names:
            first = self.owners.get(name.casefold())
            if first is not None and first != line:
                self.problems.append(Problem(
                    self.path, f"'{name}' is defined twice (first on line {first + 1})", line,
                    severity=_WARNING))
                continue
            self.owners[name.casefold()] = line
            kept.append(name)
        return kept

    def add(self, heading: Heading, body: list[str]) -> None:
        split = split_display_name(heading.raw)
        if not split.names:
            self.problems.append(Problem(self.path, "heading names no term", heading.line,
                                         severity=_WARNING))
            return
        names = self._claim(split.names, heading.line)
        if not names or names[0] != split.term:  # the term itself is taken: skip the entry
            return
        definition = _COMMENT.sub("", "\n".join(body)).strip()  # notes to editors, not readers
        links: tuple[Link, ...] = ()
        if definition and self.resolve is not None:
            definition, links = self.resolve(definition)
        if not definition:
            self.problems.append(Problem(self.path, f"'{split.term}' has an empty definition",
                                         heading.line, severity=_WARNING))
        self.entries.append(Entry(
            term=names[0], aliases=tuple(names[1:]), definition=definition, links=links,
            source=SourceLocation(self.path, heading.line),
            url=f"{self.page_url}#{heading.anchor}" if self.page_url else "",
            casing="asserted", display_names=tuple(names),
        ))
        self.anchors.append(heading.anchor)
        self.display.update(names)
        self.qualifiers.extend((split.term, q) for q in split.qualifiers)


def parse_heading_page(
    text: str,
    path: str,
    *,
    version: Version | None = None,
    page_url: str = "",
    resolve_links: LinkResolver | None = None,
) -> HeadingPage:
    """Parse a heading-per-term glossary page; problems instead of exceptions.

    `page_url` is the published page; each entry's url is it plus the heading's Goldmark anchor
    ("" without it). `resolve_links`, when given, rewrites a definition's links to published
    URLs and lists them (the loader passes its Markdown link resolver, bound to the page's
    site); without it links stay as written, as the Docusaurus parser leaves them.
    """
    page = outline(text)
    builder = _Builder(path, page_url, resolve_links)
    for index in _entry_indexes(page) if page.level is not None else []:
        builder.add(page.headings[index], _body(page, index))
    if not builder.entries:
        builder.problems.append(Problem(path, NO_TERM_HEADINGS))
    result = ParseResult(entries=tuple(builder.entries), problems=tuple(builder.problems),
                         version=version, page_url=page_url, name=page.title)
    return HeadingPage(result, page.title, page.level, frozenset(builder.display),
                       tuple(builder.anchors), tuple(builder.qualifiers))


# --- sniffing ------------------------------------------------------------------------------------


_NUMBERED = re.compile(r"^(?:\d+[.)]|step\s+\d+\b)", re.IGNORECASE)


def _term_like(raw: str) -> bool:
    """A heading that reads as a name: a few words, not a numbered step or a sentence."""
    plain = split_display_name(raw).term
    return (bool(plain) and len(plain.split()) <= 5 and not _NUMBERED.match(plain)
            and not plain.endswith(("?", ".", "!")) and ":" not in plain)


def _sort_key(raw: str) -> str:
    return re.sub(r"[\W_]+", "", split_display_name(raw).term.casefold())


def _alphabetical(raws: list[str]) -> bool:
    """Six or more distinct prose headings, 90 % of neighbours in order: an A-Z list of terms.

    Code-only headings (`` `log-level` ``) are a reference page's settings, not terms.
    """
    keys = [_sort_key(raw) for raw in raws]
    if len(keys) < 6 or len(set(keys)) < len(keys):
        return False
    if sum(raw.strip().startswith("`") for raw in raws) > len(raws) // 2:
        return False
    pairs = list(itertools.pairwise(keys))
    return sum(a <= b for a, b in pairs) >= 0.9 * len(pairs)


def looks_like_heading_glossary(text: str) -> bool:
    """Cheap sniff: does this page read as a heading-per-term glossary?

    At least three entry headings, 80 % of them short names rather than sentences or numbered
    steps, and either a glossary-like title ("Glossary", "Terminology", "Terms", "Definitions")
    or headings in alphabetical order (`_alphabetical`). An ordinary docs page ("Prerequisites",
    "Install", "Upgrade"; "1. Cordon the node", "2. Drain it") has neither.
    """
    page = outline(text)
    if page.level is None:
        return False
    entries = [page.headings[i] for i in _entry_indexes(page)]
    if len(entries) < 3 or sum(_term_like(h.raw) for h in entries) < 0.8 * len(entries):
        return False
    if GLOSSARY_TITLE.search(page.title):
        return True
    return _alphabetical([h.raw for h in entries])
