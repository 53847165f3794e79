"""Plain data the whole engine shares: glossary entries, problems, occurrences and findings.

Everything here is immutable so that one glossary or scan result can be shared between the CLI,
the language server's requests and worker threads without copying.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass

Version = tuple[int, int]
SHIPPED_VERSION: Version = (1, 7)
"""The version of the Harvester glossary page shipped inside the package."""
"""A Harvester docs version as (major, minor); v1.7 is (1, 7)."""

_VERSION_RE = re.compile(r"^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-.]?[A-Za-z].*)?$")


def parse_version(text: str) -> Version | None:
    """Parse "v1.7", "1.7", "v1.1.0" or "v1.8-dev" into (major, minor); None if not a version."""
    match = _VERSION_RE.match(text.strip())
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


def format_version(version: Version) -> str:
    return f"v{version[0]}.{version[1]}"


class Severity(enum.IntEnum):
    """Finding severities, numbered as LSP numbers them so the edge converts by value."""

    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity | None:
        """Accept "error", "warning"/"warn", "information"/"info", "hint"; None otherwise."""
        key = text.strip().lower()
        aliases = {"warn": "warning", "info": "information"}
        key = aliases.get(key, key)
        for member in cls:
            if member.label == key:
                return member
        return None


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where something was defined: a file and a 0-based line (for go to definition)."""

    path: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with a glossary or config file. Parsers return these; they never raise."""

    path: str
    message: str
    line: int = 0
    column: int = 0
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line + 1}:{self.column + 1}: {self.message}"


@dataclass(frozen=True, slots=True)
class Link:
    """A link in a definition: its text, the href as written and the published URL."""

    text: str
    href: str
    url: str


@dataclass(frozen=True, slots=True)
class Deprecation:
    """A deprecated or renamed wording and what to say instead."""

    form: str
    use: tuple[str, ...]
    since: Version | None = None
    source: str = ""
    note: str = ""
    autofix: bool = True
    product: str = ""
    """The product whose versions `since` counts ("harvester"); "" for any product."""

    @property
    def safe_replacement(self) -> str | None:
        """The one replacement `--fix` may apply without asking; None when it needs a human."""
        if self.autofix and len(self.use) == 1:
            return self.use[0]
        return None

    def advice(self, quote: Callable[[str], str]) -> str:
        """What follows "X is deprecated": " since v1.1: use 'mgmt' (note)", quoting each use."""
        since = f" since {format_version(self.since)}" if self.since else ""
        use = " or ".join(quote(u) for u in self.use)
        return since + (f": use {use}" if use else "") + (f" ({self.note})" if self.note else "")

    def applies_to(self, version: Version | None, product: str = "") -> bool:
        """A deprecation holds from its since-version on; unknown document versions get it.

        Versions only compare within one product: Harvester's "since v1.6" says nothing about a
        Longhorn 1.13 page, so a since-versioned deprecation skips another product's documents.
        """
        if self.since is None:
            return True
        if self.product and product and self.product != product:
            return False
        return version is None or version >= self.since


@dataclass(frozen=True, slots=True)
class YamlRule:
    """Maps a YAML kind, key or label (optionally with a name or value pattern) to a term."""

    match: str  # "kind", "kind+name", "key" or "label"
    term: str
    kinds: tuple[str, ...] = ()
    key_path: str = ""
    label: str = ""
    value_pattern: str = ""
    deprecation: Deprecation | None = None
    api_group: str = ""


CASINGS = ("strict", "asserted", "ignore")
"""Values of `Entry.casing` and of `casing:` in glossaries and the config."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One glossary term with everything hover, completion and the rules need."""

    term: str
    aliases: tuple[str, ...] = ()
    definition: str = ""
    links: tuple[Link, ...] = ()
    deprecations: tuple[Deprecation, ...] = ()
    source: SourceLocation | None = None
    url: str = ""
    casing: str = "strict"
    """How much of the names' case is policed: "strict", "asserted" or "ignore" (see casing.py)."""
    display_names: tuple[str, ...] = ()
    """Names taken from a display heading or title: their capitals may be typography only."""
    glossary: str = ""
    """The display name of the glossary the entry came from ("Harvester glossary")."""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


@dataclass(frozen=True, slots=True)
class Glossary:
    """A merged set of entries plus YAML rules, with the version its texts belong to."""

    entries: tuple[Entry, ...] = ()
    yaml_rules: tuple[YamlRule, ...] = ()
    version: Version | None = None
    page_url: str = ""
    sources: tuple[str, ...] = ()

    def entry(self, name: str) -> Entry | None:
        """Find an entry by term or alias, case-insensitively."""
        key = name.casefold()
        for entry in self.entries:
            if any(n.casefold() == key for n in entry.names):
                return entry
        return None


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What every glossary parser returns: entries, YAML rules and problems, never an exception."""

    entries: tuple[Entry, ...] = ()
    problems: tuple[Problem, ...] = ()
    yaml_rules: tuple[YamlRule, ...] = ()
    version: Version | None = None
    page_url: str = ""
    name: str = ""
    """The glossary's display name as the source gives it (a page title); "" when it has none."""


class OccurrenceKind(enum.Enum):
    TERM = "term"
    ALIAS = "alias"
    DEPRECATED = "deprecated"
    YAML = "yaml"


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A glossary term found in a document, in code-point offsets of the document text."""

    start: int
    end: int
    entry: Entry
    kind: OccurrenceKind
    form: str
    """The canonical spelling of what matched (term, alias or deprecated form)."""
    text: str
    """The text as written in the document."""
    strip: int = 0
    """Characters of `form` replaced by the inflection (1 for y -> ies)."""
    suffix_len: int = 0
    """Length of the inflection in `text` ("s", "'s", "es"...)."""
    deprecation: Deprecation | None = None
    rule: YamlRule | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule's verdict on an occurrence: code, severity, message and how to fix it."""

    code: str
    severity: Severity
    start: int
    end: int
    message: str
    entry: Entry
    replacements: tuple[str, ...] = ()
    safe_fix: bool = False
    deprecation: Deprecation | None = None
