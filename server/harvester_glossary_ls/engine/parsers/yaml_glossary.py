"""Our own YAML glossary format (documented in the README): entries, deprecations, YAML rules.

It serves project glossaries and the overlay shipped beside the Harvester page. Every field is
checked; a bad field becomes a Problem with its line and the rest of the file still loads.
"""

from __future__ import annotations

import re

from harvester_glossary_ls.engine.models import (
    CASINGS,
    Deprecation,
    Entry,
    Link,
    ParseResult,
    Problem,
    SourceLocation,
    Version,
    YamlRule,
    parse_version,
)
from harvester_glossary_ls.engine.yamlnodes import Mapping, Sequence, YamlError, load_yaml

RULE_MATCHES = ("kind", "kind+name", "key", "label")


class _Reader:
    """Collects problems while reading typed fields out of composed YAML."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, message: str, line: int) -> None:
        self.problems.append(Problem(self.path, message, line))

    def text(self, node: Mapping, key: str, *, required: bool = False) -> str:
        value = node.get(key)
        if value is None:
            if required:
                self.problem(f"missing required field '{key}'", node.line)
            return ""
        if isinstance(value, (Mapping, Sequence)):
            self.problem(f"'{key}' must be a string", node.line_of(key))
            return ""
        return str(value).strip() if not isinstance(value, bool) else str(value).lower()

    def texts(self, node: Mapping, key: str) -> tuple[str, ...]:
        """A string or a list of strings."""
        value = node.get(key)
        if value is None:
            return ()
        if isinstance(value, Sequence):
            out = []
            for item, line in zip(value.values, value.lines, strict=True):
                if isinstance(item, (Mapping, Sequence)) or item is None:
                    self.problem(f"'{key}' items must be strings", line)
                else:
                    out.append(str(item).strip())
            return tuple(s for s in out if s)
        if isinstance(value, Mapping):
            self.problem(f"'{key}' must be a string or a list of strings", node.line_of(key))
            return ()
        return (str(value).strip(),)

    def version(self, node: Mapping, key: str) -> Version | None:
        raw = self.text(node, key)
        if not raw:
            return None
        parsed = parse_version(raw)
        if parsed is None:
            self.problem(f"'{key}' is not a version like v1.7: {raw!r}", node.line_of(key))
        return parsed

    def flag(self, node: Mapping, key: str, default: bool) -> bool:
        value = node.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        self.problem(f"'{key}' must be true or false", node.line_of(key))
        return default

    def mappings(self, node: Mapping, key: str) -> list[Mapping]:
        value = node.get(key)
        if value is None:
            return []
        if not isinstance(value, Sequence):
            self.problem(f"'{key}' must be a list", node.line_of(key))
            return []
        out = []
        for item, line in zip(value.values, value.lines, strict=True):
            if isinstance(item, Mapping):
                out.append(item)
            else:
                self.problem(f"each item of '{key}' must be a mapping", line)
        return out


def _deprecation(reader: _Reader, node: Mapping, form: str) -> Deprecation | None:
    use = reader.texts(node, "use")
    if not form:
        reader.problem("a deprecated form needs 'form'", node.line)
        return None
    if not use:
        reader.problem(f"deprecated form '{form}' needs 'use' (the wording to use instead)",
                       node.line)
    return Deprecation(
        form=form,
        use=use,
        since=reader.version(node, "since"),
        source=reader.text(node, "source"),
        note=reader.text(node, "note"),
        autofix=reader.flag(node, "autofix", True),
    )


def _entry(reader: _Reader, node: Mapping, default_casing: str) -> Entry | None:
    term = reader.text(node, "term", required=True)
    if not term:
        return None
    deprecations = []
    for dep in reader.mappings(node, "deprecated"):
        parsed = _deprecation(reader, dep, reader.text(dep, "form"))  # reports a missing form
        if parsed is not None:
            deprecations.append(parsed)
    links = []
    for link in reader.mappings(node, "links"):
        url = reader.text(link, "url", required=True)
        if url:
            links.append(Link(reader.text(link, "text") or url, url, url))
    casing = reader.text(node, "casing") or default_casing
    if casing not in CASINGS:
        reader.problem(f"'casing' must be strict, asserted or ignore, not {casing!r}",
                       node.line_of("casing"))
        casing = default_casing
    return Entry(
        term=term,
        aliases=reader.texts(node, "aliases"),
        definition=reader.text(node, "definition"),
        links=tuple(links),
        deprecations=tuple(deprecations),
        source=SourceLocation(reader.path, node.line),
        url=reader.text(node, "url"),
        casing=casing,
    )


def pattern_problem(pattern: str) -> str | None:
    """Why a rule's name/value regular expression cannot be used, or None.

    Patterns come from files anyone can edit and run on every YAML value: they must compile,
    and may repeat without bound only once and never a group, so no pattern backtracks
    exponentially (`(a+)+`, `(a|aa)*`) or polynomially (`.*.*.*x`) on a long value.
    """
    try:
        re.compile(pattern)
    except re.error as error:
        return f"is not a valid regular expression ({error})"
    unbounded = 0
    index = 0
    in_class = False
    while index < len(pattern):
        ch = pattern[index]
        if ch == "\\":
            index += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[index + 1:index + 2] == "]":
                index += 1
        elif ch in "*+" or (ch == "{" and re.match(r"\{\d*,\}", pattern[index:])):
            unbounded += 1
            if index > 0 and pattern[index - 1] == ")" and pattern[index - 2:index] != "\\)":
                return "repeats a group without bound (it could take exponential time)"
        index += 1
    if unbounded > 1:
        return "repeats without bound more than once (it could take exponential time)"
    return None


def _rule(reader: _Reader, node: Mapping) -> YamlRule | None:
    match = reader.text(node, "match", required=True)
    term = reader.text(node, "term", required=True)
    if match and match not in RULE_MATCHES:
        reader.problem(f"'match' must be one of {', '.join(RULE_MATCHES)}", node.line_of("match"))
        return None
    if not match or not term:
        return None
    deprecation = None
    dep_node = node.get("deprecated")
    if isinstance(dep_node, Mapping):
        form = reader.text(dep_node, "form") or reader.text(node, "kind") or reader.text(
            node, "key")
        deprecation = _deprecation(reader, dep_node, form)
    elif dep_node is not None:
        reader.problem("'deprecated' must be a mapping", node.line_of("deprecated"))
    kinds = reader.texts(node, "kind")
    key_path = reader.text(node, "key")
    label = reader.text(node, "label")
    if match in ("kind", "kind+name") and not kinds:
        reader.problem(f"a '{match}' rule needs 'kind'", node.line)
    if match == "key" and not key_path:
        reader.problem("a 'key' rule needs 'key'", node.line)
    if match == "label" and not label:
        reader.problem("a 'label' rule needs 'label'", node.line)
    field = "name" if reader.text(node, "name") else "value"
    pattern = reader.text(node, field)
    if pattern and (trouble := pattern_problem(pattern)) is not None:
        reader.problem(f"'{field}' {trouble}; the rule is ignored", node.line_of(field))
        return None
    return YamlRule(
        match=match,
        term=term,
        kinds=kinds,
        key_path=key_path,
        label=label,
        value_pattern=pattern,
        deprecation=deprecation,
        api_group=reader.text(node, "api_group"),
    )


def parse_yaml_glossary(text: str, path: str, *, casing: str = "strict") -> ParseResult:
    """Parse our YAML glossary format; problems instead of exceptions.

    `casing` is what an entry without its own `casing:` gets: "strict" (the format's default:
    terms here are typed deliberately) unless the config sets one for the whole glossary.
    """
    reader = _Reader(path)
    try:
        root = load_yaml(text)
    except YamlError as error:
        return ParseResult(problems=(Problem(path, str(error), error.line),))
    if root is None:
        return ParseResult(problems=(Problem(path, "empty glossary file"),))
    if not isinstance(root, Mapping):
        return ParseResult(problems=(Problem(path, "a glossary file must be a mapping with "
                                             "'entries'"),))
    for key in root.keys():  # noqa: SIM118 (a YAML node, not a dict)
        if key not in ("entries", "yaml_rules", "version", "page_url", "format", "name"):
            reader.problem(f"unknown top-level field '{key}'", root.line_of(key))
    entries = []
    seen: dict[str, int] = {}
    for node in reader.mappings(root, "entries"):
        entry = _entry(reader, node, casing)
        if entry is None:
            continue
        for name in entry.names:
            key = name.casefold()
            if key in seen:
                reader.problem(f"'{name}' is defined twice (first on line {seen[key] + 1})",
                               node.line)
            seen.setdefault(key, node.line)
        entries.append(entry)
    rules = [r for n in reader.mappings(root, "yaml_rules") if (r := _rule(reader, n))]
    if not entries and not rules:
        reader.problem("no entries found", root.line)
    version = reader.version(root, "version")  # before `problems` is copied: it may add one
    page_url = reader.text(root, "page_url")
    name = reader.text(root, "name")
    return ParseResult(
        entries=tuple(entries),
        problems=tuple(reader.problems),
        yaml_rules=tuple(rules),
        version=version,
        page_url=page_url,
        name=name,
    )
