"""The link parser's regex-driven passes see exactly what the one-step-per-character passes saw.

`code_ranges` and the bracket pass find backticks, escapes and brackets with the regex engine
instead of a Python step per character (issue 10: definitions' links were most of the cost of
loading a glossary). The per-character versions they replaced are kept here as oracles and the
two are compared on generated Markdown made of the characters that matter, and on real pages.
"""

from __future__ import annotations

import random

import pytest

from harvester_glossary_ls.engine import markdown_links
from harvester_glossary_ls.engine.markdown_links import _code_spans, _Text, code_ranges
from tests.glossary_testkit import SHARED

ALPHABET = ("[", "]", "(", ")", "`", "``", "\\", "!", "a", "b", " ", "\n", "```\n", "~~~\n",
            "<", ">", '"', "x](y)", "[t](u)")


def _code_spans_per_char(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The code-span pass as it was: one Python step per character."""
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
            index = run_end
            continue
        spans.append((index, closed))
        index = closed
    return spans


def _pairs_per_char(text: _Text) -> tuple[dict[int, int], list[int]]:
    """The bracket pass as it was: every offset `positions` yields, one at a time."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    opens: list[int] = []
    for index in text.positions(0, len(text.markdown)):
        char = text.markdown[index]
        if char == "[":
            stack.append(index)
            opens.append(index)
        elif char == "]" and stack:
            pairs[stack.pop()] = index
    return pairs, opens


def _generated(count: int, seed: int = 10) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60)))
            for _ in range(count)]


def _agree(markdown: str) -> None:
    assert _code_spans(markdown, 0, len(markdown)) == _code_spans_per_char(
        markdown, 0, len(markdown)), markdown
    text = _Text(markdown)
    assert (text.pairs, text.opens) == _pairs_per_char(text), markdown


def test_regex_passes_agree_on_generated_markdown() -> None:
    for markdown in _generated(5000):
        _agree(markdown)


def test_regex_passes_agree_on_real_pages() -> None:
    pages = sorted((SHARED / "corpus").rglob("*.md")) + sorted(
        (SHARED / "glossary").rglob("*.md"))
    if not pages:
        pytest.skip(f"{SHARED} is absent: the real pages live there")
    for page in pages:
        _agree(page.read_text(encoding="utf-8"))


def test_text_without_brackets_has_no_links() -> None:
    assert markdown_links.inline_links("no links `[here](x)` here") == []
    assert code_ranges("a `b` c") == [(2, 5)]
