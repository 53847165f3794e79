"""Entries as people read them: Markdown for hovers and completion docs, plain text for a terminal.

Definitions come from files anyone can edit, so the Markdown is made inert: raw HTML is escaped
and only http(s) and mailto links survive (no `command:` links an editor would execute).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import replace

from harvester_glossary_ls.engine.markdown_links import InlineLink, replace_links
from harvester_glossary_ls.engine.models import Deprecation, Entry, Occurrence, format_version

_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_KEPT_URL = re.compile(r"(?:https?://|mailto:)[^\s()<>\[\]\\`]*", re.IGNORECASE)
"""A link kept in a hover: a safe scheme and no character that could end or nest it."""
_KEPT = re.compile("\ue000(\\d+)\ue001")
_BRACKET = re.compile(r"(\\*)([\[\]])")
_PLAIN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def _no_brackets(text: str) -> str:
    """Every bracket escaped: one backslash more where an even number (none) precedes it."""
    return _BRACKET.sub(lambda m: m.group(1) + "\\" * (len(m.group(1)) % 2 == 0) + m.group(2),
                        text)


def safe_markdown(markdown: str) -> str:
    """Escape HTML, keep inline http(s) and mailto links, and turn every other bracket into a
    literal one, so no link of any other kind (inline, reference, nested, an image) can form:
    no `command:` link an editor would execute, no tracking image."""
    escaped = markdown.replace("<", "&lt;").replace(">", "&gt;")
    kept: list[str] = []

    def keep(link: InlineLink) -> str:
        if not link.image and _KEPT_URL.fullmatch(link.destination):
            kept.append(f"[{_no_brackets(link.text)}]({link.destination})")
            return f"\ue000{len(kept) - 1}\ue001"
        return _no_brackets(link.text)

    inert = _no_brackets(replace_links(escaped.replace("\ue000", ""), keep))
    return _KEPT.sub(lambda match: kept[int(match.group(1))], inert)


def plain_markdown(text: str) -> str:
    """A term, alias or wording shown as it is: no emphasis, link or HTML of its own."""
    return _PLAIN_SPECIAL.sub(r"\\\1", " ".join(text.split())).replace("<", "&lt;").replace(
        ">", "&gt;")


def _deprecation_line(dep: Deprecation) -> str:
    shown = replace(dep, form=plain_markdown(dep.form), note=plain_markdown(dep.note),
                    use=tuple(plain_markdown(u) for u in dep.use))
    return f"⚠️ *{shown.form}* is deprecated" + shown.advice(lambda use: f"**{use}**") + "."


def hover_markdown(entry: Entry, occurrence: Occurrence | None = None) -> str:
    """Term, aliases, deprecation, definition with absolute links, and the glossary link
    (named after the entry's glossary: a second site's entry must not say "Harvester")."""
    parts = [f"**{plain_markdown(entry.term)}**"]
    if entry.aliases:
        parts.append("Also: " + ", ".join(f"*{plain_markdown(a)}*" for a in entry.aliases))
    if occurrence is not None and occurrence.deprecation is not None:
        parts.append(_deprecation_line(occurrence.deprecation))
    if occurrence is not None and occurrence.rule is not None:
        shown = " ".join(occurrence.text.replace("`", "'").split())  # a code span: inert
        parts.append(f"YAML `{shown}` ({plain_markdown(occurrence.rule.match)} rule) maps to "
                     "this term.")
    if entry.definition:
        parts.append(safe_markdown(entry.definition))
    else:
        parts.append("*No definition in the glossary.*")
    if entry.url.startswith(_SAFE_SCHEMES):
        parts.append(f"[Open in {glossary_name(entry)}]({entry.url})")
    elif entry.glossary:
        parts.append(f"From {glossary_name(entry)}.")
    return "\n\n".join(parts)


def terminal_text(entry: Entry, width: int = 88) -> str:
    """An entry for `harvester-glossary-ls define`: definition, aliases, links, deprecations."""
    lines = [entry.term]
    if entry.aliases:
        lines.append("  also: " + ", ".join(entry.aliases))
    definition = replace_links(entry.definition, lambda link: link.text)
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
    if entry.glossary:
        lines.append(f"  from: {entry.glossary}")
    if entry.url:
        lines.append(f"  glossary: {entry.url}")
    return "\n".join(lines)


def glossary_name(entry: Entry) -> str:
    """The entry's glossary as a hover names it: its display name, as Markdown text."""
    return plain_markdown(entry.glossary) if entry.glossary else "the glossary"
