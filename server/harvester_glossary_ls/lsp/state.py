"""Server-side state: one Project per workspace folder, and a per-version cache of analyses.

Every request for a document reads the same cached analysis until the document or the
configuration changes, so hover, completion, code actions and diagnostics never rescan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from harvester_glossary_ls.engine.analysis import Analysis, analyze, language_of
from harvester_glossary_ls.engine.config import CONFIG_NAME, Config
from harvester_glossary_ls.engine.files import MAX_DOCUMENT_BYTES
from harvester_glossary_ls.engine.glossary_lint import is_glossary_document, lint_glossary
from harvester_glossary_ls.engine.models import Occurrence, Problem
from harvester_glossary_ls.engine.project import Project, resolve
from harvester_glossary_ls.engine.scan import LineKind
from harvester_glossary_ls.engine.text import LineIndex
from harvester_glossary_ls.lsp.positions import PositionMap

LANGUAGE_IDS = {"markdown": "markdown", "mdx": "markdown", "yaml": "yaml",
                "yaml.docker-compose": "yaml", "helm": "yaml"}


def uri_to_path(uri: str) -> Path | None:
    from pygls.uris import to_fs_path

    path = to_fs_path(uri)
    return Path(path) if path else None


@dataclass
class DocumentState:
    """One version of one open document and everything derived from it."""

    uri: str
    version: int | None
    text: str
    language: str | None
    path: Path | None
    project: Project
    encoding: str
    generation: int
    kind: str = "document"  # "document", "glossary", "config" or "skipped"
    problems: list[Problem] = field(default_factory=list)
    base: DocumentState | None = None
    """The latest earlier version of this document that was analysed, for `hover_occurrence`."""

    @cached_property
    def lines(self) -> LineIndex:
        analysis = self.__dict__.get("analysis")  # do not analyse just to count lines
        return analysis.scan.lines if analysis is not None else LineIndex.of(self.text)

    @cached_property
    def positions(self) -> PositionMap:
        return PositionMap(self.text, self.lines, self.encoding)

    @cached_property
    def analysis(self) -> Analysis | None:
        if self.language is None or self.kind != "document":
            return None
        self.base = None
        return analyze(self.text, self.language, self.project.context_for(self.path))

    def hover_occurrence(self, offset: int) -> Occurrence | None:
        """The term occurrence at `offset`, without analysing this version when it can be
        avoided: while someone types, each keystroke is a new version, and a 5,000-line page
        takes ~16 ms to analyse. The last analysed version (`base`) answers when the text
        differs from it only away from the cursor, by letters, digits, spaces and plain
        punctuation typed or deleted after a line's indentation (which cannot change what is
        code, markup or prose anywhere) outside code blocks (YAML examples), and the
        occurrence's text is still there."""
        base = self.base
        if ("analysis" not in self.__dict__ and base is not None and base.analysis is not None
                and self.language == "markdown"):
            start, old_end, new_end = changed_region(base.text, self.text)
            if (not start - _NEAR <= offset <= new_end + _NEAR
                    and _plain_edit(base, self.text, start, old_end, new_end)):
                shift = new_end - old_end
                found = base.analysis.occurrence_at(offset if offset < start else offset - shift)
                if found is None:
                    return None
                if found.start > old_end + 2:
                    found = replace(found, start=found.start + shift, end=found.end + shift)
                if (found.end < start - 2 or found.start > new_end + 2) and (
                        self.text[found.start:found.end] == found.text):
                    return found
        return self.analysis.occurrence_at(offset) if self.analysis else None


_NEAR = 128
_PROSE_KINDS = frozenset((LineKind.PARAGRAPH, LineKind.HEADING, LineKind.LIST_ITEM))
"""Characters around an edit where a term may have appeared or gone: analyse instead."""
_PLAIN = " .,;:!?'\"-\n"
"""With letters and digits, what an edit may contain for `hover_occurrence` to skip analysis."""


