"""Entries as people read them: Markdown for hovers and completion docs, plain text for a terminal.

Definitions come from files anyone can edit, so the Markdown is made inert: raw HTML is escaped
and only http(s) and mailto links survive (no `command:` links an editor would execute).
"""

from __future__ import annotations

import re
import textwrap

from harvester_glossary_ls.engine.models import Deprecation, Entry, Occurrence, format_version

_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]*)((?:\s+\"[^\"]*\")?)\)")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def safe_markdown(markdown: str) -> str:
    """Escape HTML and drop the target of any link that is not http(s) or mailto."""
    escaped = markdown.replace("<", "&lt;").replace(">", "&gt;") if "<" in markdown else markdown

    def keep(match: re.Match[str]) -> str:
        bang, text, url, title = match.groups()
        if url.lower().startswith(_SAFE_SCHEMES) and not bang:
            return f"[{text}]({url}{title})"
        return text

    return _LINK.sub(keep, escaped)


def _deprecation_line(dep: Deprecation) -> str:
    return f"⚠️ *{dep.form}* is deprecated" + dep.advice(lambda use: f"**{use}**") + "."


def hover_markdown(entry: Entry, occurrence: Occurrence | None = None) -> str:
    """Term, aliases, deprecation, definition with absolute links, and the glossary link."""
    parts = [f"**{entry.term}**"]
    if entry.aliases:
        parts.append("Also: " + ", ".join(f"*{a}*" for a in entry.aliases))
    if occurrence is not None and occurrence.deprecation is not None:
        parts.append(_deprecation_line(occurrence.deprecation))
    if occurrence is not None and occurrence.rule is not None:
        parts.append(f"YAML `{occurrence.text}` ({occurrence.rule.match} rule) maps to this term.")
    if entry.definition:
        parts.append(safe_markdown(entry.definition))
    else:
        parts.append("*No definition in the glossary.*")
    if entry.url.startswith(_SAFE_SCHEMES):
        parts.append(f"[Open in the Harvester glossary]({entry.url})")
    return "\n\n".join(parts)


def completion_markdown(entry: Entry) -> str:
    return hover_markdown(entry)


def terminal_text(entry: Entry, width: int = 88) -> str:
    """An entry for `harvester-glossary-ls define`: definition, aliases, links, deprecations."""
    lines = [entry.term]
    if entry.aliases:
        lines.append("  also: " + ", ".join(entry.aliases))
    definition = _LINK.sub(lambda m: m.group(2), entry.definition)
    for paragraph in definition.split("\n\n"):
        lines.append("")
        lines += textwrap.wrap(" ".join(paragraph.split()), width, initial_indent="  ",
                               subsequent_indent="  ")
    for dep in entry.deprecations:
        since = f" since {format_version(dep.since)}" if dep.since else ""
        lines.append("")
        lines.append(f"  deprecated{since}: {dep.form} -> " + " or ".join(dep.use))
    if entry.links:
        lines.append("")
        lines += [f"  link: {link.text}: {link.url}" for link in entry.links]
    if entry.url:
        lines.append(f"  glossary: {entry.url}")
    return "\n".join(lines)
