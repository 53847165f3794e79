"""A workspace folder as the engine sees it: config layers, glossaries, docs trees, caches.

The CLI makes one per run, the language server one per workspace folder. Reloading keeps the last
good state: a config or glossary that fails to load is reported and the previous one stays.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

from harvester_glossary_ls.engine.config import (
    CONFIG_NAME,
    Config,
    GlossarySource,
    load_config_file,
)
from harvester_glossary_ls.engine.docs_site import (
    DocsSite,
    DocsTree,
    load_docs_site,
    site_marker,
)
from harvester_glossary_ls.engine.files import FileStamp, recording_reads
from harvester_glossary_ls.engine.models import (
    SHIPPED_VERSION,
    ParseResult,
    Problem,
    Severity,
    Version,
)
from harvester_glossary_ls.engine.term_links import TermLinks

if TYPE_CHECKING:  # imported where used: a `check --cache` that hits compiles nothing
    from harvester_glossary_ls.engine.compiled import CheckContext, CompiledGlossary


@dataclass(frozen=True, slots=True)
class GlossaryKey:
    """What a compiled glossary depends on: the tree whose page it reads (None: the shipped
    page) and the version."""

    tree_root: Path | None
    version: Version


class Project:
    """Everything needed to check files under one root."""

    def __init__(self, root: Path | None, *, settings: Config | None = None,
                 overrides: Config | None = None, extra_glossaries: tuple[Path, ...] = (),
                 use_config_file: bool = True, load: bool = True) -> None:
        """`load=False` leaves the config and glossaries unread until `reload()`: the server
        answers `initialize` first and loads them in `initialized`."""
        self.root = root.resolve() if root is not None else None
        self.settings = settings or Config()
        self.overrides = overrides or Config()
        self.extra_glossaries = extra_glossaries
        self.use_config_file = use_config_file
        self.config_path: Path | None = None
        self._file_config: Config | None = None
        self._extras: dict[Path, ParseResult] = {}
        self._compiled: dict[GlossaryKey, CompiledGlossary] = {}
        self._by_content: dict[tuple[object, ...], CompiledGlossary] = {}
        """Compiled glossaries by what matching depends on (entries, YAML rules, product):
        versions whose merged glossaries are equal share one index (a 10,000-term glossary
        for a 10-version site is compiled once, not 10 times)."""
        self._sources: dict[GlossaryKey, tuple[FileStamp, ...]] = {}
        self.loaded_from: tuple[FileStamp, ...] = ()
        """Every file the last `reload` read (the config file, configured glossaries), with
        its folder: what `check --cache` compares to know the project is unchanged."""
        self._sites: dict[Path, DocsSite | None] = {}
        self._folders: dict[Path, tuple[DocsSite | None, DocsTree | None]] = {}
        self.config_problems: list[Problem] = []
        self.glossary_problems: list[Problem] = []
        self.config = Config()
        self.session_ignores: frozenset[str] = frozenset()
        self.kept: list[str] = []
        """Config or glossary files that failed to load and whose last good version is used."""
        if load:
            self.reload()

    # --- loading -------------------------------------------------------------------------------

    @property
    def problems(self) -> list[Problem]:
        return self.config_problems + self.glossary_problems

    def reload(self) -> list[Problem]:
        """Re-read the config file and extra glossaries; keep the last good ones on failure."""
        with recording_reads() as reads:
            self._reload()
        self.loaded_from = tuple(reads)
        return self.problems

    def _reload(self) -> None:
        self.config_problems = []
        self.kept = []
        if self.use_config_file and self.root is not None:
            path = self.root / CONFIG_NAME
            # anything by that name (a directory, a FIFO, a dangling link) is a broken config
            self.config_path = path if os.path.lexists(path) else None
            if self.config_path is None:
                self._file_config = None
            else:
                parsed, problems = load_config_file(self.config_path)
                self.config_problems += problems
                if parsed is not None and problems and self._file_config is not None:
                    # a setting that did not validate keeps its last good value
                    last = self._file_config
                    merged = replace(parsed, **{
                        f.name: getattr(last, f.name) for f in fields(parsed)
                        if getattr(parsed, f.name) is None and getattr(last, f.name) is not None})
                    if merged != parsed:
                        self.kept.append(self.config_path.name)
                    self._file_config = merged
                elif parsed is not None:
                    self._file_config = parsed
                elif self._file_config is not None:
                    self.kept.append(self.config_path.name)
        file_config = self._file_config or Config()
        self.config = self.overrides.over(file_config.over(self.settings))
        self._load_extras()
        self._compiled.clear()
        self._sources.clear()
        self._by_content.clear()
        self._sites.clear()
        self._folders.clear()
        load_docs_site.cache_clear()  # a reload must see version trees added or removed since

    def glossary_sources(self) -> tuple[GlossarySource, ...]:
        """Configured glossaries (relative ones from editor settings are relative to the
        root; the config file's are already resolved against its folder) and extras."""
        configured = tuple(self.config.glossaries or ())
        if self.root is not None:
            configured = tuple(g if g.path.is_absolute() else replace(g, path=self.root / g.path)
                               for g in configured)
        return configured + tuple(GlossarySource(path) for path in self.extra_glossaries)

    def glossary_paths(self) -> tuple[Path, ...]:
        return tuple(source.path for source in self.glossary_sources())

    def _load_extras(self) -> None:
        self.glossary_problems = []
        loaded: dict[Path, ParseResult] = {}
        for source in self.glossary_sources():
            from harvester_glossary_ls.engine.loader import load_source

            path = source.path
            result = load_source(path, name=source.name, casing=source.casing,
                                 language=self.config.tbx_language or "")
            fatal = [p for p in result.problems if p.severity == Severity.ERROR]
            if not result.entries and fatal and path in self._extras:
                loaded[path] = self._extras[path]  # keep serving the last good version
                self.kept.append(path.name)
                self.glossary_problems += [
                    Problem(p.path, p.message + " (still using the last version that loaded)",
                            p.line, p.column, p.severity) for p in result.problems]
            else:
                loaded[path] = result
                self.glossary_problems += result.problems
        self._extras = loaded

    # --- per-file context ----------------------------------------------------------------------

    def site_for(self, path: Path) -> DocsSite | None:
        """The docs site holding the file at `path`, if any."""
        return self._folder(path.parent)[0]

    def _folder(self, folder: Path) -> tuple[DocsSite | None, DocsTree | None]:
        """(site, version tree) of a folder: resolved once per folder, a dict hit per file."""
        known = self._folders.get(folder)
        if known is None:
            absolute = Path(os.path.abspath(folder))
            site = self._site_of(absolute)
            known = (site, site.tree_for(absolute) if site is not None else None)
            self._folders[folder] = known
        return known

    def _site_of(self, folder: Path) -> DocsSite | None:
        """The nearest site root at or above `folder`. Every folder passed on the way up is
        remembered, so a checkout costs one marker test per folder, not one per file."""
        passed: list[Path] = []
        site: DocsSite | None = None
        current = folder
        while current not in self._sites:
            passed.append(current)
            if site_marker(current):
                site = load_docs_site(current, self.config.glossary_page)
                break
            if current.parent == current:
                break
            current = current.parent
        else:
            site = self._sites[current]
        for seen in passed:
            self._sites[seen] = site
        return site

    def _tree_for(self, path: Path | None) -> tuple[DocsTree | None, Version, str]:
        """(the tree whose glossary page applies, the document's version, its product).

        In a docs site the document has its tree's version and the site's product (a
        translation its original's page when it has none of its own); elsewhere the configured
        `glossaryVersion` or the shipped v1.7 and no product, so every deprecation compares.
        """
        wanted = self.config.glossary_version
        site, tree = self._folder(path.parent) if path is not None else (None, None)
        if site is None:
            return None, wanted or SHIPPED_VERSION, ""
        if wanted is not None:
            tree = site.tree_of_version(wanted)
        if tree is None:
            return None, wanted or SHIPPED_VERSION, site.product
        return tree.glossary_tree, wanted or tree.version, tree.product or site.product

    def compiled_for(self, path: Path | None) -> tuple[CompiledGlossary, Version]:
        tree, version, _ = self._tree_for(path)
        return self._compiled_of(tree, version), version

    def glossary_key(self, path: Path | None) -> GlossaryKey:
        """Which compiled glossary applies to the file at `path`, without compiling it."""
        tree, version, _ = self._tree_for(path)
        return GlossaryKey(tree.root if tree is not None else None, version)

    def placement(self, path: Path) -> tuple[GlossaryKey, str]:
        """(`glossary_key(path)`, everything else `context_for(path)` depends on besides the
        config and the glossary sources, as one string: the product and the file's own docs
        tree, which its links are relative to)."""
        tree, version, product = self._tree_for(path)
        own = self._folder(path.parent)[1]
        key = GlossaryKey(tree.root if tree is not None else None, version)
        return key, f"{key.tree_root or ''}\x1f{version}\x1f{product}\x1f{own.root if own else ''}"

    def compiled_keys(self) -> frozenset[GlossaryKey]:
        """The glossaries compiled so far."""
        return frozenset(self._compiled)

    def sources_of(self, key: GlossaryKey) -> tuple[FileStamp, ...]:
        """The files (and their folders) read to build the glossary of `key`, as they were
        when it was compiled; () before it is."""
        return self._sources.get(key, ())

    def _compiled_of(self, tree: DocsTree | None, version: Version) -> CompiledGlossary:
        """One compiled glossary per (glossary tree, version), shared by all its files."""
        key = GlossaryKey(tree.root if tree is not None else None, version)
        compiled = self._compiled.get(key)
        if compiled is None:
            from harvester_glossary_ls.engine.compiled import CompiledGlossary
            from harvester_glossary_ls.engine.loader import harvester_glossary

            with recording_reads() as reads:
                glossary, problems = harvester_glossary(
                    tree, self._extras.values(),
                    default=self.config.default_glossary is not False)
            self._sources[key] = tuple(dict.fromkeys(reads))
            self.glossary_problems += [p for p in problems if p not in self.glossary_problems]
            product = tree.product if tree else ""
            content = (glossary.entries, glossary.yaml_rules, product)
            shared = self._by_content.get(content)
            if shared is None:
                compiled = CompiledGlossary.build(glossary, product=product)
                self._by_content[content] = compiled
            else:  # equal entries: the same index, casing and spelling, this tree's glossary
                compiled = replace(shared, glossary=glossary)
            self._compiled[key] = compiled
        return compiled

    def ignore_for_session(self, word: str) -> None:
        """Ignore a word at once, before the config file that lists it is saved."""
        self.session_ignores |= {word.casefold()}

    def context_for(self, path: Path | None) -> CheckContext:
        from harvester_glossary_ls.engine.compiled import CheckContext

        tree, version, product = self._tree_for(path)
        compiled = self._compiled_of(tree, version)
        settings = self.config.rule_settings()
        if self.session_ignores:
            settings = replace(settings, ignore_words=settings.ignore_words | self.session_ignores)
        links = None
        if path is not None:  # cheap: the site and tree are known per folder, the rest is lazy
            site, own_tree = self._folder(path.parent)
            links = TermLinks(Path(os.path.abspath(path)), site, own_tree)
        return CheckContext(compiled, settings, version, product, links)

    def default_glossary(self) -> CompiledGlossary:
        """The glossary that applies to files outside any docs tree."""
        return self.compiled_for(self.root / "_" if self.root else None)[0]

    # --- file selection ------------------------------------------------------------------------

    def included(self, path: Path) -> bool:
        """Whether include/exclude globs (relative to the root) let this file be checked."""
        include = self.config.include
        exclude = self.config.exclude or ()
        if self.root is None or not (include or exclude):
            return True  # no globs: no path to resolve
        try:
            relative = resolve(path).relative_to(self.root).as_posix()
        except ValueError:
            relative = path.as_posix()
        if include and not any(_glob(relative, pattern) for pattern in include):
            return False
        return not any(_glob(relative, pattern) for pattern in exclude)


def resolve(path: Path) -> Path:
    """path.resolve(), or the absolute path where it cannot be (a symlink loop)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def _glob(relative: str, pattern: str) -> bool:
    """fnmatch where `**/` may also match nothing, so `docs/**/*.md` matches `docs/a.md`."""
    pattern = pattern.lstrip("./") if pattern.startswith("./") else pattern
    if fnmatch.fnmatchcase(relative, pattern):
        return True
    if "**/" in pattern and fnmatch.fnmatchcase(relative, pattern.replace("**/", "")):
        return True
    return (pattern.endswith("/") and relative.startswith(pattern)) or relative.startswith(
        pattern.rstrip("/") + "/")
