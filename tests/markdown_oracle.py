"""A slow but real Markdown parse (markdown-it-py, CommonMark + GFM tables) as the test oracle.

`non_prose(text)` returns what a reader never sees as running prose, as document offsets:

- line ranges of front matter, fenced code, indented code and HTML blocks (block tokens carry
  their line map);
- character spans of inline code, inline HTML, autolinks, and the target part of links and
  images (`](href "title")`, `][ref]`), recorded by wrapping markdown-it's own inline rules and
  mapping the inline token's source offsets back to the document (an inline token's content is
  raw source text, one line per source line, so each line is found in its source line);
- bare URLs (GFM autolinks; markdown-it-py's linkify needs an extra package), by regex;
- heading lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

_URL = re.compile(r"(?:https?|ftp)://[^\s<>()\[\]`]+|www\.[^\s<>()\[\]`]+")
BLOCK_CODE = ("fence", "code_block")


@dataclass
class NonProse:
    lines: dict[int, str] = field(default_factory=dict)
    """Line number -> why it has no prose (front_matter, fence, code_block, html_block)."""
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    """(start, end, why) character spans: code_inline, html_inline, autolink, link_target, url."""
    headings: set[int] = field(default_factory=set)

    def why(self, line: int, start: int, end: int) -> str | None:
        """Why [start, end) on `line` is not prose, or None when it is prose."""
        if line in self.lines:
            return self.lines[line]
        for s, e, reason in self.spans:
            if s < end and start < e:
                return reason
        return None


_recorded: list[tuple[StateInline, int, int, str]] = []


def _wrap(rule: Callable[[StateInline, bool], bool], kind: str) -> Callable[..., bool]:
    def wrapped(state: StateInline, silent: bool) -> bool:
        start = state.pos
        label_end = -1
        if kind == "link_target":
            opener = start + 1 if state.src[start:start + 1] == "!" else start
            if state.src[opener:opener + 1] == "[":
                label_end = state.md.helpers.parseLinkLabel(state, opener, True)
        ok = rule(state, silent)
        if ok and not silent:
            if kind == "link_target":
                if label_end >= 0:
                    _recorded.append((state, label_end + 1, state.pos, kind))
            else:
                _recorded.append((state, start, state.pos, kind))
        return ok

    return wrapped


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table")
    rules: dict[str, Any] = {r.name: r.fn for r in md.inline.ruler.__rules__}
    for name, kind in (("backticks", "code_inline"), ("html_inline", "html_inline"),
                       ("autolink", "autolink"), ("link", "link_target"),
                       ("image", "link_target")):
        md.inline.ruler.at(name, _wrap(rules[name], kind))
    return md


_MD = _parser()


def _front_matter_end(lines: list[str]) -> int:
    """Number of front-matter lines (0 when there is none)."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return i + 1
    return 0


def non_prose(text: str) -> NonProse:
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    result = NonProse()
    fm_end = _front_matter_end(lines)
    for i in range(fm_end):
        result.lines[i] = "front_matter"
    body = "\n".join([""] * fm_end + lines[fm_end:])
    _recorded.clear()
    tokens = _MD.parse(body)
    states: list[StateInline] = []
    by_state: dict[int, list[tuple[int, int, str]]] = {}
    for state, s, e, kind in _recorded:
        if id(state) not in by_state:
            states.append(state)
            by_state[id(state)] = []
        by_state[id(state)].append((s, e, kind))
    inline_spans = {state.src: by_state[id(state)] for state in states}
    cursors: dict[int, int] = {}
    for token in tokens:
        if token.map is None:
            continue
        first, last = token.map
        if token.type in BLOCK_CODE or token.type == "html_block":
            for i in range(first, last):
                result.lines.setdefault(i, token.type)
        elif token.type == "heading_open":
            result.headings.update(range(first, last))
        elif token.type == "inline" and token.content in inline_spans:
            _map_inline(token.content, first, lines, starts, cursors,
                        inline_spans[token.content], result)
    for number, line in enumerate(lines):
        if number in result.lines:
            continue
        for match in _URL.finditer(line):
            result.spans.append((starts[number] + match.start(), starts[number] + match.end(),
                                 "url"))
    return result


def _map_inline(content: str, first: int, lines: list[str], starts: list[int],
                cursors: dict[int, int], spans: list[tuple[int, int, str]],
                result: NonProse) -> None:
    """Map spans in an inline token's content back to document offsets."""
    pieces = content.split("\n")
    table: list[tuple[int, int]] = []  # (content offset of the piece, document offset)
    offset = 0
    for i, piece in enumerate(pieces):
        number = first + i
        doc = -1
        # leading whitespace may differ (markdown-it expands tabs in indentation)
        core = piece.lstrip(" \t")
        lead = len(piece) - len(core)
        if number < len(lines) and core:
            col = lines[number].find(core, cursors.get(number, 0))
            if col < 0:
                col = lines[number].find(core)
            if col >= 0:
                cursors[number] = col + len(core)
                doc = starts[number] + col - lead
        table.append((offset, doc))
        offset += len(piece) + 1

    def to_doc(pos: int) -> int:
        for piece_start, doc in reversed(table):
            if pos >= piece_start:
                return -1 if doc < 0 else doc + (pos - piece_start)
        return -1

    for s, e, kind in spans:
        doc_start, doc_end = to_doc(s), to_doc(max(s, e - 1))
        if doc_start < 0 or doc_end < 0:
            raise AssertionError(f"could not map {kind} span {content[s:e]!r} to the document")
        result.spans.append((doc_start, doc_end + 1, kind))
