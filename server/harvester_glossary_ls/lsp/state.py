"""Server-side state: one Project per workspace folder, and a per-version cache of analyses.

Every request for a document reads the same cached analysis until the document or the
configuration changes, so hover, completion, code actions and diagnostics never rescan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from harvester_glossary_ls.engine.analysis import Analysis, analyze
from harvester_glossary_ls.engine.config import CONFIG_NAME, Config
from harvester_glossary_ls.engine.cursor import occurrence_under
from harvester_glossary_ls.engine.files import MAX_DOCUMENT_BYTES
from harvester_glossary_ls.engine.glossary_lint import is_glossary_document, lint_glossary
from harvester_glossary_ls.engine.models import Occurrence, Problem
from harvester_glossary_ls.engine.project import Project, resolve
from harvester_glossary_ls.engine.text import LineIndex
from harvester_glossary_ls.engine.walk import language_of
from harvester_glossary_ls.lsp.positions import PositionMap
from harvester_glossary_ls.lsp.pygls_fixes.document import LspTextDocument

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
    document: LspTextDocument | None = None
    """The open document this version came from: its LSP line table serves `positions`."""

    @cached_property
    def lines(self) -> LineIndex:
        analysis = self.__dict__.get("analysis")  # do not analyse just to count lines
        return analysis.scan.lines if analysis is not None else LineIndex.of(self.text)

    @cached_property
    def positions(self) -> PositionMap:
        starts = (self.document.line_starts_of(self.text) if self.document is not None
                  else None)
        if starts is not None:
            return PositionMap.of_lsp_lines(self.text, starts, self.encoding)
        return PositionMap(self.text, self.lines, self.encoding)

    @cached_property
    def analysis(self) -> Analysis | None:
        if self.language is None or self.kind != "document":
            return None
        self.base = None
        return analyze(self.text, self.language, self.project.context_for(self.path))

    def hover_occurrence(self, offset: int) -> Occurrence | None:
        """The term occurrence at `offset`, from the last analysed version while someone types
        where the engine can tell (see `engine.cursor`), so a keystroke need not re-analyse."""
        previous = None
        if "analysis" not in self.__dict__ and self.base is not None:
            previous = self.base.analysis
        return occurrence_under(self.text, offset, lambda: self.analysis, previous)


class Projects:
    """Workspace folders, each with its own config and glossaries, plus a fallback."""

    def __init__(self) -> None:
        self.folders: dict[Path, Project] = {}
        self.fallback = Project(None)
        self.settings = Config()

    def add_folder(self, root: Path) -> Project:
        """A folder's project, loaded by the caller's reload once its settings are known (after
        `initialized`), so `initialize` is answered without reading any glossary."""
        project = Project(root, settings=self.settings, load=False)
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
              encoding: str, document: LspTextDocument | None = None) -> DocumentState:
        cached = self._states.get(uri)
        if (cached is not None and cached.version == version and cached.generation
                == self.generation and cached.encoding == encoding and cached.text is text):
            return cached
        path = uri_to_path(uri)
        language = LANGUAGE_IDS.get(language_id) or (language_of(path.name) if path else None)
        project = self.projects.for_path(path)
        state = DocumentState(uri, version, text, language, path, project, encoding,
                              self.generation, document=document)
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