def _plain_edit(base: DocumentState, text: str, start: int, old_end: int, new_end: int) -> bool:
    """Whether replacing base.text[start:old_end] by text[start:new_end] leaves every other
    line as it was for the Markdown scanner: letters, digits, spaces, plain punctuation and
    line breaks, typed after the indentation of a prose line, with no new line (nor the line
    after the edit) starting indented, which could begin an indented code block."""
    assert base.analysis is not None
    changed = base.text[start:old_end] + text[start:new_end]
    if "--" in changed or not all(ch.isalnum() or ch in _PLAIN for ch in changed):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip():
        return False  # in the indentation, or at the start of a line
    scan = base.analysis.scan
    if scan.kinds[scan.lines.line_of(start)] not in _PROSE_KINDS:
        return False  # code, HTML, front matter, a comment
    return "\n" not in changed or not (_indented_line(base.text, start, old_end)
                                      or _indented_line(text, start, new_end))


def _indented_line(text: str, start: int, end: int) -> bool:
    """Whether a line begun inside text[start:end], or the line after it, is indented."""
    after = text.find("\n", end)
    after = -1 if after < 0 else text.find("\n", after + 1)
    region = text[start:len(text) if after < 0 else after]
    return any(region[i + 1:i + 2] in (" ", "\t") for i, ch in enumerate(region) if ch == "\n")


def changed_region(old: str, new: str) -> tuple[int, int, int]:
    """(start, old end, new end): `old[start:old_end]` became `new[start:new_end]`, found by
    comparing 4 kB slices (C speed) from both ends."""
    limit = min(len(old), len(new))
    start = _common(old, new, limit, lambda i, n: (slice(i, i + n), slice(i, i + n)))
    suffix = _common(old, new, limit - start, lambda i, n: (
        slice(len(old) - i - n, len(old) - i), slice(len(new) - i - n, len(new) - i)))
    return start, len(old) - suffix, len(new) - suffix


def _common(old: str, new: str, limit: int,
            window: Callable[[int, int], tuple[slice, slice]]) -> int:
    """How many characters match, stepping by 4 kB and then by halves."""
    done = 0
    step = 4096
    while step:
        while done + step <= limit:
            a, b = window(done, step)
            if old[a] != new[b]:
                break
            done += step
        step //= 2
    return done


class Projects:
    """Workspace folders, each with its own config and glossaries, plus a fallback."""

    def __init__(self) -> None:
        self.folders: dict[Path, Project] = {}
        self.fallback = Project(None)
        self.settings = Config()

    def add_folder(self, root: Path) -> Project:
        project = Project(root, settings=self.settings)
        self.folders[root.resolve()] = project
        return project

    def remove_folder(self, root: Path) -> None:
        self.folders.pop(root.resolve(), None)

    def all(self) -> list[Project]:
        return [*self.folders.values(), self.fallback]

    def for_path(self, path: Path | None) -> Project:
        if path is None:
            return self.fallback
        resolved = resolve(path) if path.is_absolute() else path
        best: Project | None = None
        best_len = -1
        for root, project in self.folders.items():
            if (resolved == root or root in resolved.parents) and len(root.parts) > best_len:
                best, best_len = project, len(root.parts)
        return best or self.fallback


class DocumentCache:
    """Analyses by (uri, version, configuration generation)."""

    def __init__(self, projects: Projects) -> None:
        self.projects = projects
        self.generation = 0
        self._states: dict[str, DocumentState] = {}

    def invalidate(self) -> None:
        """Configuration or glossary changed: every analysis must be redone."""
        self.generation += 1
        self._states.clear()

    def forget(self, uri: str) -> None:
        self._states.pop(uri, None)

    def state(self, uri: str, version: int | None, text: str, language_id: str,
              encoding: str) -> DocumentState:
        cached = self._states.get(uri)
        if (cached is not None and cached.version == version and cached.generation
                == self.generation and cached.encoding == encoding and cached.text is text):
            return cached
        path = uri_to_path(uri)
        language = LANGUAGE_IDS.get(language_id) or (language_of(path.name) if path else None)
        project = self.projects.for_path(path)
        state = DocumentState(uri, version, text, language, path, project, encoding,
                              self.generation)
        if (cached is not None and cached.generation == self.generation
                and cached.encoding == encoding and cached.language == language):
            state.base = cached if "analysis" in cached.__dict__ else cached.base
        if path is not None and path.name == CONFIG_NAME:
            state.kind = "config"
            state.problems = [p for p in project.config_problems if Path(p.path) == path]
        elif len(text) > MAX_DOCUMENT_BYTES:
            state.kind = "skipped"
        elif language is not None and path is not None and is_glossary_document(path.name,
                                                                                 text):
            state.kind = "glossary"
            state.problems = lint_glossary(text, path)
        self._states[uri] = state
        return state
