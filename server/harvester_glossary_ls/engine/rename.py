"""Renaming a glossary term: which name is renamed, the new spelling of each use, the edit of
the glossary entry, and the deprecated form that records the old name in a YAML glossary.

Everything here works on text and code-point offsets and returns `Edit`s; the language server
(`lsp/rename.py`) reads the files, converts offsets at the edge and builds the workspace edit.

- A use keeps its case pattern: as the glossary writes it → the new name as written; ALL CAPS
  → ALL CAPS; a capital first letter the term does not have (sentence start) → the new name
  with a capital first letter; Title Case → Title Case; any other variant → the new name.
  A plural suffix is made again for the new name ("policies" → "rules"), a possessive kept.
- Only occurrences the scanner found in prose are renamed (code, links, front matter are
  masked before matching), and only those of the same entry from the same glossary file, so a
  versioned docs tree with its own glossary page keeps its history.
- The old name is recorded as a deprecated form of the new one (`since` the version being
  written, when the config says which) by a text insertion, so comments and layout stay.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from harvester_glossary_ls.engine.analysis import Analysis
from harvester_glossary_ls.engine.index import inflections
from harvester_glossary_ls.engine.models import (
    Entry,
    Occurrence,
    OccurrenceKind,
    Version,
    format_version,
)

RENAMES_FILE = "glossary-renames.yaml"
"""Created at the workspace root (and added to the config's `glossaries`) when the project has
no YAML glossary to record a rename in."""

_NAME_OK = re.compile(r"^[\w][\w .\-/'&+()]*$")
_SEARCH_LINES = 12
"""Lines after an entry's source line searched for its name (a YAML entry's `term:`)."""


class RenameError(ValueError):
    """Why a rename cannot be done (shown to the user)."""


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace text[start:end] (code points) by `text`."""

    start: int
    end: int
    text: str


def renamed_name(occurrence: Occurrence) -> str | None:
    """The glossary name a use renames (the entry's term or the alias that matched); None for
    deprecated forms and YAML kinds/keys (code, not prose)."""
    if occurrence.kind not in (OccurrenceKind.TERM, OccurrenceKind.ALIAS):
        return None
    key = occurrence.form.casefold()
    return next((name for name in occurrence.entry.names if name.casefold() == key), None)


def check_new_name(old: str, new: str, entries: Iterable[Entry] = (),
                   entry: Entry | None = None) -> str:
    """The new name, trimmed; RenameError when it cannot be a term name (markup characters,
    empty, unchanged) or is already another entry's name."""
    name = " ".join(new.split())
    if not name:
        raise RenameError("The new name is empty.")
    if not _NAME_OK.match(name):
        raise RenameError(f"'{name}' cannot be a term name: use letters, digits, spaces and "
                          "- . / ' & + ( ) only.")
    if name == old:
        raise RenameError(f"'{old}' is already called that.")
    key = name.casefold()
    if entry is not None and any(d.form.casefold() == key for d in entry.deprecations):
        raise RenameError(f"'{name}' is recorded as a deprecated form of '{entry.term}': "
                          "remove that deprecation first.")
    for other in entries:
        if entry is not None and other.term == entry.term:
            continue
        if any(n.casefold() == key for n in other.names):
            raise RenameError(f"'{name}' is already a glossary term ('{other.term}').")
    return name


def _title(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))


def _cased(base: str, stem: str, new: str) -> str:
    """`new` in the case pattern with which `base` writes `stem`."""
    if base == stem:
        return new
    letters = [c for c in base if c.isalpha()]
    if len(letters) > 1 and base.isupper() and not stem.isupper():
        return new.upper()
    if base[:1].isupper() and base[1:] == stem[1:]:
        return new[:1].upper() + new[1:]
    if base == _title(stem) and len(base.split()) > 1:
        return _title(new)
    return new


