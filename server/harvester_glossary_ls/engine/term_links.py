"""Where a page links a glossary entry (`unlinked-term`): the link the site would use, and
whether the page already has one.

What the link is depends on the site the page belongs to:

- **Docusaurus** (a version tree of a `DocsSite`): a relative link from the page's file to the
  glossary page's file and the entry's heading id, `[guest cluster](../getting-started/
  glossary.md#guest-cluster)`, when the entry comes from a page in the page's own tree;
  Docusaurus turns file links into URLs and keeps the anchor (ARCHITECTURE.md §facts-2).
- **Hugo** with a glossary shortcode (`layouts/shortcodes/glossary_tooltip.html`, as the
  Kubernetes website has): `{{< glossary_tooltip text="…" term_id="…" >}}` for an entry read from
  one of the site's per-term pages (`term_id`: the page's front-matter `id`, else its name).
- **Hugo** without one: a link relative to the page's published URL (Hugo's default URLs:
  `content/docs/1.13.0/a/b.md` is `/docs/1.13.0/a/b/`) to the entry's published URL,
  `../../terminology/#anchor`, when both are on the site's host.
- Anywhere else: the entry's URL as it is (absolute).

An entry with neither a URL nor a shortcode id has nowhere to link: no finding. A link already on
the page counts when its destination (inline, reference definition or HTML `href`) resolves to
the entry's file and anchor or to its URL, or a glossary shortcode names its id.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from harvester_glossary_ls.engine.docs_site import (
    BASE_URL,
    DOCUSAURUS,
    HUGO_CONFIGS,
    DocsSite,
    DocsTree,
    hugo_setting,
    hugo_url,
    is_doc_link,
    is_external,
    resolve_href,
)
from harvester_glossary_ls.engine.files import UnreadableFile, read_text_file
from harvester_glossary_ls.engine.frontmatter import read_front_matter
from harvester_glossary_ls.engine.markdown_links import inline_links
from harvester_glossary_ls.engine.models import Entry

TOOLTIP_SHORTCODE = "layouts/shortcodes/glossary_tooltip.html"
_TOOLTIP_ID = re.compile(r"\{\{[<%]\s*glossary_tooltip\b[^}]*?\bterm_id\s*=\s*[\"']([^\"']+)[\"']")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)>?", re.MULTILINE)
_REFERENCE_LINK = re.compile(r"(?<![\]\\])\[([^\[\]\n]+)\]\[[^\[\]\n]*\]")
_HTML_LINK = re.compile(r"<a\s[^>]*?\bhref\s*=\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a\s*>",
                        re.IGNORECASE)
_TERM_ID = re.compile(r"[\w.-]+")


@dataclass(frozen=True, slots=True)
class HugoRoot:
    """A Hugo site around a page: its root, `baseURL`, default language, glossary shortcode."""

    root: Path
    base_url: str
    default_lang: str
    tooltip: bool


@lru_cache(maxsize=512)
def hugo_root(folder: Path) -> HugoRoot | None:
    """The nearest Hugo site (a config file beside `content/`) at or above `folder`."""
    for current in (folder, *folder.parents):
        config = next((current / name for name in HUGO_CONFIGS if (current / name).is_file()),
                      None)
        if config is None or not (current / "content").is_dir():
            continue
        try:
            text = read_text_file(config)
        except UnreadableFile:
            text = ""
        return HugoRoot(current, hugo_setting(text, "baseURL"),
                        hugo_setting(text, "defaultContentLanguage") or "en",
                        (current / TOOLTIP_SHORTCODE).is_file())
    return None


def _fragment(url: str) -> str:
    return url.partition("#")[2]


def _without_fragment(url: str) -> str:
    return url.partition("#")[0].partition("?")[0].rstrip("/")


def relative_url(from_url: str, to_url: str) -> str:
    """`to_url` relative to the page at `from_url` when both are on one host, else as is."""
    page, target = urlsplit(from_url), urlsplit(to_url)
    if (page.scheme, page.netloc) != (target.scheme, target.netloc) or not target.path:
        return to_url
    folder = page.path if page.path.endswith("/") else posixpath.dirname(page.path) + "/"
    relative = posixpath.relpath(target.path, folder)
    if target.path.endswith("/") and not relative.endswith("/"):
        relative = "./" if relative == "." else relative + "/"
    return relative + (f"#{target.fragment}" if target.fragment else "")


@dataclass(frozen=True, slots=True)
class _PageLinks:
    """The links on one page: link-text spans and destinations (for `links`)."""

    owner: TermLinks
    text_spans: tuple[tuple[int, int], ...]
    destinations: tuple[str, ...]
    tooltip_ids: frozenset[str]

    def in_link_text(self, start: int, end: int) -> bool:
        return any(lo <= start and end <= hi for lo, hi in self.text_spans)

    def links(self, entry: Entry) -> bool:
        term_id = self.owner.term_id(entry)
        if term_id is not None and term_id in self.tooltip_ids:
            return True
        return any(self.owner.leads_to(entry, dest) for dest in self.destinations)


def _page_links(owner: TermLinks, text: str) -> _PageLinks:
    spans: list[tuple[int, int]] = []
    destinations: list[str] = []
    for link in inline_links(text):
        spans.append((link.close - len(link.text), link.close))
        if not link.image:
            destinations.append(link.destination)
    spans += [(m.start(1), m.end(1)) for m in _REFERENCE_LINK.finditer(text)]
    destinations += [m.group(1) for m in _REFERENCE_DEFINITION.finditer(text)]
    for match in _HTML_LINK.finditer(text):
        spans.append((match.start(2), match.end(2)))
        destinations.append(match.group(1))
    tooltips = frozenset(m.group(1) for m in _TOOLTIP_ID.finditer(text))
    return _PageLinks(owner, tuple(spans), tuple(destinations), tooltips)


@dataclass(frozen=True)
class TermLinks:
    """How the document at `path` links glossary entries (a `rules.TermLinker`).

    `site` and `tree` are the docs site and version tree holding the document, if any."""

    path: Path
    site: DocsSite | None = None
    tree: DocsTree | None = None
    _ids: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)
    _url: list[str] = field(default_factory=list, compare=False, repr=False)
    """The document's published URL once computed (a one-item cache)."""

    # --- where the document is -----------------------------------------------------------------

    def _docusaurus_tree(self) -> DocsTree | None:
        tree = self.tree
        return tree if tree is not None and tree.kind == DOCUSAURUS else None

    def _hugo(self) -> HugoRoot | None:
        if self._docusaurus_tree() is not None:
            return None
        return hugo_root(self.path.parent)

    def page_url(self) -> str:
        """The document's published URL ("" when unknown)."""
        if not self._url:
            self._url.append(self._page_url())
        return self._url[0]

    def _page_url(self) -> str:
        tree = self._docusaurus_tree()
        if tree is not None:
            return resolve_href("", base_url=BASE_URL, version=tree.url_segment,
                                page_path=self._in_tree(tree), tree_root=tree.root)
        hugo = self._hugo()
        if hugo is None or not hugo.base_url:
            return ""
        relative = Path(os.path.relpath(self.path, hugo.root / "content")).as_posix()
        lang, _, rest = relative.partition("/")
        if lang == hugo.default_lang and rest:
            relative = rest
        return hugo_url(hugo.base_url, relative)

    def _in_tree(self, tree: DocsTree) -> str:
        return Path(os.path.relpath(self.path, tree.root)).as_posix()

    # --- the link ------------------------------------------------------------------------------

    def _source(self, entry: Entry) -> Path | None:
        return Path(os.path.abspath(entry.source.path)) if entry.source is not None else None

    def term_id(self, entry: Entry) -> str | None:
        """The glossary shortcode's `term_id` of an entry read from one of the Hugo site's
        per-term pages (a `glossary` folder); None elsewhere or without the shortcode."""
        source = self._source(entry)
        hugo = self._hugo()
        if source is None or hugo is None or not hugo.tooltip or source.parent.name != "glossary":
            return None
        key = str(source)
        if key not in self._ids:
            if hugo.root not in source.parents:
                self._ids[key] = None
            else:
                written = read_front_matter(source).get("id")
                term_id = written.strip() if isinstance(written, str) else source.stem
                self._ids[key] = term_id if _TERM_ID.fullmatch(term_id) else None
        return self._ids[key]

    def target(self, entry: Entry) -> str | None:
        """The link destination for `entry` from this document; None when there is none."""
        anchor = _fragment(entry.url)
        source = self._source(entry)
        tree = self._docusaurus_tree()
        if tree is not None and anchor and source is not None and tree.root in source.parents:
            relative = Path(os.path.relpath(source, self.path.parent)).as_posix()
            if not relative.startswith("../"):
                relative = "./" + relative  # a bare path is tried at the tree root first
            return f"{relative}#{anchor}"
        if not entry.url:
            return None
        hugo = self._hugo()
        if hugo is not None and hugo.base_url:
            return relative_url(self.page_url(), entry.url)
        return entry.url

    def link(self, entry: Entry, text: str) -> str | None:
        """`text` as a link to `entry` (`rules.TermLinker.link`)."""
        source = self._source(entry)
        if source is not None and source == Path(os.path.abspath(self.path)):
            return None  # the glossary page itself
        term_id = self.term_id(entry)
        if term_id is not None:
            if '"' in text:
                return None
            return f'{{{{< glossary_tooltip text="{text}" term_id="{term_id}" >}}}}'
        target = self.target(entry)
        if target is None or any(ch in target for ch in " \t\n()<>"):
            return None
        return f"[{text}]({target})"

    # --- links already on the page -------------------------------------------------------------

    def page(self, text: str) -> _PageLinks:
        return _page_links(self, text)

    def leads_to(self, entry: Entry, destination: str) -> bool:
        """Whether a link destination written on this page leads to `entry`'s anchor."""
        destination = destination.strip().strip("<>")
        path, _, anchor = destination.partition("#")
        wanted = _fragment(entry.url)
        if not anchor or not wanted or unquote(anchor) != wanted:
            return False
        if is_external(destination):
            return _without_fragment(destination) == _without_fragment(entry.url)
        source = self._source(entry)
        if path and is_doc_link(path.partition("?")[0]) and source is not None:
            tree = self._docusaurus_tree()
            folder = tree.root if tree is not None and path.startswith("/") else self.path.parent
            named = Path(os.path.normpath(folder / unquote(path.lstrip("/"))))
            if named == source:
                return True
        page_url = self.page_url()
        if not page_url:
            return False
        return _without_fragment(urljoin(page_url, destination)) == _without_fragment(entry.url)
