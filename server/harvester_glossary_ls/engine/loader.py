"""Glossary sources in, one merged Glossary out: the shipped default, docs trees, extra files.

Merging is by term (case-insensitive, aliases included): the first source that defines a term
owns its definition; later sources add aliases, deprecated forms and links. So the Harvester page
stays authoritative and the overlay or a project glossary only adds what the page does not say.

Every entry leaves here with the display name of its glossary (`Entry.glossary`, shown in
hovers and workspace symbols) and the casing its format implies unless the config overrides it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin

from harvester_glossary_ls.engine.docs_site import (
    BASE_URL,
    HARVESTER,
    DocsTree,
    is_external,
    resolve_href,
)
from harvester_glossary_ls.engine.files import FileStamp, UnreadableFile, read_text_file, stamp_of
from harvester_glossary_ls.engine.frontmatter import parse_front_matter
from harvester_glossary_ls.engine.markdown_links import resolve_markdown_links
from harvester_glossary_ls.engine.models import (
    SHIPPED_VERSION,
    Deprecation,
    Entry,
    Glossary,
    Link,
    ParseResult,
    Problem,
    Version,
    YamlRule,
    format_version,
)
from harvester_glossary_ls.engine.parsers.docusaurus import (
    looks_like_glossary_page,
    parse_docusaurus_page,
)
from harvester_glossary_ls.engine.parsers.heading_page import (
    GLOSSARY_TITLE,
    NO_TERM_HEADINGS,
    looks_like_heading_glossary,
    outline,
    parse_heading_page,
)
from harvester_glossary_ls.engine.parsers.hugo import parse_hugo_file, parse_hugo_folder
from harvester_glossary_ls.engine.parsers.yaml_glossary import parse_yaml_glossary
from harvester_glossary_ls.engine.shipped import embedded_dir
from harvester_glossary_ls.engine.yamlnodes import Mapping, YamlError, load_yaml

SHIPPED_PAGE = "harvester-v1.7.md"
OVERLAY = "harvester-overlay.yaml"
RESOLVED_LINKS = "resolved-links-v1.7.yaml"
PAGE_PATH = "getting-started/glossary.md"
HARVESTER_NAME = "Harvester glossary"
"""The display name of the shipped page, the overlay and a Harvester docs tree's page."""
_TERM_PAGE_KEYS = ("id", "short_description", "full_link", "aka")


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """A glossary file's text, or a Problem saying why it cannot be read."""
    try:
        return read_text_file(path), None
    except UnreadableFile as error:
        return None, Problem(str(path), f"cannot read glossary: {error.reason}", error.line)


def resolve_entry_links(result: ParseResult, resolve: Callable[[str], str]) -> ParseResult:
    entries = []
    for entry in result.entries:
        definition, links = resolve_markdown_links(entry.definition, resolve)
        entries.append(replace(entry, definition=definition, links=entry.links + links))
    return replace(result, entries=tuple(entries))


def load_page(path: Path, version: Version, tree: DocsTree | None = None) -> ParseResult:
    """A Harvester glossary page with its links resolved to published URLs."""
    text, problem = read_text(path)
    if text is None:
        return ParseResult(problems=(problem,) if problem else ())
    page_path = PAGE_PATH
    segment = format_version(version)
    if tree is not None:
        page_path = path.relative_to(tree.root).as_posix()
        segment = tree.url_segment
    url = f"{BASE_URL}/{segment}/{page_path.removesuffix('.md')}"
    result = parse_docusaurus_page(text, str(path), version=version, page_url=url)
    shipped = _shipped_links() if tree is None else {}

    def resolve(href: str) -> str:
        if href in shipped:
            return shipped[href]
        return resolve_href(href, base_url=BASE_URL, version=segment, page_path=page_path,
                            tree_root=tree.root if tree else None)

    return named(resolve_entry_links(result, resolve), HARVESTER_NAME)


@lru_cache(maxsize=1)
def _shipped_links() -> dict[str, str]:
    text, _ = read_text(embedded_dir() / RESOLVED_LINKS)
    if text is None:
        return {}
    try:
        data = load_yaml(text)
    except YamlError:
        return {}
    links = data.get("links") if isinstance(data, Mapping) else None
    if not isinstance(links, Mapping):
        return {}
    return {k: str(v) for k, v, _ in links.items}


def named(result: ParseResult, name: str, casing: str = "") -> ParseResult:
    """The result with its display name on every entry and, when given, one casing for all."""
    entries = tuple(replace(e, glossary=name, casing=casing or e.casing) for e in result.entries)
    return replace(result, entries=entries, name=name)