def respell(written: str, form: str, new: str, *, strip: int = 0, suffix_len: int = 0) -> str:
    """How a use written `written` (of the glossary's `form`, with an inflection that replaced
    `strip` characters of it by the last `suffix_len` characters of `written`) is written with
    the glossary's new name `new`, keeping its case pattern and its plural or possessive."""
    base = written[:len(written) - suffix_len]
    suffix = written[len(written) - suffix_len:]
    stem = form[:len(form) - strip]
    out = _cased(base, stem, new)
    if not suffix:
        return out
    if suffix[0] in "'\u2019":
        return out + suffix  # possessive
    plural = suffix.rstrip("'\u2019")
    apostrophe = suffix[len(plural):]
    options = inflections(out)
    if options and options[0][1] and options[0][1][0] not in "'\u2019":
        cut, ending = options[0]
        ending = ending.upper() if plural.isupper() else ending
        return out[:len(out) - cut] + ending + apostrophe
    return out + apostrophe  # the new name already ends in s


def use_edits(analysis: Analysis, entry: Entry, old: str, new: str) -> list[Edit]:
    """The edits of one analysed document: every prose use of `old` (a name of `entry`) in it,
    respelt with `new`. Only uses of the same entry from the same glossary file count."""
    key = old.casefold()
    source = _real(entry)
    edits = []
    for occurrence in analysis.occurrences:
        if (occurrence.entry.term != entry.term or renamed_name(occurrence) is None
                or occurrence.form.casefold() != key or _real(occurrence.entry) != source):
            continue
        text = respell(occurrence.text, occurrence.form, new, strip=occurrence.strip,
                       suffix_len=occurrence.suffix_len)
        if text != occurrence.text:
            edits.append(Edit(occurrence.start, occurrence.end, text))
    return edits


def _real(entry: Entry) -> str | None:
    return os.path.realpath(entry.source.path) if entry.source is not None else None


def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + re.escape(name) + r"(?![\w])", re.IGNORECASE)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    return starts


def name_at(text: str, line: int, name: str) -> tuple[int, int] | None:
    """Where the glossary writes `name` for an entry whose source line is `line`: the first
    match on that line or one of the next few (a YAML entry's `term:`), as offsets."""
    starts = _line_starts(text)
    pattern = _name_pattern(name)
    for number in range(line, min(line + _SEARCH_LINES, len(starts))):
        end = starts[number + 1] if number + 1 < len(starts) else len(text)
        match = pattern.search(text, starts[number], end)
        if match is not None:
            return match.start(), match.end()
    return None


def entry_edit(text: str, line: int, old: str, new: str) -> Edit | None:
    """The edit of a glossary file that renames an entry's name `old` (written near `line`)."""
    where = name_at(text, line, old)
    if where is None:
        return None
    written = text[where[0]:where[1]]
    return Edit(where[0], where[1], respell(written, old, new))


# --- recording the old name ---------------------------------------------------------------------

def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _deprecation_lines(old: str, new: str, since: Version | None, indent: str) -> list[str]:
    lines = [f"{indent}- form: {_quote(old)}", f"{indent}  use: {_quote(new)}"]
    if since is not None:
        lines.append(f"{indent}  since: {format_version(since)}")
    lines.append(f"{indent}  note: renamed to {_quote(new)}")
    return lines


def renames_file(old: str, new: str, since: Version | None) -> str:
    """A new YAML glossary holding only the rename."""
    lines = ["# Terms renamed with harvester-glossary-ls: the old names are flagged as deprecated.",
             "format: harvester-glossary/v1", "name: Renamed terms", "entries:",
             f"  - term: {_quote(new)}", "    deprecated:",
             *_deprecation_lines(old, new, since, "      ")]
    return "\n".join(lines) + "\n"


_ENTRIES = re.compile(r"^entries:[ \t]*(#[^\r\n]*)?\r?$", re.MULTILINE)
_ITEM = re.compile(r"^([ \t]*)-[ \t]+term:[ \t]*(?P<value>.*?)[ \t]*(#.*)?$")
_KEY = re.compile(r"^([ \t]*)(?:-[ \t]+)?([\w-]+):")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _entry_block(lines: list[str], names: set[str], start: int) -> tuple[int, int, int] | None:
    """(first line, end line, key column) of the block entry whose `term:` is one of `names`."""
    for number in range(start, len(lines)):
        match = _ITEM.match(lines[number])
        if match is None or _unquote(match.group("value")).casefold() not in names:
            continue
        dash = len(match.group(1))
        column = lines[number].index("term:")
        end = number + 1
        while end < len(lines) and (not _content(lines[end]) or _indent(lines[end]) > dash):
            end += 1
        while end > number + 1 and not _content(lines[end - 1]):
            end -= 1
        return number, end, column
    return None


