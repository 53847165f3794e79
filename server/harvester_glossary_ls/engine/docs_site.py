"""What a versioned docs checkout is made of: version trees, their glossary pages and product,
and what Docusaurus 2 does with doc ids, slugs, hrefs and anchors.

Two site generators are known. **Docusaurus** (harvester/docs, a `docusaurus.config.js` at the
root): `docs/` is the development version (its URL segment comes from the config's `current.path`),
`versioned_docs/version-vX.Y/` are the releases, and `i18n/<locale>/docusaurus-plugin-content-docs/`
holds translations of them (`current/` and `version-vX.Y/`). **Hugo** (longhorn/website: a
`hugo.toml`/`config.toml`/`.yaml` beside a `content/` folder): every folder under
`content/<section>/` (or `content/<lang>/<section>/`) whose name parses as a version (`1.12.0`,
`v1.7`) is a version tree. Each tree's glossary page is looked up at its root by name (or at the
configured `glossaryPage`); a translation without one uses its original's page. A site has a
*product* (its config's `title`, case-folded: "harvester", "longhorn") so a glossary's versioned
deprecations only apply to the product they were written for.

Glossary definitions link to other doc pages by file (`../host/host.md#role-management`), but a
hover must show the URL the reader can open (`https://docs.harvesterhci.io/v1.7/host/#role-...`).
A plain path swap is wrong for the ~20% of pages whose front matter sets `id:` (e.g.
`networking/clusternetwork.md` is published as `networking/index`), so the target's front matter
is read when a docs tree is available and the slug rules are applied by file name otherwise.
Anchors are github-slugger heading ids, as Docusaurus generates them.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin

from harvester_glossary_ls.engine.files import UnreadableFile, read_text_file
from harvester_glossary_ls.engine.frontmatter import read_front_matter
from harvester_glossary_ls.engine.models import Version, format_version, parse_version

BASE_URL = "https://docs.harvesterhci.io"
HARVESTER = "harvester"
"""The product of the shipped glossary and of the harvester/docs checkout."""
DOCUSAURUS = "docusaurus"
HUGO = "hugo"
GLOSSARY_PAGES = ("getting-started/glossary.md", "glossary.md")
HUGO_GLOSSARY_PAGES = ("glossary.md", "terminology.md", "glossary/_index.md",
                       "terminology/_index.md", "glossary/index.md", "terminology/index.md")
HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "config.toml", "config.yaml", "config.yml")
_I18N_DOCS = "docusaurus-plugin-content-docs"
_CURRENT_PATH = re.compile(r"current\s*:\s*\{[^}]*?path\s*:\s*['\"]([^'\"]+)['\"]", re.DOTALL)
_JS_TITLE = re.compile(r"^\s{0,4}title\s*:\s*['\"`]([^'\"`\n]+)['\"`]", re.MULTILINE)
_JS_ORG = re.compile(r"^\s{0,4}organizationName\s*:\s*['\"`]([^'\"`\n]+)['\"`]", re.MULTILINE)
_TOML_TABLE = re.compile(r"^\s*\[", re.MULTILINE)
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_MD_SUFFIXES = (".md", ".mdx")
_CATEGORY_INDEX_NAMES = ("index", "readme")


# --- version trees ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocsTree:
    """One version of the docs: a folder, its version, and the glossary page found at its root.

    `url_segment` is the version's URL path segment (Docusaurus, locale-prefixed for a
    translation); `page_url` the published URL of a Hugo tree's glossary page when the site
    config gives `baseURL`. `original` is the tree a translation translates.
    """

    root: Path
    version: Version
    url_segment: str
    product: str = ""
    page: Path | None = None
    kind: str = DOCUSAURUS
    page_url: str = ""
    original: DocsTree | None = None

    @property
    def glossary_page(self) -> Path | None:
        return self.page

    @property
    def harvester(self) -> bool:
        """Harvester's own docs: a Docusaurus tree of product "harvester" (or of no known product,
        as every Docusaurus checkout was taken to be). Its page replaces the shipped one."""
        return self.kind == DOCUSAURUS and self.product in ("", HARVESTER)

    @property
    def glossary_tree(self) -> DocsTree | None:
        """The tree whose glossary page applies here: this one, else (a translation without a
        page of its own) its original's; None when neither has one."""
        if self.page is not None:
            return self
        if self.original is not None and self.original.page is not None:
            return self.original
        return None


