"""Markdown prose scanner: a line-based block pass plus regex masking of inline syntax.

A full CommonMark parse runs at about 2.4 MB/s here; this scanner is an order of magnitude faster
and is checked against markdown-it-py over the real docs by a differential test. It keeps the
text length unchanged, so offsets in the match text are offsets in the document. The block pass
dispatches on a line's first character because it runs once per line of every document.
"""

from __future__ import annotations

import bisect
import enum
import itertools
import operator
import re
from collections.abc import Callable

from harvester_glossary_ls.engine.code_tokens import mask_code_tokens
from harvester_glossary_ls.engine.scan import MASK, LineKind, ProseScan
from harvester_glossary_ls.engine.text import LineIndex, lower_same_length

_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"(#{1,6})(?:[ \t]+|$)")
_LIST = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_QUOTE = re.compile(r"(?:>[ \t]?)+")
_TABLE_DELIM = re.compile(r"\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")
_REF_DEF = re.compile(r"\[[^\]]+\]:\s*\S")
_JSX_LINE = re.compile(r"</?[A-Z][\w.]*(\s|/?>|$)")
_THEMATIC = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_HTML_BLOCK = re.compile(
    r"<(div|iframe|table|details|head|script|style|pre|p|center|figure|video|section)\b",
    re.IGNORECASE)
_HTML_BLOCK_END = re.compile(r"</\w+>\s*$|/>\s*$")

# Hugo shortcodes. A tag is never prose; the body of a code-bearing one is code.
_SHORTCODE_NAME = re.compile(r"\{\{[<%]\s*([A-Za-z][\w.-]*)")
_SHORTCODE_CLOSER = re.compile(r"\{\{[<%]\s*/\s*([A-Za-z][\w.-]*)\s*[>%]\}\}")
_SHORTCODE_LANG = re.compile(r"""\b(?:lang|language|codelang)=["']?([\w+#.-]+)""")
_CODELANG = re.compile(r"""\bcodelang=["']?([\w+#.-]+)""")
_POSITIONAL = re.compile(r"\s+([A-Za-z][\w+#.-]*)(?=\s|[/>%]|$)")
CODE_SHORTCODES = frozenset({"highlight", "code", "code_sample", "codenew"})
"""Shortcodes whose body is code (`tab` too, when it has `codelang=`); any other's is Markdown."""
_MAX_TAG_LINES = 20
"""A shortcode tag wrapped over more lines than this is no tag: a stray `{{<` in prose."""