def _into_entry(lines: list[str], block: tuple[int, int, int], old: str, new: str,
                since: Version | None) -> tuple[int, list[str]] | None:
    """(line to insert before, lines) adding the deprecation to an existing entry."""
    first, end, column = block
    pad = " " * column
    for number in range(first, end):
        key = _KEY.match(lines[number])
        if (key is None or key.group(2) != "deprecated"
                or lines[number].index("deprecated") != column):
            continue
        rest = lines[number][lines[number].index(":") + 1:].split("#")[0].strip()
        if rest:
            return None  # a flow list or a single mapping: add a separate entry instead
        follow = next((lines[n] for n in range(number + 1, end) if _content(lines[n])), "")
        item_indent = (" " * _indent(follow) if follow.lstrip().startswith("-")
                       else pad + "  ")
        return number + 1, _deprecation_lines(old, new, since, item_indent)
    return end, [f"{pad}deprecated:", *_deprecation_lines(old, new, since, pad + "  ")]


def deprecation_edit(text: str, old: str, new: str, since: Version | None) -> Edit | None:
    """The insertion that records `old` as a deprecated form of `new` in a YAML glossary's
    text: in the entry named `new` (or `old`, when this file is the glossary being renamed),
    else as a new entry at the end of `entries:`, or a new `entries:` at the end of the file.
    None when the file's `entries` is not a block list (it cannot be edited as text)."""
    newline = _newline(text)
    starts = _line_starts(text)
    lines = [text[a:b].rstrip("\r\n") for a, b in zip(starts, [*starts[1:], len(text)],
                                                        strict=True)]
    if lines and not lines[-1] and len(lines) > 1:
        lines.pop()  # the empty "line" after a final line break
    names = {old.casefold(), new.casefold()}
    found = _ENTRIES.search(text)
    if found is None:
        if re.search(r"^entries:", text, re.MULTILINE):
            return None
        prefix = "" if not text or text.endswith(("\n", "\r")) else newline
        added = ["entries:", f"  - term: {_quote(new)}", "    deprecated:",
                 *_deprecation_lines(old, new, since, "      ")]
        return Edit(len(text), len(text), prefix + newline.join(added) + newline)
    entries_line = bisect.bisect_right(starts, found.start()) - 1
    block = _entry_block(lines, names, entries_line + 1)
    placed = _into_entry(lines, block, old, new, since) if block is not None else None
    if placed is None:
        end = entries_line + 1
        dash = "  "
        while end < len(lines) and (not _content(lines[end]) or _indent(lines[end]) > 0
                                    or lines[end].startswith("-")):
            if _content(lines[end]) and lines[end].lstrip().startswith("-"):
                dash = " " * _indent(lines[end])
            end += 1
        while end > entries_line + 1 and not _content(lines[end - 1]):
            end -= 1
        placed = end, [f"{dash}- term: {_quote(new)}", f"{dash}  deprecated:",
                       *_deprecation_lines(old, new, since, dash + "    ")]
    number, added = placed
    inserted = newline.join(added) + newline
    if number < len(lines):
        return Edit(starts[number], starts[number], inserted)
    prefix = "" if not text or text.endswith(("\n", "\r")) else newline
    return before_last_break(text, Edit(len(text), len(text), prefix + inserted))


def before_last_break(text: str, edit: Edit) -> Edit:
    """An insertion at the very end of a text that ends with a line break, made just before
    that break instead (the same result): an editor that keeps the last line break as an
    empty last line (Neovim) would otherwise end the file with an empty line."""
    end = len(text)
    for brk in ("\r\n", "\n", "\r"):
        if edit.start == edit.end == end and text.endswith(brk) and edit.text.endswith(brk):
            return Edit(end - len(brk), end - len(brk), brk + edit.text[:-len(brk)])
    return edit


def apply(text: str, edits: Iterable[Edit]) -> str:
    """The text with non-overlapping edits applied (tests, the CLI)."""
    out = text
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[:edit.start] + edit.text + out[edit.end:]
    return out
