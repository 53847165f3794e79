"""A glossary kept in a spreadsheet: a CSV file with a header row and one row per term.

```csv
term,definition,status,replacement,aliases,url
mgmt,Built-in cluster network.,preferred,,management network,https://docs.example/mgmt
harvester-mgmt,,deprecated,mgmt,,
```

Columns (header names in any case and order; only `term` is required): `term`, `definition`
(Markdown), `status`, `replacement`, `aliases` and `url`. Statuses are read as in TBX
(`tbx.STATUSES`): empty or preferred: an entry of its own; admitted: an accepted spelling, an
alias of the entry named in `replacement` (its own entry when that is empty); deprecated
(obsolete, not recommended, superseded, forbidden): a deprecated form of the entry named in
`replacement`, with the row's definition as the deprecation's note. Several aliases or
replacements are separated by `|` (or `;` in a comma- or tab-separated file); a deprecated row
with several replacements is offered as a quick fix but never applied by `--fix`. A replacement
that no row defines becomes an entry of its own.

The delimiter is the header's: a tab, else `;` when the header has no comma, else a comma.
Each bad row is one problem with its line number and the rest is still read; casing is
`strict`, as in our YAML format: a team types each term the way the docs should write it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace

from harvester_glossary_ls.engine.models import (
    Deprecation,
    Entry,
    ParseResult,
    Problem,
    Severity,
    SourceLocation,
)
from harvester_glossary_ls.engine.parsers.tbx import Status, status_label, status_of

COLUMNS = ("term", "definition", "status", "replacement", "aliases", "url")
CASING = "strict"


@dataclass
class _Row:
    line: int
    """0-based line of the row's first physical line."""
    term: str
    definition: str
    status: Status
    label: str
    replacement: tuple[str, ...]
    aliases: tuple[str, ...]
    url: str


@dataclass
class _Reading:
    path: str
    problems: list[Problem] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    by_name: dict[str, int] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def problem(self, line: int, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(self.path, message, line, severity=severity))

    def slot(self, name: str) -> int | None:
        return self.by_name.get(name.casefold())

    def add_entry(self, entry: Entry, line: int) -> None:
        slot = len(self.entries)
        self.entries.append(entry)
        for name in entry.names:
            self.by_name.setdefault(name.casefold(), slot)
            self.lines.setdefault(name.casefold(), line)

    def add_names(self, slot: int, names: tuple[str, ...], line: int) -> None:
        entry = self.entries[slot]
        new = tuple(n for n in names if n.casefold() not in {m.casefold() for m in entry.names})
        self.entries[slot] = replace(entry, aliases=entry.aliases + new)
        for name in new:
            self.by_name.setdefault(name.casefold(), slot)
            self.lines.setdefault(name.casefold(), line)


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    if "\t" in header:
        return "\t"
    return ";" if ";" in header and "," not in header else ","


def _split(value: str, delimiter: str) -> tuple[str, ...]:
    separators = r"[|]" if delimiter == ";" else r"[|;]"
    return tuple(dict.fromkeys(p.strip() for p in re.split(separators, value) if p.strip()))


def _header(fields: list[str], reading: _Reading) -> dict[str, int] | None:
    """Each known column's index (the header's width under the key "")."""
    columns: dict[str, int] = {"": len(fields)}
    for index, name in enumerate(fields):
        key = name.strip().lower()
        if key in COLUMNS and key not in columns:
            columns[key] = index
        elif key:
            reading.problem(0, f"column '{name.strip()}' ignored (known: {', '.join(COLUMNS)})",
                            Severity.WARNING)
    if "term" not in columns:
        reading.problem(0, "the header row needs a 'term' column (columns: "
                           f"{', '.join(COLUMNS)})")
        return None
    return columns


