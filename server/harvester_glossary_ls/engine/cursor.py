"""What is under the cursor, and what to complete there: hover, definition and completion ask here.

While someone types, each keystroke is a new document version, and analysing a 5,000-line page
takes ~16 ms. `occurrence_under` answers from the last analysed version (`previous`) when the
text differs from it only away from the cursor, by letters, digits, spaces and plain
punctuation typed or deleted after a line's indentation in prose. Such an edit cannot change
what the Markdown scanner (`scan_markdown`) takes for code, markup or prose anywhere else:
only prose lines (paragraphs, headings, list items) qualify, `--` may open an HTML comment, a
line that starts indented may start an indented code block, so those edits analyse instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Final

from harvester_glossary_ls.engine.analysis import Analysis
from harvester_glossary_ls.engine.complete import Candidate, candidates
from harvester_glossary_ls.engine.models import Occurrence
from harvester_glossary_ls.engine.scan import LineKind

NEAR = 128
"""Characters around an edit where a term may have appeared or gone: analyse instead."""
_PROSE_KINDS = frozenset((LineKind.PARAGRAPH, LineKind.HEADING, LineKind.LIST_ITEM))
_PLAIN = " .,;:!?'\"-\n"
"""With letters and digits, what an edit may contain for `occurrence_under` to skip analysis."""


class _Unknown:
    """The previous analysis cannot tell: analyse the current text."""


_UNKNOWN: Final = _Unknown()


def occurrence_under(text: str, offset: int, analyse: Callable[[], Analysis | None],
                     previous: Analysis | None = None) -> Occurrence | None:
    """The term occurrence at `offset` in `text`: from `previous` (an analysis of an earlier
    version) when the edit since allows it, otherwise from `analyse()` (called only then)."""
    if previous is not None and previous.language == "markdown":
        found = _from_previous(previous, text, offset)
        if not isinstance(found, _Unknown):
            return found
    analysis = analyse()
    return analysis.occurrence_at(offset) if analysis is not None else None


def completions(analysis: Analysis, offset: int) -> list[Candidate]:
    """Glossary terms for the words typed before `offset`, best first (none outside prose)."""
    lines = analysis.scan.lines
    line_start = lines.starts[lines.line_of(offset)]
    return candidates(analysis.context.compiled.completion, analysis.text, analysis.scan,
                      offset, line_start)


def _from_previous(previous: Analysis, text: str, offset: int) -> Occurrence | _Unknown | None:
    start, old_end, new_end = changed_region(previous.text, text)
    if start - NEAR <= offset <= new_end + NEAR or not _plain_edit(previous, text, start,
                                                                     old_end, new_end):
        return _UNKNOWN
    shift = new_end - old_end
    found = previous.occurrence_at(offset if offset < start else offset - shift)
    if found is None:
        return None
    if found.start > old_end + 2:
        found = replace(found, start=found.start + shift, end=found.end + shift)
    if (found.end < start - 2 or found.start > new_end + 2) and (
            text[found.start:found.end] == found.text):
        return found
    return _UNKNOWN


def _plain_edit(previous: Analysis, text: str, start: int, old_end: int, new_end: int) -> bool:
    """Whether replacing previous.text[start:old_end] by text[start:new_end] leaves every other
    line as it was for the Markdown scanner: letters, digits, spaces, plain punctuation and
    line breaks, typed after the indentation of a prose line, with no new line (nor the line
    after the edit) starting indented, which could begin an indented code block."""
    changed = previous.text[start:old_end] + text[start:new_end]
    if "--" in changed or not all(ch.isalnum() or ch in _PLAIN for ch in changed):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip():
        return False  # in the indentation, or at the start of a line
    scan = previous.scan
    if scan.kinds[scan.lines.line_of(start)] not in _PROSE_KINDS:
        return False  # code, HTML, front matter, a comment
    return "\n" not in changed or not (_indented_line(previous.text, start, old_end)
                                      or _indented_line(text, start, new_end))


def _indented_line(text: str, start: int, end: int) -> bool:
    """Whether a line begun inside text[start:end], or the line after it, is indented."""
    after = text.find("\n", end)
    after = -1 if after < 0 else text.find("\n", after + 1)
    region = text[start:len(text) if after < 0 else after]
    return any(region[i + 1:i + 2] in (" ", "\t") for i, ch in enumerate(region) if ch == "\n")


def changed_region(old: str, new: str) -> tuple[int, int, int]:
    """(start, old end, new end): `old[start:old_end]` became `new[start:new_end]`, found by
    comparing 4 kB slices (C speed) from both ends."""
    limit = min(len(old), len(new))
    start = _common(old, new, limit, lambda i, n: (slice(i, i + n), slice(i, i + n)))
    suffix = _common(old, new, limit - start, lambda i, n: (
        slice(len(old) - i - n, len(old) - i), slice(len(new) - i - n, len(new) - i)))
    return start, len(old) - suffix, len(new) - suffix


def _common(old: str, new: str, limit: int,
            window: Callable[[int, int], tuple[slice, slice]]) -> int:
    """How many characters match, stepping by 4 kB and then by halves."""
    done = 0
    step = 4096
    while step:
        while done + step <= limit:
            a, b = window(done, step)
            if old[a] != new[b]:
                break
            done += step
        step //= 2
    return done
