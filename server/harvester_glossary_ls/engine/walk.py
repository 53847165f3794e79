"""The one document walk: which files under a folder are documents to check.

Shared by `check` and the language server (references), so that both see the same files: the
extensions the README lists (`.md`, `.markdown`, `.yaml`, `.yml`, in any case; not `.mdx`, which
the engine reads only when a file is named explicitly or opened in an editor), no tool or hidden
folders, and the config's include/exclude globs through the caller's `included` predicate.

Symlinks: a linked folder is not entered (no loops, and the walk never leaves the tree through
one); a linked file is yielded like any other, and `check --fix` decides by where it leads.
Folders and files come in sorted order, so output is stable across file systems.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

DOCUMENT_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")
"""What a folder walk checks (compared lower-cased)."""

SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".e2e", "build",
                       "dist", ".hg", ".svn", ".tox", ".mypy_cache", ".pytest_cache"})
"""Folders never entered (besides every hidden folder): VCS data, dependencies, build output."""

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")
"""What the engine reads as Markdown: `.mdx` too, when named or opened, though a walk skips it."""
YAML_SUFFIXES = (".yaml", ".yml")


def language_of(path: str) -> str | None:
    """"markdown", "yaml" or None, from a file name."""
    lower = path.lower()
    if lower.endswith(MARKDOWN_SUFFIXES):
        return "markdown"
    if lower.endswith(YAML_SUFFIXES):
        return "yaml"
    return None


Included = Callable[[Path], bool]
"""Whether the config's include/exclude globs let a file be checked (`Project.included`)."""


def _everything(_path: Path) -> bool:
    return True


def is_document(name: str) -> bool:
    """A file name a folder walk checks."""
    return name.lower().endswith(DOCUMENT_SUFFIXES)


def skipped_folder(name: str) -> bool:
    """A folder a walk never enters: a tool's folder or a hidden one."""
    return name in SKIP_DIRS or name.startswith(".")


def walk_documents(folder: Path, included: Included = _everything, *,
                   limit: int | None = None) -> Iterator[Path]:
    """The documents under `folder` that `included` accepts, in sorted order; at most `limit`.

    Symlinked folders are not followed (os.walk's default)."""
    count = 0
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not skipped_folder(d))
        for name in sorted(files):
            path = Path(current) / name
            if is_document(name) and included(path):
                yield path
                count += 1
                if limit is not None and count >= limit:
                    return


def not_glossaries(glossaries: Iterable[Path], included: Included = _everything) -> Included:
    """`included`, except for the files the project loads as glossaries (a glossary file, or a
    page in a glossary folder): a glossary is not also a document to check."""
    files: set[Path] = set()
    folders: list[Path] = []
    for glossary in glossaries:
        real = Path(os.path.realpath(glossary))
        if real.is_dir():
            folders.append(real)
        elif real.exists():
            files.add(real)
    skip = frozenset(files)
    if not skip and not folders:
        return included

    def checked(path: Path) -> bool:
        real = Path(os.path.realpath(path))
        if real in skip or any(folder in real.parents for folder in folders):
            return False
        return included(path)

    return checked


def documents_in(paths: Iterable[str], included: Included = _everything, *,
                 missing: Callable[[str], None] | None = None) -> Iterator[Path]:
    """What `check PATH…` reads: each folder walked, each file named as it is (whatever its
    extension: the caller decides whether it can read it) when `included` accepts it.

    A path that does not exist is passed to `missing` and skipped."""
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            if included(path):
                yield path
        elif path.is_dir():
            yield from walk_documents(path, included)
        elif missing is not None:
            missing(raw)
