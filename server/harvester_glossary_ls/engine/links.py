"""Docusaurus 2 relative links to published URLs (harvester-terminology.md §2).

Glossary definitions link to other doc pages by file (`../host/host.md#role-management`), but a
hover must show the URL the reader can open (`https://docs.harvesterhci.io/v1.7/host/#role-...`).
A plain path swap is wrong for the ~20% of pages whose front matter sets `id:` (e.g.
`networking/clusternetwork.md` is published as `networking/index`), so the target's front matter
is read when a docs tree is available and the slug rules are applied by file name otherwise.
"""

from __future__ import annotations

import bisect
import functools
import posixpath
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import unquote, urljoin

import yaml

from harvester_glossary_ls.engine.models import Link

_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_MD_SUFFIXES = (".md", ".mdx")
_CATEGORY_INDEX_NAMES = ("index", "readme")
_OFFSET_MAX = 2**62


# --- front matter -------------------------------------------------------------------------------


def parse_front_matter(text: str) -> dict[str, object]:
    """The YAML front matter of Markdown text as a dict; {} when absent or broken (never raises)."""
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return {}
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            try:
                data = yaml.safe_load("\n".join(lines[1:index]))
            except (yaml.YAMLError, RecursionError):  # RecursionError: nested too deeply
                return {}
            if not isinstance(data, dict):
                return {}
            return {str(key): value for key, value in data.items()}
    return {}


