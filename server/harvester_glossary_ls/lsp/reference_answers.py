"""References answers from the workspace index, as JSON text made once per term and index state.

The index's part of an answer (every use of a term in a workspace folder, by file in sorted order,
then by position) is written straight from the index's spans into the JSON that pygls would
have made of the same `Location` objects (the same keys in the same order, `json.dumps` spacing
and escapes), and kept per (folder, term) until that folder's index changes (a new generation or
a new folder version). A request then costs a string join and a write: no `Location` objects,
no cattrs, no `json.dumps`, and nothing for the garbage collector to track (issue 10: an
answer of 5,400 locations took about 30 ms to serialise on every request and set off 70-240 ms
full collections). A new answer costs about 10 ms for those 5,400 locations (file URIs are
made once per file). `pygls_fixes.prepared` sends the text as the result.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from lsprotocol import types as t

from harvester_glossary_ls.engine.project import resolve
from harvester_glossary_ls.engine.workspace_index import FolderIndex
from harvester_glossary_ls.lsp.indexer import file_uri
from harvester_glossary_ls.lsp.pygls_fixes.prepared import PreparedResult

CACHED_ANSWERS = 16
CACHED_URIS = 50_000

_LOCATION = ('{"uri": %s, "range": {"start": {"line": %d, "character": %d}, '
             '"end": {"line": %d, "character": %d}}}')


class Indexes(Protocol):
    """What an answer needs of the session's index (`lsp.indexer.WorkspaceIndex`)."""

    @property
    def generation(self) -> int: ...

    def folder_for(self, path: Path | None) -> FolderIndex | None: ...


def location_json(location: t.Location) -> str:
    """One `Location` as pygls serialises it."""
    start, end = location.range.start, location.range.end
    return _LOCATION % (json.dumps(location.uri), start.line, start.character, end.line,
                        end.character)


def uses_json(folder: FolderIndex, term: str,
              uri_json: Callable[[Path], str] = lambda path: json.dumps(file_uri(path))) -> str:
    """The folder's uses of `term` as the items of a JSON array (no brackets; "" for none).
    `uri_json`: a file's URI as JSON."""
    parts = []
    for path, uses in folder.uses_by_file(term):
        uri = uri_json(path)
        parts += [_LOCATION % (uri, use.start_line, use.start_char, use.end_line, use.end_char)
                  for use in uses]
    return ", ".join(parts)


class ReferenceAnswers:
    """The last few answers' JSON, per (folder root, term), valid for one index state."""

    def __init__(self, size: int = CACHED_ANSWERS) -> None:
        self.size = size
        self._answers: dict[tuple[Path | None, str], tuple[tuple[int, int], str]] = {}
        self._uris: dict[Path, str] = {}
        self.built = 0
        """Answers made from the index (not from the cache): for tests."""

    def uses(self, index: Indexes, path: Path, term: str) -> str:
        """The uses of `term` in the folder of `path`, as JSON array items ("" for none)."""
        folder = index.folder_for(resolve(path))
        if folder is None:
            return ""
        key = (folder.root, term)
        state = (index.generation, folder.version)
        cached = self._answers.get(key)
        if cached is not None and cached[0] == state:
            return cached[1]
        text = uses_json(folder, term, self._uri_json)
        self.built += 1
        self._answers.pop(key, None)
        if len(self._answers) >= self.size:
            self._answers.pop(next(iter(self._answers)))
        self._answers[key] = (state, text)
        return text

    def _uri_json(self, path: Path) -> str:
        """A file's URI as JSON, made once per file (pygls' from_fs_path is the slow part
        of a new answer)."""
        known = self._uris.get(path)
        if known is None:
            if len(self._uris) >= CACHED_URIS:
                self._uris.clear()
            known = self._uris[path] = json.dumps(file_uri(path))
        return known

    def answer(self, index: Indexes, path: Path, term: str,
               first: list[t.Location]) -> PreparedResult:
        """`first` (the declaration, if asked for) then every use of `term` in the folder of
        `path`."""
        items = [location_json(location) for location in first]
        uses = self.uses(index, path, term)
        if uses:
            items.append(uses)
        return PreparedResult("[" + ", ".join(items) + "]")
