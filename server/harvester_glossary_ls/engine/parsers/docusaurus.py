"""The Harvester glossary page: a Docusaurus page with one `## **term** / **alias**` per entry.

Front matter and the `<head>` block are skipped; an entry's definition is every paragraph up to
the next `## ` heading. Links are left as written: the loader resolves them, because resolution
depends on where the page sits (a docs checkout or the shipped copy).
"""

from __future__ import annotations

import re

from harvester_glossary_ls.engine.docs_site import github_slug
from harvester_glossary_ls.engine.frontmatter import parse_front_matter, split_front_matter
from harvester_glossary_ls.engine.models import Entry, ParseResult, Problem, SourceLocation, Version

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_HEAD_OPEN = re.compile(r"^\s*<head>\s*$", re.IGNORECASE)
_HEAD_CLOSE = re.compile(r"^\s*</head>\s*$", re.IGNORECASE)


def looks_like_glossary_page(text: str) -> bool:
    """Cheap sniff used to tell a glossary page from other Markdown."""
    return re.search(r"^##\s+\*\*", text, re.MULTILINE) is not None


def heading_names(heading: str) -> list[str]:
    """`**a** / **b**` gives [a, b]; a heading without bold gives its plain text."""
    bold = [m.group(1).strip() for m in _BOLD.finditer(heading)]
    if bold:
        return [b for b in bold if b]
    plain = heading.strip().strip("*").strip()
    return [part.strip() for part in plain.split(" / ") if part.strip()]


def _body_start(lines: list[str]) -> int:
    """Index of the first line after front matter and a leading `<head>` block."""
    front = split_front_matter("\n".join(lines))
    i = front.body_line if front is not None else 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and _HEAD_OPEN.match(lines[i]):
        for j in range(i + 1, len(lines)):
            if _HEAD_CLOSE.match(lines[j]):
                return j + 1
    return i


def parse_docusaurus_page(
    text: str, path: str, *, version: Version | None = None, page_url: str = ""
) -> ParseResult:
    """Parse a glossary page into entries; problems for empty or duplicate entries."""
    lines = text.splitlines()
    problems: list[Problem] = []
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    current: tuple[int, str] | None = None
    body: list[str] = []
    in_fence = False

    def flush() -> None:
        if current is None:
            return
        line_no, heading = current
        names = heading_names(heading)
        definition = "\n".join(body).strip()
        if not names:
            problems.append(Problem(path, "heading names no term", line_no))
            return
        if not definition:
            problems.append(Problem(path, f"'{names[0]}' has an empty definition", line_no))
        for name in names:
            key = name.casefold()
            if key in seen:
                problems.append(
                    Problem(path, f"'{name}' is defined twice (first on line {seen[key] + 1})",
                            line_no)
                )
            else:
                seen[key] = line_no
        anchor = github_slug(_BOLD.sub(r"\1", heading).strip())
        entries.append(
            Entry(
                term=names[0],
                aliases=tuple(names[1:]),
                definition=definition,
                source=SourceLocation(path, line_no),
                url=f"{page_url}#{anchor}" if page_url else "",
            )
        )

    for index in range(_body_start(lines), len(lines)):
        line = lines[index]
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if not in_fence and line.startswith("## "):
            flush()
            current = (index, line[3:])
            body = []
        elif current is not None:
            body.append(line.rstrip())
    flush()
    if not entries:
        problems.append(Problem(path, "no glossary entries (expected `## **term**` headings)"))
    return ParseResult(entries=tuple(entries), problems=tuple(problems), version=version,
                       page_url=page_url, name=page_title(text))


def page_title(text: str) -> str:
    """The front-matter `title` (the glossary's display name by default); "" without one."""
    title = parse_front_matter(text).get("title")
    return str(title).strip() if isinstance(title, (str, int, float)) else ""