@functools.lru_cache(maxsize=1024)
def _read_front_matter_cached(path: Path) -> tuple[tuple[str, object], ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ()
    return tuple(parse_front_matter(text).items())


def read_front_matter(path: Path) -> dict[str, object]:
    """Front matter of the Markdown file at `path`, cached per path; {} on any problem.

    The cache holds a tuple so callers get a fresh dict they may modify without poisoning it.
    """
    return dict(_read_front_matter_cached(path))


# --- slugs --------------------------------------------------------------------------------------


def _strip_md_suffix(name: str) -> str:
    for suffix in _MD_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


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

    slug = front_matter.get("slug")
    slug_text = str(slug).strip() if isinstance(slug, (str, int, float)) else ""
    if slug_text.startswith("/"):
        result = slug_text
    elif not slug_text and _is_category_index(stem, directory):
        result = dir_slug
    else:
        doc_id = front_matter.get("id")
        id_text = str(doc_id).strip() if isinstance(doc_id, (str, int, float)) else ""
        base = slug_text or id_text or stem
        result = posixpath.normpath(posixpath.join(dir_slug, base))
        if base.endswith("/") and not result.endswith("/"):
            result += "/"
    return result.lstrip("/")


def _is_category_index(stem: str, directory: str) -> bool:
    parent = directory.rpartition("/")[2]
    names = (*_CATEGORY_INDEX_NAMES, parent.lower()) if parent else _CATEGORY_INDEX_NAMES
    return stem.lower() in names


# --- hrefs --------------------------------------------------------------------------------------


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


def _md_target(path: str, page_path: str, tree_root: Path | None) -> str:
    """The target file relative to the tree root, as Docusaurus `replaceMarkdownLinks` finds it.

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
            return at_root
        joined = posixpath.join(page_dir, decoded)
    return posixpath.normpath("/" + joined).lstrip("/")  # ".." cannot climb above the root


def resolve_href(
    href: str, *, base_url: str, version: str, page_path: str, tree_root: Path | None
) -> str:
    """The published URL of `href` written in the page at `page_path` of docs `version`.

    Absolute URLs pass through; `.md` links go through the slug rules (reading the target's front
    matter under `tree_root` when it exists); other relative links, including `#anchor`, resolve
    like a browser against the page's own URL, as Docusaurus leaves them alone.
    """
    href = href.strip()
    if _SCHEME_RE.match(href) or href.startswith("//"):
        return href
    root_url = _version_url(base_url, version)
    path, fragment = _split_fragment(href)
    if path.lower().endswith(_MD_SUFFIXES):
        target = _md_target(path, page_path, tree_root)
        return root_url + permalink(target, _target_front_matter(tree_root, target)) + fragment
    if href.startswith("/"):
        return base_url.rstrip("/") + href
    page = page_path.replace("\\", "/").lstrip("/")
    page_url = root_url + permalink(page, _target_front_matter(tree_root, page))
    return urljoin(page_url, href)


# --- Markdown links -----------------------------------------------------------------------------

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)


def _code_ranges(markdown: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks and inline code spans, where links are not links."""
    ranges: list[tuple[int, int]] = []
    position = 0
    while True:
        fence = _FENCE_RE.search(markdown, position)
        inline_end = fence.start() if fence else len(markdown)
        ranges.extend(_code_spans(markdown, position, inline_end))
        if fence is None:
            return ranges
        marker = fence.group(1)
        close = re.compile(
            rf"^ {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$", re.MULTILINE
        )
        line_end = markdown.find("\n", fence.end())
        found = close.search(markdown, line_end + 1) if line_end != -1 else None
        end = found.end() if found else len(markdown)
        ranges.append((fence.start(), end))
        position = end


def _code_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """CommonMark code spans in text[start:end]: a backtick run closed by one of equal length."""
    spans: list[tuple[int, int]] = []
    index = start
    while index < end:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char != "`":
            index += 1
            continue
        run_end = index
        while run_end < end and text[run_end] == "`":
            run_end += 1
        run = run_end - index
        search = run_end
        closed = -1
        while search < end:
            next_tick = text.find("`", search, end)
            if next_tick == -1:
                break
            tick_end = next_tick
            while tick_end < end and text[tick_end] == "`":
                tick_end += 1
            if tick_end - next_tick == run:
                closed = tick_end
                break
            search = tick_end
        if closed == -1:
            index = run_end  # an unmatched run is literal text
            continue
        spans.append((index, closed))
        index = closed
    return spans


def _in_ranges(ranges: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The code range holding `offset`; `ranges` are sorted and disjoint."""
    position = bisect.bisect_right(ranges, (offset, _OFFSET_MAX)) - 1
    if position >= 0 and ranges[position][0] <= offset < ranges[position][1]:
        return ranges[position]
    return None


def _closing_bracket(markdown: str, open_at: int, code: list[tuple[int, int]]) -> int:
    """Offset of the `]` matching the `[` at `open_at`, skipping code and escapes; -1 if none."""
    depth = 0
    index = open_at
    while index < len(markdown):
        span = _in_ranges(code, index)
        if span is not None:
            index = span[1]
            continue
        char = markdown[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return -1


def _destination(markdown: str, open_paren: int) -> tuple[int, int, int] | None:
    """Parse `(dest "title")` from the `(`: (dest start, dest end, offset after `)`) or None."""
    index = open_paren + 1
    length = len(markdown)
    while index < length and markdown[index] in " \t\n":
        index += 1
    if index < length and markdown[index] == "<":
        close = markdown.find(">", index + 1)
        if close == -1 or "\n" in markdown[index:close]:
            return None
        start, end, index = index + 1, close, close + 1
    else:
        start = index
        depth = 0
        while index < length:
            char = markdown[index]
            if char == "\\":
                index += 2
                continue
            if char in " \t\n":
                break
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            index += 1
        end = min(index, length)
    while index < length and markdown[index] in " \t\n":
        index += 1
    if index < length and markdown[index] in "\"'(":
        closer = ")" if markdown[index] == "(" else markdown[index]
        title_end = markdown.find(closer, index + 1)
        if title_end == -1:
            return None
        index = title_end + 1
        while index < length and markdown[index] in " \t\n":
            index += 1
    if index >= length or markdown[index] != ")":
        return None
    return start, end, index + 1


def _link_at(
    markdown: str, open_at: int, code: list[tuple[int, int]]
) -> tuple[int, int, int, int] | None:
    """An inline link starting at the `[` at `open_at`: (`]`, dest start, dest end, after)."""
    close = _closing_bracket(markdown, open_at, code)
    if close == -1 or close + 1 >= len(markdown) or markdown[close + 1] != "(":
        return None
    parsed = _destination(markdown, close + 1)
    if parsed is None:
        return None
    return close, *parsed


def _has_link(markdown: str, start: int, end: int, code: list[tuple[int, int]]) -> bool:
    """Whether text[start:end] holds a link: then the outer brackets are text (CommonMark)."""
    index = start
    while index < end:
        span = _in_ranges(code, index)
        if span is not None:
            index = span[1]
            continue
        if markdown[index] == "\\":
            index += 2
            continue
        if markdown[index] == "[":
            found = _link_at(markdown, index, code)
            if found is not None and found[3] <= end:
                return True
        index += 1
    return False


def resolve_markdown_links(
    markdown: str, resolve: Callable[[str], str]
) -> tuple[str, tuple[Link, ...]]:
    """Rewrite each inline link's href to `resolve(href)`; return the new text and the links.

    Only the destination changes; text and title stay as written. Code spans, fenced code and
    images are left alone (an image is not a link a reader follows).
    """
    code = _code_ranges(markdown)
    pieces: list[str] = []
    links: list[Link] = []
    copied = 0
    index = 0
    while index < len(markdown):
        span = _in_ranges(code, index)
        if span is not None:
            index = span[1]
            continue
        char = markdown[index]
        if char == "\\":
            index += 2
            continue
        found = _link_at(markdown, index, code) if char == "[" else None
        if found is None:
            index += 1
            continue
        close, dest_start, dest_end, after = found
        if index > 0 and markdown[index - 1] == "!":
            index = after
            continue
        if _has_link(markdown, index + 1, close, code):
            index += 1
            continue
        href = markdown[dest_start:dest_end]
        if href:
            url = resolve(href)
            links.append(Link(text=markdown[index + 1 : close], href=href, url=url))
            pieces.append(markdown[copied:dest_start])
            pieces.append(url)
            copied = dest_end
        index = after
    pieces.append(markdown[copied:])
    return "".join(pieces), tuple(links)
