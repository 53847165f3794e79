"""The one front-matter splitter and loader: a leading `---` block, read as budgeted YAML.

Docs pages, glossary pages and Hugo term pages open with YAML front matter. It is split here
and loaded only through `yamlnodes.load_yaml`, whose node budget stops an alias bomb
("billion laughs") in a page anyone can edit; `yaml.safe_load` has no such budget.

Most front matter is flat: `key: value` lines, a folded `key: >` description, a `key:` with a
list of `- item` lines (a Kubernetes term page is nothing else). That shape is read line by line
without composing YAML (`_simple_values`), giving exactly what `load_yaml` gives (plain values
resolved by YAML's own rules: `aka:` is None, `yes` is True, `2018-04-12` stays a string);
anything else, down to a tab or a quote, goes to `load_yaml`. tests/test_frontmatter_fast.py
compares the two on generated front matter.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from harvester_glossary_ls.engine.files import UnreadableFile, read_text_file
from harvester_glossary_ls.engine.yamlnodes import (
    Mapping,
    YamlError,
    load_yaml,
    plain,
    plain_scalar,
)

_CLOSERS = ("---", "...")
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
_ITEM_LINE = re.compile(r"( *)- +(.*)")
_BLOCK_HEADER = re.compile(r"([>|])(-?) *")
# A plain scalar the fast path takes: printable, no YAML line break (\x85, \u2028, \u2029) or
# BOM, and no character that could start anything but a plain scalar (an indicator, a quote).
_PLAIN = re.compile("[^-?:,\\[\\]{}#&*!|>'\"%@`\\s][\x20-\x7e\xa0-\u2027\u202a-\ud7ff"
                    "\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")
_CONTENT = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                      "\U00010000-\U0010ffff]*")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """A page split at its front matter: the YAML between the fences and the body after."""

    yaml: str
    body: str
    body_line: int
    """0-based line where the body starts (after the closing fence)."""


def split_front_matter(text: str) -> FrontMatter | None:
    """The front matter of `text`, or None when it does not open with a closed `---` block."""
    lines = text.removeprefix("\ufeff").split("\n")
    if lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _CLOSERS:
            return FrontMatter("\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 1)
    return None


def _plain(value: str) -> object:
    """A one-line plain scalar as `load_yaml` reads it; None (the caller falls back) when it is
    not one the fast path is sure of (`a: b`, ` #`, a trailing `:` mean more than a scalar)."""
    value = value.rstrip(" ")
    if not _PLAIN.fullmatch(value) or ": " in value or " #" in value or value.endswith(":"):
        return _UNSURE
    return plain_scalar(value)


_UNSURE = object()


def _block(lines: list[str], index: int, style: str, chomp: str) -> tuple[str, int] | None:
    """A `>` or `|` block scalar from the line after its header: (value, next line index).

    Only the plain shape: every content line indented alike (no deeper line, no leading tab),
    blank lines truly empty, the block ending at a line that starts a key. None otherwise."""
    content: list[str] = []
    indent = 0
    end = index
    while end < len(lines):
        line = lines[end]
        if line and not line.startswith(" "):
            break
        if line:
            stripped = line.lstrip(" ")
            width = len(line) - len(stripped)
            indent = indent or width
            if width != indent or not stripped or not _CONTENT.fullmatch(stripped):
                return None
            content.append(stripped)
        else:
            content.append("")
        end += 1
    ends_line = end > index and not lines[end - 1]  # the last content line has its break
    while content and not content[-1]:
        content.pop()
    if not content or not content[0]:
        return None
    parts = [content[0]]
    blank = 0
    for line in content[1:]:
        if not line:
            blank += 1
            continue
        if style == "|":
            parts.append("\n" * (blank + 1))
        else:  # folded: one break between two lines is a space, each blank line a break
            parts.append("\n" * blank if blank else " ")
        parts.append(line)
        blank = 0
    final = "\n" if chomp != "-" and (ends_line or end < len(lines)) else ""
    return "".join(parts) + final, end


def _items(lines: list[str], index: int) -> tuple[list[object], int] | None:
    """`- item` lines (indented alike, blank lines between allowed) after a bare `key:`."""
    values: list[object] = []
    indent: int | None = None
    end = index
    while end < len(lines):
        line = lines[end]
        if not line:
            end += 1
            continue
        item = _ITEM_LINE.fullmatch(line)
        if item is None:
            if line.startswith((" ", "-")):
                return None
            break
        if indent is None:
            indent = len(item.group(1))
        value = _plain(item.group(2))
        if len(item.group(1)) != indent or value is _UNSURE:
            return None
        values.append(value)
        end += 1
    return values, end


def _simple_values(source: str) -> dict[str, object] | None:
    """Flat front matter read without a YAML parser; None when it is not of the simple shape
    (the caller then loads it with `load_yaml`)."""
    if "\t" in source or "\r" in source:
        return None
    lines = source.split("\n")
    values: dict[str, object] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line or line.startswith("#"):
            continue
        key_line = _KEY_LINE.fullmatch(line)
        if key_line is None:
            return None
        key, raw = key_line.group(1), (key_line.group(2) or "").rstrip(" ")
        header = _BLOCK_HEADER.fullmatch(raw)
        if header is not None:
            block = _block(lines, index, header.group(1), header.group(2))
            if block is None:
                return None
            values[key], index = block
        elif raw:
            value = _plain(raw)
            if value is _UNSURE:
                return None
            values[key] = value
        else:
            items = _items(lines, index)
            if items is None:
                return None
            values[key], index = (items[0] or None), items[1]
    return values or None


def front_matter_values(front: FrontMatter) -> dict[str, object] | None:
    """The front matter as plain values; None when it is not a mapping.

    Raises YamlError (its line counted in the whole page) for broken YAML or an alias bomb.
    """
    simple = _simple_values(front.yaml)
    if simple is not None:
        return simple
    try:
        data = load_yaml(front.yaml)
    except YamlError as error:
        raise YamlError(str(error), error.line + 1) from None  # +1: the opening `---`
    if not isinstance(data, Mapping):
        return None
    return {key: plain(value) for key, value, _ in data.items}


def parse_front_matter(text: str) -> dict[str, object]:
    """The front matter of Markdown text as a dict; {} when absent or broken (never raises)."""
    return _front_matter_of_text(text)[0]


def _front_matter_of_text(text: str) -> tuple[dict[str, object], str]:
    front = split_front_matter(text)
    if front is None:
        return {}, ""
    try:
        values = front_matter_values(front)
    except YamlError as error:
        return {}, str(error)
    return values or {}, ""


@functools.lru_cache(maxsize=1024)
def _read_cached(path: Path) -> tuple[tuple[tuple[str, object], ...], str]:
    try:
        text = read_text_file(path)
    except UnreadableFile:
        return (), ""
    values, problem = _front_matter_of_text(text)
    return tuple(values.items()), problem


def read_front_matter(path: Path) -> dict[str, object]:
    """Front matter of the Markdown file at `path`, cached per path; {} on any problem.

    The cache holds a tuple so callers get a fresh dict they may modify without poisoning it.
    """
    return dict(_read_cached(path)[0])


def front_matter_problem(path: Path) -> str:
    """Why the front matter of the file at `path` cannot be used ("" when it can or is absent)."""
    return _read_cached(path)[1]