def load_source(path: Path, *, name: str = "", casing: str = "",
                language: str = "") -> ParseResult:
    """Any supported glossary source, chosen by what the path is; never raises.

    `name` (the config's `name:`) overrides the source's own display name (its page title,
    YAML `name:`, a TBX header's title, a term folder's index title; else the file or folder
    name). `casing` overrides the format's default for every entry; in a YAML glossary an
    entry's own `casing:` still wins. `language` (the config's `tbxLanguage`) is the language
    read from a TBX file (default English).
    """
    result = _parse_source(path, casing, language)
    fallback = path.name if path.is_dir() else path.stem
    return named(result, name or result.name or fallback,
                 "" if path.suffix.lower() in (".yaml", ".yml") else casing)


def _parse_source(path: Path, casing: str, language: str = "") -> ParseResult:
    if path.is_dir():
        return parse_hugo_folder(path)
    if path.suffix.lower() in (".tbx", ".xml"):  # bytes: the XML declares its own encoding
        from harvester_glossary_ls.engine.parsers.tbx import DEFAULT_LANGUAGE, parse_tbx_file

        return parse_tbx_file(path, language or DEFAULT_LANGUAGE)
    text, problem = read_text(path)
    if text is None:
        return ParseResult(problems=(problem,) if problem else ())
    if path.suffix.lower() in (".yaml", ".yml"):
        return parse_yaml_glossary(text, str(path), casing=casing or "strict")
    if path.suffix.lower() in (".md", ".markdown"):
        return _parse_markdown(path, text)
    if path.suffix.lower() == ".csv":
        from harvester_glossary_ls.engine.parsers.csv_glossary import parse_csv_glossary

        return parse_csv_glossary(text, str(path))
    return ParseResult(problems=(Problem(str(path), "unknown glossary format (use a .md page, a "
                                         ".yaml glossary, a .tbx or .csv file or a folder of "
                                         "term pages)"),))


def _parse_markdown(path: Path, text: str) -> ParseResult:
    """A Markdown glossary in the first shape it reads as; one problem when it reads as none."""
    if looks_like_glossary_page(text):
        return parse_docusaurus_page(text, str(path))
    if looks_like_heading_glossary(text):
        return parse_heading_page(text, str(path), resolve_links=_links_as_written).result
    if _is_term_page(text):
        return parse_hugo_file(path)
    return ParseResult(problems=(Problem(str(path), NO_TERM_HEADINGS),))


def _links_as_written(definition: str) -> tuple[str, tuple[Link, ...]]:
    """A page named in the config has no known published URL: its links are listed as written."""
    return resolve_markdown_links(definition, lambda href: href)


def _is_term_page(text: str) -> bool:
    """One term per page (Kubernetes/Hugo): a front-matter `title` that is not a glossary's
    name, with a term-page key (`short_description`, `aka`, ...) or no headings below it.

    An ordinary docs page ("Install", with `## Prerequisites`) is no term page, so its title
    never silently becomes a term.
    """
    data = parse_front_matter(text)
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        return False
    if any(key in data for key in _TERM_PAGE_KEYS):
        return True
    return not GLOSSARY_TITLE.search(title) and outline(text).level is None


def _merge_entry(base: Entry, extra: Entry) -> Entry:
    known = {n.casefold() for n in base.names}
    aliases = base.aliases + tuple(a for a in extra.names if a.casefold() not in known)
    forms = {d.form.casefold() for d in base.deprecations}
    return replace(
        base,
        aliases=aliases,
        definition=base.definition or extra.definition,
        links=base.links + tuple(link for link in extra.links if link not in base.links),
        deprecations=base.deprecations + tuple(
            d for d in extra.deprecations if d.form.casefold() not in forms),
        url=base.url or extra.url,
        casing="ignore" if extra.casing == "ignore" else base.casing,
        display_names=base.display_names + tuple(
            n for n in extra.display_names if n in aliases and n not in base.names),
    )


def _only_modifies(entry: Entry) -> bool:
    """A `casing: ignore` line and nothing else: it adjusts a term another source defines."""
    return entry.casing == "ignore" and not (
        entry.definition or entry.aliases or entry.deprecations or entry.links)


def merge(results: Iterable[ParseResult], version: Version | None = None) -> Glossary:
    """Merge parse results in priority order (the first source owns a term's definition)."""
    entries: list[Entry] = []
    by_name: dict[str, int] = {}
    rules: list[YamlRule] = []
    sources: list[str] = []
    page = ""
    for result in results:
        page = page or result.page_url
        version = version or result.version
        rules.extend(result.yaml_rules)
        for entry in result.entries:
            if entry.source is not None and entry.source.path not in sources:
                sources.append(entry.source.path)
            slot = next((by_name[n.casefold()] for n in entry.names
                         if n.casefold() in by_name), None)
            if slot is None:
                if _only_modifies(entry):
                    continue  # e.g. `casing: ignore` for a term this page does not have
                slot = len(entries)
                entries.append(entry)
            else:
                entries[slot] = _merge_entry(entries[slot], entry)
            for name in entries[slot].names:
                by_name.setdefault(name.casefold(), slot)
    return Glossary(tuple(entries), tuple(rules), version, page, tuple(sources))


