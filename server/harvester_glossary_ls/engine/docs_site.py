"""What Docusaurus 2 does with a docs checkout: version trees, doc ids, slugs, hrefs, anchors.

In harvester/docs, `docs/` is the development version (its URL segment comes from
`docusaurus.config.js`, `current.path`) and `versioned_docs/version-vX.Y/` are the releases.

Glossary definitions link to other doc pages by file (`../host/host.md#role-management`), but a
hover must show the URL the reader can open (`https://docs.harvesterhci.io/v1.7/host/#role-...`).
A plain path swap is wrong for the ~20% of pages whose front matter sets `id:` (e.g.
`networking/clusternetwork.md` is published as `networking/index`), so the target's front matter
is read when a docs tree is available and the slug rules are applied by file name otherwise.
Anchors are github-slugger heading ids, as Docusaurus generates them.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin

from harvester_glossary_ls.engine.files import UnreadableFile, read_text_file
from harvester_glossary_ls.engine.frontmatter import read_front_matter
from harvester_glossary_ls.engine.models import Version, format_version, parse_version

BASE_URL = "https://docs.harvesterhci.io"
GLOSSARY_PAGES = ("getting-started/glossary.md", "glossary.md")
_CURRENT_PATH = re.compile(r"current\s*:\s*\{[^}]*?path\s*:\s*['\"]([^'\"]+)['\"]", re.DOTALL)
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_MD_SUFFIXES = (".md", ".mdx")
_CATEGORY_INDEX_NAMES = ("index", "readme")


# --- version trees ------------------------------------------------------------------------------


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


def _read_or_empty(path: Path) -> str:
    try:
        return read_text_file(path)
    except UnreadableFile:
        return ""


def _dev_version(root: Path, released: list[Version]) -> Version | None:
    match = _CURRENT_PATH.search(_read_or_empty(root / "docusaurus.config.js"))
    if match and (parsed := parse_version(match.group(1))):
        return parsed
    if released:
        newest = max(released)
        return newest[0], newest[1] + 1
    return None


def _listed_versions(root: Path) -> list[Version]:
    """The releases `versions.json` names (it may list versions without a tree)."""
    try:
        listed = json.loads(_read_or_empty(root / "versions.json") or "[]")
    except ValueError:
        return []
    if not isinstance(listed, list):
        return []
    return [v for item in listed if isinstance(item, str) and (v := parse_version(item))]


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
    released += _listed_versions(root)
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


# --- slugs --------------------------------------------------------------------------------------


def _strip_md_suffix(name: str) -> str:
    for suffix in _MD_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _text_value(value: object) -> str:
    return str(value).strip() if isinstance(value, (str, int, float)) else ""


def permalink(rel_path: str, front_matter: Mapping[str, object]) -> str:
    """URL path under the version for the doc at `rel_path` (relative to its tree root).

    Docusaurus 2 `getSlug`: an absolute `slug:` wins; a category index (file named index,
    README or like its folder) maps to `<dir>/`; otherwise `<dir>/` + (`id:` or the file stem).
    Returned without a leading slash: "host/host.md" -> "host/", root index -> "".
    """
    rel_path = rel_path.replace("\\", "/").lstrip("/")
    directory, _, file_name = rel_path.rpartition("/")
    stem = _strip_md_suffix(file_name)
    dir_slug = f"/{directory}/" if directory else "/"

    slug_text = _text_value(front_matter.get("slug"))
    if slug_text.startswith("/"):
        result = slug_text
    elif not slug_text and _is_category_index(stem, directory):
        result = dir_slug
    else:
        base = slug_text or _text_value(front_matter.get("id")) or stem
        result = posixpath.normpath(posixpath.join(dir_slug, base))
        if base.endswith("/") and not result.endswith("/"):
            result += "/"
    return result.lstrip("/")


def _is_category_index(stem: str, directory: str) -> bool:
    parent = directory.rpartition("/")[2]
    names = (*_CATEGORY_INDEX_NAMES, parent.lower()) if parent else _CATEGORY_INDEX_NAMES
    return stem.lower() in names


# --- hrefs --------------------------------------------------------------------------------------


def is_external(href: str) -> bool:
    """A URL with a scheme (`https:`, `mailto:`, `command:`) or protocol-relative (`//host`)."""
    return _SCHEME_RE.match(href) is not None or href.startswith("//")


def is_doc_link(path: str) -> bool:
    """A link to a doc file, which Docusaurus rewrites to the doc's URL."""
    return path.lower().endswith(_MD_SUFFIXES)


