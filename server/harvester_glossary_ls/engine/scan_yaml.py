"""YAML prose scanner and rule matcher, line-based so it works on YAML that does not parse.

A third of real YAML blocks in the docs fail `yaml.safe_load` (kubectl prompts, `...` elisions,
`// comments`) and most Helm charts carry `{{ }}` templates, so this walks lines with an
indent stack instead: comments and string values are prose; keys, anchors, tags and templates are
not; `kind:`, key paths and labels that a YAML rule names become structural hits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from harvester_glossary_ls.engine.code_tokens import mask_code_tokens
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
SCRIPT_KEYS = frozenset({"script", "scripts", "before_script", "after_script", "command",
                         "commands", "args", "cmd", "run", "entrypoint", "shell"})
"""Keys whose values (a block scalar, a one-line value or sequence items) are a script or a
command line: code, not prose (a ConfigMap's `run.sh: |`, a container's `command:`, CI `run:`)."""
_SCRIPT_FILE = re.compile(
    r"\.(?:sh|bash|zsh|ksh|py|pl|rb|ps1|lua|js|ts|conf|cfg|ini|toml|json|ya?ml|env|service)$",
    re.IGNORECASE)
"""A key named like a file (`run.sh`, `config.yaml`): a ConfigMap or Secret entry holding one."""


def is_script_key(key: str) -> bool:
    """Whether a key's value is code: a script, a command line or a file's content."""
    return key.lower() in SCRIPT_KEYS or _SCRIPT_FILE.search(key) is not None


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


_NOT_A_KEY_VALUE = "&*!{["
_NOT_AN_ITEM = "&*!{[|>"


def _is_prose_value(line: str, start: int, end: int, indicators: str) -> bool:
    """A scalar worth matching: not empty and not starting with one of `indicators` (an anchor,
    alias, tag or flow collection; for a bare sequence item also `|`, `>`). A Helm template
    `{{ }}` is a value: the template itself is masked later."""
    return end > start and (line[start] not in indicators or line.startswith("{{", start))


class _YamlPass:
    """The line-by-line pass over one YAML text: one instance per text.

    Its state: the stack of open keys (indent, key) that gives each key its path; the records of
    the current YAML document (evaluated against the rules at `---` and at the end); the
    indent of the key whose block scalar (`|`, `>`) is open, None outside one; and whether that
    scalar is code (True), prose (False), or not known before its first line (None: a `#!`
    shebang there makes it code).
    """

    __slots__ = ("block_scalar_code", "block_scalar_parent", "hits", "kinds", "out", "records",
                 "rules", "stack", "starts")

    def __init__(self, rules: Sequence[YamlRule]) -> None:
        self.rules = rules
        self.out: list[str] = []
        self.kinds = bytearray()
        self.starts: list[int] = []
        self.stack: list[tuple[int, str]] = []
        self.block_scalar_parent: int | None = None
        self.block_scalar_code: bool | None = None
        self.records: list[_Record] = []
        self.hits: list[StructuralHit] = []

    def run(self, lines: list[str]) -> None:
        offset = 0
        for line in lines:
            stripped = line.lstrip(" \t")
            indent = len(line) - len(stripped)
            if not self._in_block_scalar(line, stripped, indent):
                self._node_line(line, stripped, indent, offset)
            offset += len(line) + 1
        self._end_document()

    def _emit(self, text: str, kind: LineKind, prose_from: int) -> None:
        self.out.append(text)
        self.kinds.append(kind)
        self.starts.append(prose_from)

    def _in_block_scalar(self, line: str, stripped: str, indent: int) -> bool:
        """Blank lines and lines deeper than the key are the scalar's text, all prose."""
        parent = self.block_scalar_parent
        if parent is None:
            return False
        if not stripped or indent > parent:
            code = self.block_scalar_code
            if code is None and stripped:
                code = self.block_scalar_code = stripped.startswith("#!")
            if code and stripped:
                self._emit(MASK * len(line), LineKind.OTHER, len(line))
            else:
                self._emit(line, LineKind.VALUE if stripped else LineKind.BLANK, indent)
            return True
        self.block_scalar_parent = None
        return False

    def _end_document(self) -> None:
        if self.rules:
            self.hits += _evaluate(self.records, self.rules)
        self.records = []
        self.stack = []

    def _node_line(self, line: str, stripped: str, indent: int, offset: int) -> None:
        """A line outside block scalars: a document marker, a directive, or keys and values."""
        masked = [MASK] * len(line)
        kind = LineKind.BLANK if not stripped else LineKind.OTHER
        prose_from = len(line)
        if indent == 0 and stripped[:3] in ("---", "..."):
            self._end_document()
        elif stripped and not stripped.startswith("%"):
            kind, prose_from = self._content(line, indent, offset, masked)
        self._emit("".join(masked), kind, prose_from)

    def _content(self, line: str, indent: int, offset: int,
                 masked: list[str]) -> tuple[LineKind, int]:
        """Unmask the comment and the string value of a line; record its key."""
        kind = LineKind.OTHER
        prose_from = len(line)
        comment = _comment_start(line)
        content_end = comment if comment >= 0 else len(line)
        if comment >= 0:
            masked[comment + 1:] = line[comment + 1:]
            kind = LineKind.COMMENT
            prose_from = comment + 1
        pos = _after_sequence_dashes(line, indent, content_end)
        if pos >= content_end:
            return kind, prose_from
        match = _KEY.match(line, pos, content_end)
        if match is not None:
            v_start, v_end = self._key(line, pos, offset, content_end, match)
            indicators = _NOT_A_KEY_VALUE
        else:
            v_start, v_end = self._item(line, indent, pos, content_end)
            indicators = _NOT_AN_ITEM
        if v_start < 0 or not _is_prose_value(line, v_start, v_end, indicators):
            return kind, prose_from
        masked[v_start:v_end] = line[v_start:v_end]
        return (LineKind.VALUE if kind != LineKind.COMMENT else kind), min(prose_from, v_start)

    def _key(self, line: str, pos: int, offset: int, content_end: int,
             match: re.Match[str]) -> tuple[int, int]:
        """Record a key with its path and value; the value's span, or (-1, -1) when it opens a
        block scalar (whose lines follow)."""
        key = match.group("key").strip().strip("\"'")
        stack = self.stack
        while stack and stack[-1][0] >= pos:
            stack.pop()
        path = (*(k for _, k in stack), key)
        stack.append((pos, key))
        value_from = match.end()
        v_start, v_end = _value_span(line, value_from, content_end)
        key_start = offset + match.start("key")
        self.records.append(_Record(path, key_start, key_start + len(match.group("key")),
                                    offset + v_start, offset + v_end, line[v_start:v_end]))
        script = is_script_key(key)
        if _BLOCK_SCALAR.match(line[value_from:].strip()):
            self._open_block_scalar(pos, script)
            return -1, -1
        return (-1, -1) if script else (v_start, v_end)

    def _item(self, line: str, indent: int, pos: int, content_end: int) -> tuple[int, int]:
        """A value without a key: a sequence item (`- text`, `- |`) or a plain line. An item of
        a script key's sequence (`command:`, `args:`) is code: (-1, -1)."""
        if pos == indent:
            return _value_span(line, pos, content_end)
        stack = self.stack
        while stack and stack[-1][0] > indent:  # an item at this indent closes deeper keys
            stack.pop()
        script = bool(stack) and is_script_key(stack[-1][1])
        if _BLOCK_SCALAR.match(line[pos:content_end].strip()):
            self._open_block_scalar(indent, script)
            return -1, -1
        return (-1, -1) if script else _value_span(line, pos, content_end)

    def _open_block_scalar(self, parent: int, script: bool) -> None:
        """Lines deeper than `parent` follow as the scalar's text; code under a script key,
        else decided by its first line."""
        self.block_scalar_parent = parent
        self.block_scalar_code = True if script else None