def _row(fields: list[str], line: int, columns: dict[str, int], delimiter: str,
         reading: _Reading) -> _Row | None:
    if len(fields) > columns[""] and any(f.strip() for f in fields[columns[""]:]):
        reading.problem(line, f"{len(fields)} fields, but the header has {columns['']} columns")
        return None

    def get(column: str) -> str:
        index = columns.get(column)
        return fields[index].strip() if index is not None and index < len(fields) else ""

    term, status_text = " ".join(get("term").split()), get("status")
    if not term:
        reading.problem(line, "no term in this row")
        return None
    status = status_of(status_text) if status_text else Status.PREFERRED
    if status is None:
        reading.problem(line, f"unknown status '{status_text}' for '{term}' (use preferred, "
                              "admitted or deprecated)")
        return None
    replacement = _split(get("replacement"), delimiter)
    if status is Status.DEPRECATED and not replacement:
        reading.problem(line, f"deprecated term '{term}' needs a replacement")
        return None
    return _Row(line, term, get("definition"), status, status_label(status_text or "preferred"),
                replacement, _split(get("aliases"), delimiter), get("url"))


def _rows(text: str, reading: _Reading) -> list[_Row]:
    delimiter = _delimiter(text)
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter, strict=True)
    rows: list[_Row] = []
    columns: dict[str, int] | None = None
    line = 0
    try:
        for fields in reader:
            start, line = line, reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if columns is None:
                columns = _header(fields, reading)
                if columns is None:
                    return []
            elif (row := _row(fields, start, columns, delimiter, reading)) is not None:
                rows.append(row)
    except csv.Error as error:
        reading.problem(line, f"not valid CSV: {error}")
    if columns is None and not reading.problems:
        reading.problem(0, "empty CSV glossary: no header row")
    return rows


def _entry(row: _Row, reading: _Reading) -> Entry:
    return Entry(term=row.term, aliases=tuple(a for a in row.aliases
                                              if a.casefold() != row.term.casefold()),
                 definition=row.definition, url=row.url,
                 source=SourceLocation(reading.path, row.line), casing=CASING)


def _define(rows: list[_Row], reading: _Reading) -> None:
    """Rows that are entries: preferred ones, and admitted ones with no preferred term."""
    for row in rows:
        if row.status is Status.DEPRECATED or (row.status is Status.ADMITTED and row.replacement):
            continue
        if (slot := reading.slot(row.term)) is not None:
            first = reading.lines.get(row.term.casefold(), 0) + 1
            reading.problem(row.line, f"'{row.term}' is already defined (line {first})")
            reading.add_names(slot, row.aliases, row.line)
            continue
        reading.add_entry(_entry(row, reading), row.line)


def _target(row: _Row, reading: _Reading) -> int:
    """The entry a row's replacement names, created when no row defines it."""
    slot = reading.slot(row.replacement[0])
    if slot is None:
        slot = len(reading.entries)
        reading.add_entry(Entry(term=row.replacement[0], source=SourceLocation(
            reading.path, row.line), casing=CASING), row.line)
    return slot


def _attach(rows: list[_Row], reading: _Reading) -> None:
    """Admitted spellings and deprecated forms onto the entries their replacement names."""
    for row in rows:
        if row.status is Status.ADMITTED and row.replacement:
            reading.add_names(_target(row, reading), (row.term, *row.aliases), row.line)
    for row in rows:
        if row.status is not Status.DEPRECATED:
            continue
        if reading.slot(row.term) is not None:
            first = reading.lines.get(row.term.casefold(), 0) + 1
            reading.problem(row.line, f"'{row.term}' is deprecated here but a term or alias on "
                                      f"line {first}: not flagged", Severity.WARNING)
            continue
        slot = _target(row, reading)
        entry = reading.entries[slot]
        if any(d.form.casefold() == row.term.casefold() for d in entry.deprecations):
            continue
        dep = Deprecation(form=row.term, use=row.replacement,
                          note=row.definition or _note(row.label))
        reading.entries[slot] = replace(entry, deprecations=(*entry.deprecations, dep))


def _note(label: str) -> str:
    """"obsolete", "not recommended": what the status adds to "is deprecated" ("" for that)."""
    return "" if label == "deprecated" else label


def parse_csv_glossary(text: str, path: str) -> ParseResult:
    """A CSV glossary's entries and one problem per bad row; never raises."""
    reading = _Reading(path)
    rows = _rows(text, reading)
    _define(rows, reading)
    _attach(rows, reading)
    return ParseResult(entries=tuple(reading.entries), problems=tuple(reading.problems))