def _version_url(base_url: str, version: str) -> str:
    """`https://docs.harvesterhci.io/v1.7/`: always ends in a slash."""
    base = base_url.rstrip("/")
    return f"{base}/{version.strip('/')}/" if version.strip("/") else f"{base}/"


def _split_fragment(href: str) -> tuple[str, str]:
    """Split off `?query#anchor` (kept verbatim) from the path part of an href."""
    cut = len(href)
    for mark in ("?", "#"):
        position = href.find(mark)
        if position != -1:
            cut = min(cut, position)
    return href[:cut], href[cut:]


def _target_front_matter(tree_root: Path | None, rel_path: str) -> Mapping[str, object]:
    if tree_root is None:
        return {}
    return read_front_matter(tree_root / rel_path)


def doc_target(path: str, page_path: str, tree_root: Path | None) -> tuple[str, bool]:
    """The file a `.md` link names, relative to the tree root, as Docusaurus finds it, and
    whether the link climbs above the root (then the returned path is clamped at the root).

    `./x.md` and `../x.md` are relative to the page's file, `/x.md` to the tree root, and a bare
    `x/y.md` is tried at the tree root first, then beside the page.
    """
    decoded = unquote(path)
    page_dir = posixpath.dirname(page_path.replace("\\", "/"))
    if decoded.startswith("/"):
        joined = decoded
    elif decoded.startswith(("./", "../")):
        joined = posixpath.join(page_dir, decoded)
    else:
        at_root = posixpath.normpath("/" + decoded).lstrip("/")  # not above the root either
        if tree_root is not None and (tree_root / at_root).is_file():
            return at_root, False
        joined = posixpath.join(page_dir, decoded)
    climbs = posixpath.normpath(joined.lstrip("/") or ".").startswith("..")
    return posixpath.normpath("/" + joined).lstrip("/"), climbs  # ".." stops at the root


def resolve_href(
    href: str, *, base_url: str, version: str, page_path: str, tree_root: Path | None
) -> str:
    """The published URL of `href` written in the page at `page_path` of docs `version`.

    Absolute URLs pass through; `.md` links go through the slug rules (reading the target's front
    matter under `tree_root` when it exists); other relative links, including `#anchor`, resolve
    like a browser against the page's own URL, as Docusaurus leaves them alone.
    """
    href = href.strip()
    if is_external(href):
        return href
    root_url = _version_url(base_url, version)
    path, fragment = _split_fragment(href)
    if is_doc_link(path):
        target, _ = doc_target(path, page_path, tree_root)
        return root_url + permalink(target, _target_front_matter(tree_root, target)) + fragment
    if href.startswith("/"):
        return base_url.rstrip("/") + href
    page = page_path.replace("\\", "/").lstrip("/")
    page_url = root_url + permalink(page, _target_front_matter(tree_root, page))
    return urljoin(page_url, href)


# --- anchors ------------------------------------------------------------------------------------

_SLUG_STRIP = re.compile(r"[^\w\- ]", re.UNICODE)
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_CUSTOM_ID = re.compile(r"\{#([\w-]+)\}\s*$")


def github_slug(heading: str) -> str:
    """`guest cluster / guest Kubernetes cluster` -> `guest-cluster--guest-kubernetes-cluster`."""
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    text = text.replace("`", "")
    return _SLUG_STRIP.sub("", text).replace(" ", "-")


@lru_cache(maxsize=256)
def heading_ids(path: Path, mtime: float) -> frozenset[str]:
    """Anchors of a Markdown file's headings, numbered on repeats as github-slugger does."""
    seen: dict[str, int] = {}
    ids = set()
    for match in _HEADING.finditer(_read_or_empty(path)):
        heading = match.group(1)
        custom = _CUSTOM_ID.search(heading)
        if custom:
            ids.add(custom.group(1))
            continue
        slug = github_slug(heading.replace("**", "").replace("__", ""))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        ids.add(slug if count == 0 else f"{slug}-{count}")
    return frozenset(ids)