def load_overlay() -> ParseResult:
    path = embedded_dir() / OVERLAY
    return _overlay(path, stamp_of(str(path)))


@lru_cache(maxsize=2)
def _overlay(path: Path, _stamp: FileStamp) -> ParseResult:
    """Parsed once per process and file state: every version tree of a site merges it."""
    text, problem = read_text(path)
    if text is None:
        return ParseResult(problems=(problem,) if problem else ())
    return for_product(named(parse_yaml_glossary(text, str(path)), HARVESTER_NAME), HARVESTER)


@lru_cache(maxsize=2)
def _shipped_page(stamp: FileStamp) -> ParseResult:
    """The shipped page, parsed once per process and file state (every tree of another
    product's site, and every file outside a docs tree, merges it)."""
    return load_page(Path(stamp[0]), SHIPPED_VERSION)


def for_product(result: ParseResult, product: str) -> ParseResult:
    """The result with `product` on every deprecation that names none (entries and YAML rules):
    its since-version then counts only in that product's docs versions."""
    def stamp(dep: Deprecation) -> Deprecation:
        return dep if dep.product else replace(dep, product=product)

    entries = tuple(replace(e, deprecations=tuple(stamp(d) for d in e.deprecations))
                    for e in result.entries)
    rules = tuple(replace(r, deprecation=stamp(r.deprecation)) if r.deprecation else r
                  for r in result.yaml_rules)
    return replace(result, entries=entries, yaml_rules=rules)


def as_guest(result: ParseResult) -> ParseResult:
    """A glossary used on another product's pages: its entries still hover, complete and flag
    deprecations and near-misses, but it does not police case there (`casing: ignore`): that
    product writes the same words its own way (Longhorn's "Storage Network" setting, where
    Harvester's page writes "storage network")."""
    return replace(result, entries=tuple(replace(e, casing="ignore") for e in result.entries))


def load_tree_page(tree: DocsTree) -> ParseResult:
    """The glossary page of another product's version tree (a Hugo site such as Longhorn's).

    A heading-per-term page is parsed with the page's published URL (from the site's `baseURL`)
    so each entry links to its heading and relative links resolve like a browser would; a
    `glossary/_index.md` among term pages stands for its folder; any other page is read as
    `load_source` reads it. Deprecations it declares count in the tree's product's versions.
    """
    page = tree.glossary_page
    if page is None:
        return ParseResult()
    if page.name in ("_index.md", "index.md") and any(
            p.suffix == ".md" and p != page for p in page.parent.iterdir()):
        return for_product(load_source(page.parent), tree.product)
    text, problem = read_text(page)
    if text is None:
        return ParseResult(problems=(problem,) if problem else ())
    if looks_like_glossary_page(text):
        return for_product(load_source(page), tree.product)

    def resolve(href: str) -> str:
        return urljoin(tree.page_url, href) if tree.page_url and not is_external(href) else href

    result = parse_heading_page(text, str(page), version=tree.version, page_url=tree.page_url,
                                resolve_links=lambda md: resolve_markdown_links(md, resolve))
    return for_product(named(result.result, result.result.name or page.stem), tree.product)


def harvester_glossary(tree: DocsTree | None = None, extra: Iterable[ParseResult] = (), *,
                       default: bool = True) -> tuple[Glossary, list[Problem]]:
    """The Harvester glossary of a docs tree (or the shipped v1.7 page) plus overlay and extras.

    `default=False` (`defaultGlossary: false`) leaves out every Harvester source, the shipped
    page, the overlay and a Harvester docs tree's own page alike: only the extras remain.
    Another product's tree (a Longhorn version) puts its own page first, whatever `default` is.
    """
    own: list[ParseResult] = []
    if tree is not None and not tree.harvester:
        own, tree = [load_tree_page(tree)], None
    harvester: list[ParseResult] = []
    if tree is not None and (page_path := tree.glossary_page) is not None:
        version = tree.version
        if default:
            harvester = [load_page(page_path, tree.version, tree)]
    else:
        version = SHIPPED_VERSION
        if default:
            harvester = [_shipped_page(stamp_of(str(embedded_dir() / SHIPPED_PAGE)))]
    if default:
        harvester.append(load_overlay())
    if own:  # Harvester's spellings are display titles on another product's pages
        harvester = [as_guest(part) for part in harvester]
    parts = [*own, *harvester, *extra]
    problems = [p for part in parts for p in part.problems]
    return merge(parts, own[0].version or version if own else version), problems