@dataclass(frozen=True, slots=True)
class DocsSite:
    root: Path
    trees: tuple[DocsTree, ...]
    product: str = ""
    kind: str = DOCUSAURUS
    _prefixes: tuple[tuple[str, DocsTree], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        # longest root first, so a nested tree wins; one string test per tree and lookup
        by_length = sorted(self.trees, key=lambda t: -len(str(t.root)))
        object.__setattr__(self, "_prefixes",
                           tuple((os.path.join(str(t.root), ""), t) for t in by_length))

    def tree_for(self, path: Path) -> DocsTree | None:
        """The tree holding `path` (a file or folder), by string prefix: no Path.parents walk."""
        text = os.path.join(str(path), "")
        for prefix, tree in self._prefixes:
            if text.startswith(prefix):
                return tree
        return None

    def tree_of_version(self, version: Version) -> DocsTree | None:
        """The original (untranslated) tree of `version`, else any tree of it."""
        trees = [t for t in self.trees if t.version == version]
        return next((t for t in trees if t.original is None), trees[0] if trees else None)


def _read_or_empty(path: Path) -> str:
    try:
        return read_text_file(path)
    except UnreadableFile:
        return ""


def _page_names(configured: str | None, defaults: tuple[str, ...]) -> tuple[str, ...]:
    """The configured page first (`glossaryPage`), then the names looked for by default."""
    if not configured:
        return defaults
    clean = posixpath.normpath(configured.replace("\\", "/").lstrip("/"))
    return (clean, *defaults) if not clean.startswith("..") else defaults


def _find_page(root: Path, names: tuple[str, ...]) -> Path | None:
    for relative in names:
        candidate = root / relative
        if candidate.is_file():
            return candidate
    return None


def _product(title: str) -> str:
    """A site's product identity: its title, case-folded ("Longhorn" -> "longhorn")."""
    return " ".join(title.split()).casefold()


# --- Docusaurus ---------------------------------------------------------------------------------


def _dev_version(config: str, released: list[Version]) -> Version | None:
    match = _CURRENT_PATH.search(config)
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


def _docusaurus_product(config: str) -> str:
    """The top-level `title:` of docusaurus.config.js ("Harvester"), else `organizationName`."""
    match = _JS_TITLE.search(config) or _JS_ORG.search(config)
    return _product(match.group(1)) if match else ""


def _dirs(folder: Path) -> list[Path]:
    try:
        return sorted(child for child in folder.iterdir() if child.is_dir())
    except OSError:
        return []


def _released_version(name: str) -> Version | None:
    """`version-v1.6` -> (1, 6); None for any other folder name."""
    return parse_version(name[len("version-"):]) if name.startswith("version-") else None


def _translations(root: Path, originals: dict[str, DocsTree], dev: Version | None,
                  names: tuple[str, ...]) -> list[DocsTree]:
    """`i18n/<locale>/docusaurus-plugin-content-docs/{current,version-vX.Y}`: a translation
    has its original's version; its URL segment is prefixed with the locale."""
    trees = []
    for locale in _dirs(root / "i18n"):
        for child in _dirs(locale / _I18N_DOCS):
            original = originals.get(child.name)
            version = dev if child.name == "current" else _released_version(child.name)
            if version is None:
                continue
            segment = original.url_segment if original else format_version(version)
            trees.append(DocsTree(child, version, f"{locale.name}/{segment}",
                                  original.product if original else "",
                                  _find_page(child, names), DOCUSAURUS, "", original))
    return trees


def _docusaurus_site(root: Path, glossary_page: str | None) -> DocsSite | None:
    config = _read_or_empty(root / "docusaurus.config.js")
    product = _docusaurus_product(config)
    names = _page_names(glossary_page, GLOSSARY_PAGES)
    originals: dict[str, DocsTree] = {}
    released: list[Version] = []
    for child in _dirs(root / "versioned_docs"):
        segment = child.name.removeprefix("version-")
        if (version := _released_version(child.name)) is not None:
            released.append(version)
            originals[child.name] = DocsTree(child, version, segment, product,
                                             _find_page(child, names))
    released += _listed_versions(root)
    dev = _dev_version(config, released)
    if (root / "docs").is_dir() and dev is not None:
        originals["current"] = DocsTree(root / "docs", dev, format_version(dev), product,
                                        _find_page(root / "docs", names))
    trees = [*originals.values(), *_translations(root, originals, dev, names)]
    return DocsSite(root, tuple(trees), product, DOCUSAURUS) if trees else None


# --- Hugo ---------------------------------------------------------------------------------------


def hugo_setting(config: str, key: str) -> str:
    """A top-level string setting of a Hugo config (TOML before its first table, or YAML)."""
    table = _TOML_TABLE.search(config)
    head = config[: table.start()] if table else config
    match = re.search(rf"^{re.escape(key)}\s*[=:]\s*(['\"]?)([^'\"\n#]*)\1[ \t]*(?:#.*)?$", head,
                      re.MULTILINE | re.IGNORECASE)
    return match.group(2).strip() if match else ""


def hugo_url(base_url: str, content_relative: str) -> str:
    """The published URL of a content page with Hugo's default rules: the path under `content/`
    lower-cased, without `.md`, `_index`/`index` standing for its folder, ending in a slash."""
    path = posixpath.splitext(content_relative)[0]
    head, _, name = path.rpartition("/")
    if name in ("_index", "index"):
        path = head
    path = path.strip("/").lower()
    return f"{base_url.rstrip('/')}/{path}/" if path else f"{base_url.rstrip('/')}/"


def _version_dirs(content: Path) -> list[tuple[Path, str, str]]:
    """(folder, language, section/name key) of every version-named folder at
    `content/<v>`, `content/<section>/<v>` or `content/<lang>/<section>/<v>`."""
    found = []
    for first in _dirs(content):
        if parse_version(first.name):
            found.append((first, "", first.name))
            continue
        for second in _dirs(first):
            if parse_version(second.name):
                found.append((second, "", f"{first.name}/{second.name}"))
                continue
            found += [(third, first.name, f"{second.name}/{third.name}")
                      for third in _dirs(second) if parse_version(third.name)]
    return found


def _hugo_page_url(base_url: str, content: Path, lang: str, default_lang: str,
                   page: Path | None) -> str:
    """A language folder's pages are published under `/<lang>/`, the default language's at the
    root (Hugo's default, `defaultContentLanguageInSubdir = false`)."""
    if page is None or not base_url:
        return ""
    relative = page.relative_to(content / lang if lang else content).as_posix()
    return hugo_url(base_url, f"{lang}/{relative}" if lang and lang != default_lang else relative)


def _hugo_site(root: Path, config: str, glossary_page: str | None) -> DocsSite | None:
    product = _product(hugo_setting(config, "title"))
    base_url = hugo_setting(config, "baseURL")
    default_lang = hugo_setting(config, "defaultContentLanguage") or "en"
    names = _page_names(glossary_page, HUGO_GLOSSARY_PAGES)
    content = root / "content"
    trees: list[DocsTree] = []
    originals: dict[str, DocsTree] = {}
    found = _version_dirs(content)
    # originals (no language folder, or the default language's) first, translations after
    found.sort(key=lambda item: item[1] not in ("", default_lang))
    for folder, lang, key in found:
        version = parse_version(folder.name)
        assert version is not None
        page = _find_page(folder, names)
        page_url = _hugo_page_url(base_url, content, lang, default_lang, page)
        original = originals.get(key) if lang not in ("", default_lang) else None
        tree = DocsTree(folder, version, folder.name, product, page, HUGO, page_url, original)
        originals.setdefault(key, tree)
        trees.append(tree)
    return DocsSite(root, tuple(trees), product, HUGO) if trees else None


def _hugo_config(folder: Path) -> Path | None:
    for name in HUGO_CONFIGS:
        if (folder / name).is_file():
            return folder / name
    return None


# --- finding the site ---------------------------------------------------------------------------


def site_marker(folder: Path) -> bool:
    """Whether `folder` is the root of a docs site (Docusaurus, or Hugo with a content/)."""
    if (folder / "docusaurus.config.js").is_file():
        return True
    return _hugo_config(folder) is not None and (folder / "content").is_dir()


@lru_cache(maxsize=64)
def load_docs_site(root: Path, glossary_page: str | None = None) -> DocsSite | None:
    """The site at `root` (a `site_marker` folder), or None if it has no version trees.

    `glossary_page` is the configured page path (relative to each tree root), tried first."""
    if (root / "docusaurus.config.js").is_file():
        return _docusaurus_site(root, glossary_page)
    config = _hugo_config(root)
    if config is not None and (root / "content").is_dir():
        return _hugo_site(root, _read_or_empty(config), glossary_page)
    return None


def find_docs_site(path: Path, glossary_page: str | None = None) -> DocsSite | None:
    """The docs checkout that contains `path`, if any (the nearest site root above it)."""
    for folder in [path, *path.parents] if path.is_dir() else path.parents:
        if site_marker(folder):
            return load_docs_site(folder, glossary_page)
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
