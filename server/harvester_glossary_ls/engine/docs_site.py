"""A Docusaurus docs checkout: its version trees and where each tree's glossary page is.

In harvester/docs, `docs/` is the development version (its URL segment comes from
`docusaurus.config.js`, `current.path`) and `versioned_docs/version-vX.Y/` are the releases.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from harvester_glossary_ls.engine.models import Version, format_version, parse_version

BASE_URL = "https://docs.harvesterhci.io"
GLOSSARY_PAGES = ("getting-started/glossary.md", "glossary.md")
_CURRENT_PATH = re.compile(r"current\s*:\s*\{[^}]*?path\s*:\s*['\"]([^'\"]+)['\"]", re.DOTALL)


@dataclass(frozen=True, slots=True)
class DocsTree:
    root: Path
    version: Version
    url_segment: str

    @property
    def glossary_page(self) -> Path | None:
        for relative in GLOSSARY_PAGES:
            candidate = self.root / relative
            if candidate.is_file():
                return candidate
        return None


@dataclass(frozen=True, slots=True)
class DocsSite:
    root: Path
    trees: tuple[DocsTree, ...]

    def tree_for(self, path: Path) -> DocsTree | None:
        for tree in self.trees:
            if path == tree.root or tree.root in path.parents:
                return tree
        return None

    def tree_of_version(self, version: Version) -> DocsTree | None:
        return next((t for t in self.trees if t.version == version), None)


def _dev_version(root: Path, released: list[Version]) -> Version | None:
    try:
        config = (root / "docusaurus.config.js").read_text(encoding="utf-8", errors="replace")
    except OSError:
        config = ""
    match = _CURRENT_PATH.search(config)
    if match and (parsed := parse_version(match.group(1))):
        return parsed
    if released:
        newest = max(released)
        return newest[0], newest[1] + 1
    return None


@lru_cache(maxsize=64)
def load_docs_site(root: Path) -> DocsSite | None:
    """The site at `root` (which holds docusaurus.config.js), or None if it has no doc trees."""
    trees: list[DocsTree] = []
    released: list[Version] = []
    versioned = root / "versioned_docs"
    if versioned.is_dir():
        for child in sorted(versioned.iterdir()):
            if child.is_dir() and child.name.startswith("version-"):
                version = parse_version(child.name[len("version-"):])
                if version is not None:
                    released.append(version)
                    trees.append(DocsTree(child, version, child.name[len("version-"):]))
    try:
        listed = json.loads((root / "versions.json").read_text(encoding="utf-8"))
        released += [v for item in listed if isinstance(item, str) and (v := parse_version(item))]
    except (OSError, ValueError):
        pass
    dev = _dev_version(root, released)
    if (root / "docs").is_dir() and dev is not None:
        trees.append(DocsTree(root / "docs", dev, format_version(dev)))
    return DocsSite(root, tuple(trees)) if trees else None


def find_docs_site(path: Path) -> DocsSite | None:
    """The docs checkout that contains `path`, if any."""
    for folder in [path, *path.parents] if path.is_dir() else path.parents:
        if (folder / "docusaurus.config.js").is_file():
            return load_docs_site(folder)
    return None