def _after_sequence_dashes(line: str, pos: int, content_end: int) -> int:
    """Skip `- ` sequence entry markers (`- - key: v` nests two)."""
    while line.startswith("- ", pos) or line[pos:content_end].rstrip() == "-":
        pos += 2
        while pos < content_end and line[pos] == " ":
            pos += 1
    return pos


def scan_yaml(text: str, rules: Sequence[YamlRule] = ()) -> ProseScan:
    """Mask everything in YAML but comments and string values; find rule hits. Never raises."""
    scanner = _YamlPass(rules)
    scanner.run(text.split("\n"))
    masked_text = _NOT_PROSE.sub(lambda m: MASK * len(m.group(0)), "\n".join(scanner.out))
    masked_text = mask_code_tokens(masked_text)
    return ProseScan(
        match_text=lower_same_length(masked_text),
        lines=LineIndex.of(text),
        kinds=bytes(scanner.kinds),
        prose_starts=tuple(scanner.starts),
        structural=tuple(scanner.hits),
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


@dataclass(frozen=True, slots=True)
class _Document:
    """One YAML document's key records, with its `kind` and `metadata.name` looked up once."""

    records: list[_Record]
    kind_record: _Record | None
    kind: str
    name_record: _Record | None

    @classmethod
    def of(cls, records: list[_Record]) -> _Document:
        kind_record = next((r for r in records if r.path == ("kind",)), None)
        name_record = next((r for r in records if r.path == ("metadata", "name")), None)
        return cls(records, kind_record, kind_record.value if kind_record else "", name_record)


def _kind_hits(rule: YamlRule, doc: _Document) -> list[StructuralHit]:
    """`match: kind`: the kind's value."""
    record = doc.kind_record
    if record is None or (rule.kinds and doc.kind not in rule.kinds):
        return []
    return [StructuralHit(record.value_start, record.value_end, rule)]


def _kind_name_hits(rule: YamlRule, doc: _Document) -> list[StructuralHit]:
    """`match: kind+name`: the name of an object of that kind, when it fits the pattern."""
    record = doc.name_record
    if record is None or (rule.kinds and doc.kind not in rule.kinds):
        return []
    if not _search(rule.value_pattern or ".", record.value):
        return []
    return [StructuralHit(record.value_start, record.value_end, rule)]


def _key_hits(rule: YamlRule, doc: _Document) -> list[StructuralHit]:
    """`match: key`: every key at that path (in the given kinds; any kind when there is none)."""
    if rule.kinds and doc.kind and doc.kind not in rule.kinds:
        return []
    return [StructuralHit(record.key_start, record.key_end, rule) for record in doc.records
            if _path_ends_with(record.path, rule.key_path) and (
                not rule.value_pattern or _search(rule.value_pattern, record.value))]


def _label_hits(rule: YamlRule, doc: _Document) -> list[StructuralHit]:
    """`match: label`: a label or annotation key, or its value when a pattern is given."""
    hits: list[StructuralHit] = []
    for record in doc.records:
        path = record.path
        if len(path) < 2 or path[-1] != rule.label or path[-2] not in ("labels", "annotations"):
            continue
        if not rule.value_pattern:
            hits.append(StructuralHit(record.key_start, record.key_end, rule))
        elif len(record.value) <= MAX_PATTERN_VALUE and re.fullmatch(
                rule.value_pattern, record.value):
            hits.append(StructuralHit(record.value_start, record.value_end, rule))
    return hits


_MATCHERS: dict[str, Callable[[YamlRule, _Document], list[StructuralHit]]] = {
    "kind": _kind_hits,
    "kind+name": _kind_name_hits,
    "key": _key_hits,
    "label": _label_hits,
}


def _evaluate(records: list[_Record], rules: Sequence[YamlRule]) -> list[StructuralHit]:
    """Apply the YAML rules to one document's key records, in rule order."""
    doc = _Document.of(records)
    hits: list[StructuralHit] = []
    for rule in rules:
        matcher = _MATCHERS.get(rule.match)
        if matcher is not None:
            hits += matcher(rule, doc)
    return hits
