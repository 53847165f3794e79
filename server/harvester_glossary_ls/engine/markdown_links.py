"""The one CommonMark inline-link parser: where `[text](destination "title")` links are.

The loader rewrites link destinations in definitions, glossary lint checks link targets and the
renderer keeps or flattens links; all three must agree on what is a link. Code spans and fenced
code hold no links, brackets match by nesting, a link inside another link's text makes the outer
brackets plain text, and an image (`![alt](src)`) is reported as such so callers can skip it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from harvester_glossary_ls.engine.models import Link

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)
_TICK_OR_ESCAPE_RE = re.compile(r"[`\\]")
_BRACKET_OR_ESCAPE_RE = re.compile(r"\\.|[\[\]]", re.DOTALL)
"""An escape (a backslash and the character it escapes) or a bracket: the only characters the
bracket pass looks at, found by the regex engine instead of one Python step per character."""
_SPACES = " \t\n"
_OFFSET_MAX = 2**62


@dataclass(frozen=True, slots=True)
class InlineLink:
    """One inline link or image, by offsets into the parsed text."""

    start: int
    """The `[` (or the `!` of an image)."""
    close: int
    """The `]` ending the link text."""
    dest_start: int
    dest_end: int
    end: int
    """Just after the closing `)`."""
    text: str
    destination: str
    image: bool


def _code_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """CommonMark code spans in text[start:end]: a backtick run closed by one of equal length."""
    spans: list[tuple[int, int]] = []
    index = start
    while index < end:
        found = _TICK_OR_ESCAPE_RE.search(text, index, end)  # every other character is text
        if found is None:
            break
        index = found.start()
        if text[index] == "\\":
            index += 2
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


def code_ranges(markdown: str) -> list[tuple[int, int]]:
    """Sorted offsets of fenced code blocks and inline code spans, where links are not links."""
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


class _Text:
    """The text with its code ranges and bracket pairs, computed once per parse."""

    def __init__(self, markdown: str) -> None:
        self.markdown = markdown
        self.code = code_ranges(markdown)
        self.opens: list[int] = []
        """Every `[` outside code and not escaped, in order (what `positions` would yield)."""
        self.pairs = self._bracket_pairs()

    def code_at(self, offset: int) -> tuple[int, int] | None:
        """The code range holding `offset`; the ranges are sorted and disjoint."""
        position = bisect.bisect_right(self.code, (offset, _OFFSET_MAX)) - 1
        if position >= 0 and self.code[position][0] <= offset < self.code[position][1]:
            return self.code[position]
        return None

    def positions(self, start: int, end: int) -> Iterator[int]:
        """Offsets in [start, end) outside code, skipping backslash escapes."""
        index = start
        while index < end:
            span = self.code_at(index)
            if span is not None:
                index = span[1]
                continue
            if self.markdown[index] == "\\":
                index += 2
                continue
            yield index
            index += 1

    def _outside_code(self) -> Iterator[tuple[int, int]]:
        """The (start, end) stretches between code ranges."""
        start = 0
        for code_start, code_end in self.code:
            if code_start > start:
                yield start, code_start
            start = max(start, code_end)
        if start < len(self.markdown):
            yield start, len(self.markdown)

    def _bracket_pairs(self) -> dict[int, int]:
        """Each `[` mapped to its matching `]` by nesting (one pass, so no quadratic rescans).

        Sees exactly the brackets `positions(0, len)` yields: an escape at the end of a stretch
        escapes the first character of the code after it, which is skipped anyway."""
        pairs: dict[int, int] = {}
        stack: list[int] = []
        opens = self.opens
        for start, end in self._outside_code():
            for found in _BRACKET_OR_ESCAPE_RE.finditer(self.markdown, start, end):
                char = found.group()
                if char == "[":
                    stack.append(found.start())
                    opens.append(found.start())
                elif char == "]" and stack:
                    pairs[stack.pop()] = found.start()
        return pairs


def _skip_spaces(markdown: str, index: int) -> int:
    while index < len(markdown) and markdown[index] in _SPACES:
        index += 1
    return index


def _angle_destination(markdown: str, index: int) -> tuple[int, int, int] | None:
    """`<dest>` from its `<`: (start, end, offset after `>`), or None across a line end."""
    close = markdown.find(">", index + 1)
    if close == -1 or "\n" in markdown[index:close]:
        return None
    return index + 1, close, close + 1


def _bare_destination(markdown: str, index: int) -> tuple[int, int, int]:
    """A destination up to a space or an unbalanced `)`: (start, end, offset after it)."""
    start = index
    depth = 0
    length = len(markdown)
    while index < length:
        char = markdown[index]
        if char == "\\":
            index += 2
            continue
        if char in _SPACES or (char == ")" and depth == 0):
            break
        depth += {"(": 1, ")": -1}.get(char, 0)
        index += 1
    end = min(index, length)
    return start, end, end


def _after_title(markdown: str, index: int) -> int | None:
    """Offset after an optional `"title"`, `'title'` or `(title)` and spaces; None if unclosed."""
    if index < len(markdown) and markdown[index] in "\"'(":
        closer = ")" if markdown[index] == "(" else markdown[index]
        title_end = markdown.find(closer, index + 1)
        if title_end == -1:
            return None
        index = _skip_spaces(markdown, title_end + 1)
    return index


def _destination(markdown: str, open_paren: int) -> tuple[int, int, int] | None:
    """Parse `(dest "title")` from the `(`: (dest start, dest end, offset after `)`) or None."""
    index = _skip_spaces(markdown, open_paren + 1)
    if index < len(markdown) and markdown[index] == "<":
        parsed = _angle_destination(markdown, index)
    else:
        parsed = _bare_destination(markdown, index)
    if parsed is None:
        return None
    start, end, index = parsed
    after = _after_title(markdown, _skip_spaces(markdown, index))
    if after is None or after >= len(markdown) or markdown[after] != ")":
        return None
    return start, end, after + 1


def _link_at(text: _Text, open_at: int) -> tuple[int, int, int, int] | None:
    """An inline link starting at the `[` at `open_at`: (`]`, dest start, dest end, after)."""
    close = text.pairs.get(open_at, -1)
    markdown = text.markdown
    if close == -1 or close + 1 >= len(markdown) or markdown[close + 1] != "(":
        return None
    parsed = _destination(markdown, close + 1)
    if parsed is None:
        return None
    return close, *parsed


def _has_link(text: _Text, start: int, end: int) -> bool:
    """Whether text[start:end] holds a link: then the outer brackets are text (CommonMark)."""
    for index in text.positions(start, end):
        if text.markdown[index] == "[":
            found = _link_at(text, index)
            if found is not None and found[3] <= end:
                return True
    return False


def inline_links(markdown: str) -> list[InlineLink]:
    """Every inline link and image of `markdown`, in order; none inside code."""
    if "[" not in markdown:
        return []
    text = _Text(markdown)
    links: list[InlineLink] = []
    resume = 0
    for index in text.opens:
        if index < resume:
            continue
        found = _link_at(text, index)
        if found is None:
            continue
        close, dest_start, dest_end, after = found
        image = index > 0 and markdown[index - 1] == "!"
        if not image and _has_link(text, index + 1, close):
            continue
        links.append(InlineLink(index - 1 if image else index, close, dest_start, dest_end,
                                after, markdown[index + 1:close], markdown[dest_start:dest_end],
                                image))
        resume = after
    return links


def replace_links(markdown: str, replacement: Callable[[InlineLink], str]) -> str:
    """`markdown` with each inline link and image replaced by `replacement(link)`."""
    pieces: list[str] = []
    copied = 0
    for link in inline_links(markdown):
        pieces.append(markdown[copied:link.start])
        pieces.append(replacement(link))
        copied = link.end
    pieces.append(markdown[copied:])
    return "".join(pieces)


def resolve_markdown_links(
    markdown: str, resolve: Callable[[str], str]
) -> tuple[str, tuple[Link, ...]]:
    """Rewrite each inline link's href to `resolve(href)`; return the new text and the links.

    Only the destination changes; text and title stay as written. Code spans, fenced code and
    images are left alone (an image is not a link a reader follows).
    """
    pieces: list[str] = []
    found: list[Link] = []
    copied = 0
    for link in inline_links(markdown):
        if link.image or not link.destination:
            continue
        url = resolve(link.destination)
        found.append(Link(text=link.text, href=link.destination, url=url))
        pieces.append(markdown[copied:link.dest_start])
        pieces.append(url)
        copied = link.dest_end
    pieces.append(markdown[copied:])
    return "".join(pieces), tuple(found)
