"""YAML prose scanner and rule matcher, line-based so it works on YAML that does not parse.

A third of real YAML blocks in the docs fail `yaml.safe_load` (kubectl prompts, `...` elisions,
`// comments`) and most Helm charts carry `{{ }}` templates, so this walks lines with an
indent
stack instead: comments and string values are prose; keys, anchors, tags and templates are not;
`kind:`, key paths and labels that a YAML rule names become structural hits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from harvester_glossary_ls.engine.models import YamlRule
from harvester_glossary_ls.engine.scan import MASK, LineKind, ProseScan, StructuralHit
from harvester_glossary_ls.engine.text import LineIndex, lower_same_length

_KEY = re.compile(
    r"""(?P<key>"[^"\n]*"|'[^'\n]*'|[^\s#'"\-?:,\[\]{}&*!|>%@`][^#:\n]*?|-[^\s#:][^#:\n]*?)"""
    r"""[ \t]*:(?=[ \t]|$)"""
)
# Not prose: Helm/Jinja templates, and URLs in comments and values (as link targets in Markdown).
_NOT_PROSE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|(?:https?|ftp)://[^\s<>()\[\]`'\"]+")
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*\s*(#.*)?$")


@dataclass(slots=True)
class _Record:
    path: tuple[str, ...]
    key_start: int
    key_end: int
    value_start: int
    value_end: int
    value: str


def _comment_start(line: str) -> int:
    """Index of a `#` comment outside quotes, or -1."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'" and (i == 0 or line[i - 1] in " \t:-[{,"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return -1


def _value_span(line: str, start: int, end: int) -> tuple[int, int]:
    """Trim a scalar's span to its text, inside quotes when quoted."""
    while start < end and line[start] in " \t":
        start += 1
    while end > start and line[end - 1] in " \t":
        end -= 1
    if end - start >= 2 and line[start] in "\"'" and line[end - 1] == line[start]:
        return start + 1, end - 1
    return start, end


def scan_yaml(text: str, rules: Sequence[YamlRule] = ()) -> ProseScan:
    """Mask everything in YAML but comments and string values; find rule hits. Never raises."""
    lines = text.split("\n")
    out: list[str] = []
    kinds = bytearray()
    starts: list[int] = []
    stack: list[tuple[int, str]] = []
    block_indent = -1  # inside a block scalar when >= 0: lines indented deeper are prose
    block_parent = 0
    records: list[_Record] = []
    hits: list[StructuralHit] = []
    offset = 0
    for line in lines:
        stripped = line.lstrip(" \t")
        indent = len(line) - len(stripped)
        if block_indent >= 0:
            if not stripped or indent > block_parent:
                out.append(line)
                kinds.append(LineKind.VALUE if stripped else LineKind.BLANK)
                starts.append(indent)
                offset += len(line) + 1
                continue
            block_indent = -1
        masked = [MASK] * len(line)
        kind = LineKind.BLANK if not stripped else LineKind.OTHER
        prose_from = len(line)
        if stripped.startswith(("---", "...")) and indent == 0 and stripped[:3] in ("---", "..."):
            if rules:
                hits += _evaluate(records, rules, offset)
            records = []
            stack = []
        elif stripped and not stripped.startswith("%"):
            comment = _comment_start(line)
            content_end = comment if comment >= 0 else len(line)
            if comment >= 0:
                masked[comment + 1:] = line[comment + 1:]
                kind = LineKind.COMMENT
                prose_from = comment + 1
            pos = indent
            while line.startswith("- ", pos) or line[pos:content_end].rstrip() == "-":
                pos += 2
                while pos < content_end and line[pos] == " ":
                    pos += 1
            match = _KEY.match(line, pos, content_end)
            if match is not None and pos < content_end:
                key = match.group("key").strip().strip("\"'")
                while stack and stack[-1][0] >= pos:
                    stack.pop()
                path = (*(k for _, k in stack), key)
                stack.append((pos, key))
                value_from = match.end()
                v_start, v_end = _value_span(line, value_from, content_end)
                value = line[v_start:v_end]
                records.append(_Record(path, offset + match.start("key"),
                                       offset + match.start("key") + len(match.group("key")),
                                       offset + v_start, offset + v_end, value))
                if _BLOCK_SCALAR.match(line[value_from:].strip()):
                    block_indent = pos
                    block_parent = pos
                elif v_end > v_start and (not value.startswith(("&", "*", "!", "{", "["))
                                          or value.startswith("{{")):  # a Helm template
                    masked[v_start:v_end] = line[v_start:v_end]
                    kind = LineKind.VALUE if kind != LineKind.COMMENT else kind
                    prose_from = min(prose_from, v_start)
            elif pos < content_end:
                v_start, v_end = _value_span(line, pos, content_end)
                if v_end > v_start and (line[v_start] not in "&*!{[|>"
                                        or line.startswith("{{", v_start)):
                    masked[v_start:v_end] = line[v_start:v_end]
                    kind = LineKind.VALUE if kind != LineKind.COMMENT else kind
                    prose_from = min(prose_from, v_start)
        out.append("".join(masked))
        kinds.append(kind)
        starts.append(prose_from)
        offset += len(line) + 1
    if rules:
        hits += _evaluate(records, rules, offset)
    masked_text = _NOT_PROSE.sub(lambda m: MASK * len(m.group(0)), "\n".join(out))
    return ProseScan(
        match_text=lower_same_length(masked_text),
        lines=LineIndex.of(text),
        kinds=bytes(kinds),
        prose_starts=tuple(starts),
        structural=tuple(hits),
    )


@lru_cache(maxsize=256)
def _key_parts(key_path: str) -> tuple[str, ...]:
    return tuple(part for part in key_path.replace("[]", "").split(".") if part)


def _path_ends_with(path: tuple[str, ...], key_path: str) -> bool:
    wanted = _key_parts(key_path)
    return path[-1] == wanted[-1] and path[len(path) - len(wanted):] == wanted if wanted else False


MAX_PATTERN_VALUE = 1000
"""Longer values are never matched against a rule's pattern (names and labels are short)."""


def _search(pattern: str, value: str) -> bool:
    return len(value) <= MAX_PATTERN_VALUE and re.search(pattern, value) is not None


def _evaluate(records: list[_Record], rules: Sequence[YamlRule], _end: int) -> list[StructuralHit]:
    """Apply the YAML rules to one document's key records."""
    kind_record = next((r for r in records if r.path == ("kind",)), None)
    kind = kind_record.value if kind_record else ""
    name_record = next((r for r in records if r.path == ("metadata", "name")), None)
    hits: list[StructuralHit] = []
    for rule in rules:
        if rule.kinds and rule.match in ("kind", "kind+name") and kind not in rule.kinds:
            continue
        if rule.match == "kind" and kind_record is not None:
            hits.append(StructuralHit(kind_record.value_start, kind_record.value_end, rule))
        elif rule.match == "kind+name" and name_record is not None:
            if _search(rule.value_pattern or ".", name_record.value):
                hits.append(StructuralHit(name_record.value_start, name_record.value_end, rule))
        elif rule.match == "key":
            if rule.kinds and kind and kind not in rule.kinds:
                continue
            for record in records:
                if _path_ends_with(record.path, rule.key_path) and (
                        not rule.value_pattern or _search(rule.value_pattern, record.value)):
                    hits.append(StructuralHit(record.key_start, record.key_end, rule))
        elif rule.match == "label":
            for record in records:
                if len(record.path) >= 2 and record.path[-1] == rule.label and record.path[-2] in (
                        "labels", "annotations"):
                    if not rule.value_pattern:
                        hits.append(StructuralHit(record.key_start, record.key_end, rule))
                    elif len(record.value) <= MAX_PATTERN_VALUE and re.fullmatch(
                            rule.value_pattern, record.value):
                        hits.append(StructuralHit(record.value_start, record.value_end, rule))
    return hits