# One pass per construct: each pattern starts with a literal, which `re` searches for quickly;
# a single alternation would be tried at every character. Overlaps are harmless (all masked).
_INLINE_PASSES = (
    re.compile(r"<!--.*?-->", re.DOTALL),
    re.compile(r"``[^\n]*?``|`[^`\n]+`"),
    # (Hugo shortcode tags here: `mask_shortcodes`, before HTML and URLs)
    re.compile(r"</?[A-Za-z][^<>\n]*>"),
    # a link target with balanced parentheses, as an unrolled loop (no per-character alternation)
    re.compile(r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"),
    re.compile(r"\]\[[^\]\n]*\]"),
    re.compile(r"https?://[^\s<>()\[\]`]+"),  # a literal prefix: found by a fast search
    re.compile(r"ftp://[^\s<>()\[\]`]+"),
    re.compile(r"www\.[^\s<>()\[\]`]+"),
    re.compile(r"\{[^{}\n]*\}"),
    re.compile(r"&(?:[a-zA-Z]+|#\d+);"),
)
_TRIGGERS = ("<!--", "`", "<", "](", "][", "http", "ftp://", "www.", "{", "&")
_SHORTCODES_AFTER = 2
"""Shortcode tags are masked after comments and inline code, before HTML (`{{<x>}}`) and URLs
(`https://x/v{{< current-version >}}/deploy/a.yaml`)."""
_MAX_TAG_CHARS = 2000
"""A shortcode tag longer than this (a stray `{{<` far from any `>}}`) is not masked."""

PARAGRAPH = LineKind.PARAGRAPH
BLANK = LineKind.BLANK
OTHER = LineKind.OTHER
HEADING = LineKind.HEADING
LIST_ITEM = LineKind.LIST_ITEM
TABLE_HEADER = LineKind.TABLE_HEADER
TABLE_ROW = LineKind.TABLE_ROW


def _mask_match(match: re.Match[str]) -> str:
    text = match.group(0)
    if text[0] == "]":  # keep the link text's closing bracket as a boundary
        return "]" + MASK * (len(text) - 1)
    return MASK * len(text)


def _shortcode_spans(text: str, opener: str, closer: str) -> list[tuple[int, int]]:
    """Each `opener` to the first `closer` after it, if that is near. Linear however many
    openers there are: the closer found for one serves every opener before it (a regex with a
    bounded lazy body costs a scan of the bound per stray opener)."""
    spans: list[tuple[int, int]] = []
    find = text.find
    start, close = find(opener), -1
    while start >= 0:
        if close < start + 3:
            close = find(closer, start + 3)
            if close < 0:
                break
        if close - start <= _MAX_TAG_CHARS:
            spans.append((start, close + 3))
            start = find(opener, close + 3)
        else:
            start = find(opener, start + 3)
    return spans


def mask_shortcodes(text: str) -> str:
    """Mask Hugo shortcode tags, `{{< x >}}` and `{{% x %}}`, in running text or wrapped."""
    spans = sorted(_shortcode_spans(text, "{{<", ">}}") + _shortcode_spans(text, "{{%", "%}}"))
    pieces: list[str] = []
    cursor = 0
    for start, end in spans:
        if start < cursor:
            start = cursor  # overlapping: `{{< x %}}…>}}`; masked all the same
        if end > cursor:
            pieces += [text[cursor:start], MASK * (end - start)]
            cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def mask_inline(text: str) -> str:
    """Mask inline code, HTML, link targets, URLs, shortcodes, MDX expressions, and then paths,
    hostnames and dotted identifiers (`code_tokens`); same length out."""
    for number, (trigger, pattern) in enumerate(zip(_TRIGGERS, _INLINE_PASSES, strict=True)):
        if number == _SHORTCODES_AFTER and "{{" in text:
            text = mask_shortcodes(text)
        if trigger in text:
            text = pattern.sub(_mask_match, text)
    return mask_code_tokens(text)


def _indent_width(line: str) -> int:
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


class _Block(enum.Enum):
    """Where the block pass is: in prose, or inside a construct that holds no prose."""

    NORMAL = "normal"
    FRONT_MATTER = "front matter"
    FENCE = "fenced code"
    HTML_COMMENT = "HTML comment"
    HTML_BLOCK = "HTML block"
    INDENTED_CODE = "indented code"
    SHORTCODE = "shortcode tag or code-bearing shortcode body"


_TABLE_KINDS = (TABLE_HEADER, TABLE_ROW)
_JOINS_PARAGRAPH = (PARAGRAPH, LIST_ITEM)


class _BlockPass:
    """The line-by-line pass: one instance per document, state in named fields.

    Lines that are no prose are masked in `out`; `joins` marks a paragraph line continued by the
    next one (its line break becomes a space, so a term may wrap). A construct without prose
    (front matter, a fence, a comment, an HTML block, indented code) is consumed by its own
    method in one tight loop, up to the line that closes it.
    """

    __slots__ = ("closers", "fence_char", "fence_info", "fence_len", "fence_start", "fences",
                 "joins", "kinds", "line_starts", "lines", "lists", "out", "previous",
                 "shortcode_end", "starts", "state")

    def __init__(self, lines: list[str], line_starts: list[int]) -> None:
        count = len(lines)
        self.lines = lines
        self.line_starts = line_starts
        self.out = list(lines)
        self.kinds = bytearray(count)  # OTHER unless set
        self.starts = [0] * count
        self.joins = bytearray(count)
        self.fences: list[tuple[int, int, str]] = []
        self.state = (_Block.FRONT_MATTER if count and lines[0].rstrip() == "---"
                      else _Block.NORMAL)
        self.fence_char = ""
        self.fence_len = 0
        self.fence_start = 0
        self.fence_info = ""
        self.lists: list[int] = []  # content columns of the open list items, innermost last
        self.previous = BLANK
        self.shortcode_end = 0  # the last line of the open shortcode tag or code body
        self.closers: dict[str, list[int]] | None = None  # closing shortcode tags' lines, by name

    def run(self) -> None:
        """Classify every line. Blank lines and plain paragraph lines (most lines of a page)
        are handled inline: this loop runs once per line of every document."""
        lines, line_starts, kinds, out = self.lines, self.line_starts, self.kinds, self.out
        normal = _Block.NORMAL
        structured = self._structured_line
        resume = 0  # the first line after the last construct consumed
        for number, line in enumerate(lines):
            if number < resume:
                continue
            if self.state is not normal:
                resume = _CONSUMERS[self.state](self, number)
                if resume > number:
                    continue
            previous = self.previous
            if not line.strip():
                kinds[number] = self.previous = BLANK
            elif not line[0].isalpha() or (previous in _TABLE_KINDS and "|" in line):
                structured(number, line, line_starts[number])
            elif line[0] in "ie" and line.startswith(("import ", "export ")):  # MDX
                out[number] = MASK * len(line)
                self.previous = OTHER
            else:  # paragraph text
                if previous == BLANK:  # not a lazy continuation: every list is closed
                    self.lists.clear()
                elif previous in _JOINS_PARAGRAPH:
                    self.joins[number - 1] = 1
                kinds[number] = self.previous = PARAGRAPH

    # --- inside a construct without prose: each returns the first line it did not consume -----
    # Every line consumed is masked (its kind stays OTHER) unless it is blank.

    def _front_matter(self, number: int) -> int:
        lines, out = self.lines, self.out
        self.previous = OTHER
        for current in range(number, len(lines)):
            line = lines[current]
            out[current] = MASK * len(line)
            if current and line.rstrip() in ("---", "..."):
                self.state = _Block.NORMAL
                return current + 1
        return len(lines)

    def _fence(self, number: int) -> int:
        lines, out, char = self.lines, self.out, self.fence_char
        self.previous = OTHER
        for current in range(number, len(lines)):
            line = lines[current]
            out[current] = MASK * len(line)
            stripped = line.lstrip(" \t>")
            if stripped[:1] == char and self._closes_fence(stripped):
                self.state = _Block.NORMAL
                end = self.line_starts[current] + len(line)
                self.fences.append((self.fence_start, end, self.fence_info))
                return current + 1
        return len(lines)

    def _closes_fence(self, stripped: str) -> bool:
        match = _FENCE.match(stripped)
        return bool(match and len(match.group(1)) >= self.fence_len
                    and not match.group(2).strip())

    def _html_comment(self, number: int) -> int:
        lines, out = self.lines, self.out
        self.previous = OTHER
        for current in range(number, len(lines)):
            line = lines[current]
            out[current] = MASK * len(line)
            if "-->" in line:
                self.state = _Block.NORMAL
                return current + 1
        return len(lines)

    def _html_block(self, number: int) -> int:
        """Up to and including the blank line that ends it."""
        lines, out = self.lines, self.out
        self.previous = OTHER
        for current in range(number, len(lines)):
            line = lines[current]
            if not line.strip():
                self.kinds[current] = BLANK
                self.previous = BLANK
                self.state = _Block.NORMAL
                return current + 1
            out[current] = MASK * len(line)
        return len(lines)

    def _shortcode(self, number: int) -> int:
        """The rest of a wrapped shortcode tag, or a code-bearing shortcode's body and its
        closing tag: through `shortcode_end`."""
        lines, out = self.lines, self.out
        self.previous = OTHER
        last = min(self.shortcode_end, len(lines) - 1)
        for current in range(number, last + 1):
            out[current] = MASK * len(lines[current])
        self.state = _Block.NORMAL
        return last + 1

    def _indented_code(self, number: int) -> int:
        """Up to the first line indented less than four columns, which is read as usual."""
        lines, out, kinds = self.lines, self.out, self.kinds
        for current in range(number, len(lines)):
            line = lines[current]
            if not line.strip():
                kinds[current] = BLANK
                self.previous = BLANK
            elif _indent_width(line) < 4:
                self.state = _Block.NORMAL
                return current
            else:
                out[current] = MASK * len(line)
                self.previous = OTHER
        return len(lines)

    # --- ordinary lines ----------------------------------------------------------------------

    def _structured_line(self, number: int, line: str, line_offset: int) -> None:
        """A line that may open code, HTML or a comment, or carry markers before its prose.

        Masks what precedes the prose (all of a line without prose) and notes the kind."""
        stripped = line.lstrip(" \t")
        lead = len(line) - len(stripped)
        width = _indent_width(line) if lead else 0
        lists = self.lists
        if self.previous == BLANK:  # after a blank line, a line less indented closes list items
            while lists and lists[-1] > width:
                lists.pop()
        kind, prose_from = OTHER, -1
        if stripped[0] == "{" and stripped[1:3] in ("{<", "{%") and self._shortcode_line(
                number, stripped, line_offset):
            return  # Hugo expands shortcodes before Markdown: whatever the indent
        if (width >= 4 or stripped[0] in "`~") and self._opens_code(stripped, width, line_offset):
            pass
        elif stripped[:1] == "<":
            kind, prose_from = self._angle_line(stripped, lead)
        else:
            kind, prose_from = self._prose_line(number, line, stripped, width)
        if prose_from < 0 or (kind == TABLE_ROW and prose_from == len(line)):
            self.out[number] = MASK * len(line)
            self.kinds[number] = self.previous = TABLE_ROW if kind == TABLE_ROW else OTHER
            return
        if prose_from:
            self.out[number] = MASK * prose_from + line[prose_from:]
        self.kinds[number] = self.previous = kind
        self.starts[number] = prose_from

    def _opens_code(self, stripped: str, width: int, line_offset: int) -> bool:
        """Indented code (after a blank line, outside list content) or a code fence."""
        lists = self.lists
        if width >= 4 and self.previous == BLANK and (not lists or width >= lists[-1] + 4):
            self.state = _Block.INDENTED_CODE
            return True
        head = stripped[:1]
        if head not in "`~" or not (match := _FENCE.match(stripped)):
            return False
        info = match.group(2)
        if head == "`" and "`" in info:
            return False  # inline code at the start of a line, not a fence
        self.state = _Block.FENCE
        self.fence_char = head
        self.fence_len = len(match.group(1))
        self.fence_start = line_offset
        self.fence_info = info.strip().split(" ")[0].lower() if info.strip() else ""
        return True

    def _shortcode_line(self, number: int, stripped: str, line_offset: int) -> bool:
        """A line that starts with a shortcode tag: masked (True) unless prose follows the tag.

        A tag wrapped over lines, or a code-bearing shortcode's body up to its closing tag,
        becomes the SHORTCODE state. A tag that never closes is left to the prose reading."""
        closer = "%}}" if stripped[2] == "%" else ">}}"
        end_line = self._tag_end(number, stripped, closer)
        if end_line < 0:
            return False
        if end_line == number:
            tag_end = stripped.find(closer) + 3
            tag, rest = stripped[:tag_end], stripped[tag_end:]
        else:
            tag = " ".join(line.strip() for line in self.lines[number:end_line + 1])
            rest = ""
        info = _code_shortcode(tag)
        body_end = self._closing_line(tag, end_line) if info is not None else -1
        if body_end < 0 and rest and mask_shortcodes(rest).replace(MASK, "").strip():
            return False  # `{{< current-version >}} is ...`: prose after an inline tag
        last = max(end_line, body_end)
        if body_end >= 0:
            end = self.line_starts[body_end] + len(self.lines[body_end])
            self.fences.append((line_offset, end, info or ""))
        self.out[number] = MASK * len(self.lines[number])
        self.kinds[number] = self.previous = OTHER
        if last > number:
            self.state = _Block.SHORTCODE
            self.shortcode_end = last
        return True

    def _tag_end(self, number: int, first: str, closer: str) -> int:
        """The line where the tag opened on line `number` closes, or -1."""
        if closer in first:
            return number
        lines = self.lines
        for current in range(number + 1, min(len(lines), number + _MAX_TAG_LINES)):
            if closer in lines[current]:
                return current
        return -1

    def _closing_line(self, tag: str, after: int) -> int:
        """The first line from `after` on with the closing tag of the shortcode `tag` opens."""
        name = _SHORTCODE_NAME.match(tag)
        if name is None:
            return -1
        if self.closers is None:
            self.closers = {}
            for current, line in enumerate(self.lines):
                if "{{" in line:
                    for found in _SHORTCODE_CLOSER.finditer(line):
                        self.closers.setdefault(found.group(1), []).append(current)
        found_lines = self.closers.get(name.group(1), [])
        i = bisect.bisect_left(found_lines, after)
        return found_lines[i] if i < len(found_lines) else -1

    def _angle_line(self, stripped: str, lead: int) -> tuple[LineKind, int]:
        """A line starting with `<`: a comment, JSX, an HTML block, or prose after inline HTML."""
        if stripped.startswith("<!--"):
            if "-->" not in stripped:
                self.state = _Block.HTML_COMMENT
        elif _JSX_LINE.match(stripped):
            pass
        elif _HTML_BLOCK.match(stripped):
            if not _HTML_BLOCK_END.search(stripped):
                self.state = _Block.HTML_BLOCK
        else:
            return PARAGRAPH, lead
        return OTHER, -1

    def _prose_line(self, number: int, line: str, stripped: str,
                    width: int) -> tuple[LineKind, int]:
        """Strip block quote, heading, table and list markers; the rest is prose.

        An admonition fence (`:::`), a link reference definition or a thematic break has none."""
        head = stripped[0]
        if ((head == ":" and stripped.startswith(":::"))
                or (head == "[" and _REF_DEF.match(stripped))
                or (head in "*-_" and _THEMATIC.match(stripped))):
            return OTHER, -1
        body = stripped
        if body[:1] == ">" and (quote := _QUOTE.match(body)):
            body = body[quote.end():]
        lead_char = body[:1]
        if lead_char == "#" and (heading := _HEADING.match(body)):
            kind = HEADING
            body = body[heading.end():]
            self.lists.clear()
        elif lead_char == "|" or (self.previous in _TABLE_KINDS and "|" in body):
            kind, body = self._table_row(body)
        elif (lead_char in "-*+" or lead_char.isdigit()) and (listed := _LIST.match(body)):
            kind = LIST_ITEM
            lists = self.lists
            while lists and lists[-1] > width:
                lists.pop()
            body = body[listed.end():]
            lists.append(len(line) - len(body))
        else:
            kind = PARAGRAPH
            if self.previous in _JOINS_PARAGRAPH:
                self.joins[number - 1] = 1
        return kind, len(line) - len(body)

    def _table_row(self, body: str) -> tuple[LineKind, str]:
        if _TABLE_DELIM.match(body):
            return TABLE_ROW, ""  # keeps the table going; masked as it has no prose
        kind = TABLE_ROW if self.previous in _TABLE_KINDS else TABLE_HEADER
        return kind, body.lstrip("| \t")


def _code_shortcode(tag: str) -> str | None:
    """The language of a code-bearing shortcode's opening tag ("" when it names none), or None
    for a tag whose body is Markdown, a closing tag, or a self-closing one."""
    name = _SHORTCODE_NAME.match(tag)
    if name is None or tag.rstrip()[:-3].rstrip().endswith("/"):
        return None
    shortcode = name.group(1).lower()
    params = tag[name.end():]
    if shortcode == "tab":
        codelang = _CODELANG.search(params)
        return codelang.group(1).lower() if codelang else None
    if shortcode not in CODE_SHORTCODES:
        return None
    lang = _SHORTCODE_LANG.search(params) or _POSITIONAL.match(params)
    return lang.group(1).lower() if lang else ""


_Consumer = Callable[[_BlockPass, int], int]
_CONSUMERS: dict[_Block, _Consumer] = {
    _Block.FRONT_MATTER: _BlockPass._front_matter,
    _Block.FENCE: _BlockPass._fence,
    _Block.HTML_COMMENT: _BlockPass._html_comment,
    _Block.HTML_BLOCK: _BlockPass._html_block,
    _Block.INDENTED_CODE: _BlockPass._indented_code,
    _Block.SHORTCODE: _BlockPass._shortcode,
}


def scan_markdown(text: str) -> ProseScan:
    """Reduce Markdown to its prose; never raises."""
    lines = text.split("\n")
    line_starts = [0, *itertools.accumulate(len(line) + 1 for line in lines[:-1])]
    block = _BlockPass(lines, line_starts)
    block.run()
    separators = ["\n"] * len(lines)
    separators[-1] = ""
    for number in (i for i, joined in enumerate(block.joins) if joined):
        separators[number] = " "
    masked = mask_inline("".join(map(operator.add, block.out, separators)))
    return ProseScan(
        match_text=lower_same_length(masked),
        lines=LineIndex(tuple(line_starts), len(text)),
        kinds=bytes(block.kinds),
        prose_starts=tuple(block.starts),
        code_blocks=tuple(block.fences),
    )
