"""`.harvester-glossary.yaml` and editor settings: one schema, layered, with defaults.

The same keys come from the config file, LSP initialization options and `workspace/configuration`
(section `harvesterGlossary`). Unset fields stay None so layers can be merged: the file wins for
what it sets. A broken file yields problems and no config, never an exception.
"""

from __future__ import annotations

import os
from collections.abc import Mapping as AbcMapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from harvester_glossary_ls.engine.files import UnreadableFile, read_text_file
from harvester_glossary_ls.engine.models import CASINGS, Problem, Severity, Version, parse_version
from harvester_glossary_ls.engine.rule_codes import CODES, DEFAULT_SEVERITIES, RuleSettings
from harvester_glossary_ls.engine.yamlnodes import Mapping, Sequence, YamlError, load_yaml, plain

CONFIG_NAME = ".harvester-glossary.yaml"
KEYS = ("glossaries", "defaultGlossary", "glossaryVersion", "rules", "ignoreWords", "include",
        "exclude", "logLevel", "glossaryPage", "checkGenerated", "workspaceDiagnostics",
        "tbxLanguage")
_SOURCE_KEYS = ("path", "name", "casing")


@dataclass(frozen=True, slots=True)
class GlossarySource:
    """A glossary the config names: a path, and optionally its display name and casing."""

    path: Path
    name: str = ""
    """Shown in hovers and symbols instead of the source's own title ("" keeps that)."""
    casing: str = ""
    """strict, asserted or ignore for every entry, over the format's default ("" keeps that)."""


@dataclass(frozen=True, slots=True)
class Config:
    glossaries: tuple[GlossarySource, ...] | None = None
    default_glossary: bool | None = None
    """False: no shipped Harvester page or overlay, and no Harvester docs tree page either."""
    glossary_version: Version | None = None
    rules: tuple[tuple[str, Severity | None], ...] | None = None
    ignore_words: tuple[str, ...] | None = None
    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] | None = None
    log_level: str | None = None
    glossary_page: str | None = None
    """Where each version tree of a docs site keeps its glossary page (relative to the tree
    root), when the usual names (glossary.md, terminology.md, ...) do not find it."""
    check_generated: bool | None = None
    """True: pages marked `auto_generated: true` get findings too (by default they get none)."""
    workspace_diagnostics: bool | None = None
    """The language server's findings of files that are not open: None (the default) answers
    clients that pull them (workspace/diagnostic) and pushes nothing; True also pushes them to
    clients that do not pull; False does neither."""
    tbx_language: str | None = None
    """The language read from TBX glossaries ("en", the default, reads en, en-US, en-GB...)."""

    def over(self, lower: Config) -> Config:
        """This config layered over `lower`: each field this one sets wins (`rules` per rule)."""
        changes = {f.name: getattr(self, f.name) for f in fields(self)
                   if getattr(self, f.name) is not None}
        if self.rules is not None and lower.rules is not None:
            changes["rules"] = tuple({**dict(lower.rules), **dict(self.rules)}.items())
        return replace(lower, **changes)

    def rule_settings(self) -> RuleSettings:
        severities: dict[str, Severity | None] = dict(DEFAULT_SEVERITIES)
        severities.update(dict(self.rules or ()))
        words = frozenset(w.casefold() for w in self.ignore_words or ())
        return RuleSettings(severities, words, check_generated=bool(self.check_generated))


def _strings(value: object, key: str, problems: list[str]) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    items = value.values if isinstance(value, Sequence) else value
    if isinstance(items, (list, tuple)) and all(isinstance(v, str) for v in items):
        return tuple(str(v) for v in items)
    problems.append(f"'{key}' must be a list of strings")
    return None


def _as_mapping(data: object) -> AbcMapping[str, object] | None:
    """Editor settings arrive as plain data, a config file as composed YAML."""
    if isinstance(data, Mapping):
        return {k: plain(v) for k, v, _ in data.items}
    if isinstance(data, AbcMapping):
        return data
    return None


def _glossary_path(text: str, base_dir: Path | None) -> Path:
    path = Path(text)
    # normpath: "a/../b" would be a second name for a file
    return Path(os.path.normpath(base_dir / path if base_dir and not path.is_absolute() else path))


def _glossary_source(item: object, base_dir: Path | None,
                     problems: list[str]) -> GlossarySource | None:
    """A `glossaries` item: a path, or a mapping with `path` and optional `name` and `casing`."""
    if isinstance(item, str):
        return GlossarySource(_glossary_path(item, base_dir))
    if not isinstance(item, AbcMapping):
        problems.append("'glossaries' items must be paths or mappings with 'path'")
        return None
    for key in item:
        if key not in _SOURCE_KEYS:
            problems.append(f"'glossaries' item: unknown key {key!r} (known: path, name, casing)")
    path, name, casing = (item.get(key) for key in _SOURCE_KEYS)
    if not isinstance(path, str) or not path.strip():
        problems.append("'glossaries' item needs 'path' (a file or folder)")
        return None
    if name is not None and not isinstance(name, str):
        problems.append("'glossaries' item: 'name' must be a string")
        name = None
    if casing is not None and casing not in CASINGS:
        problems.append(f"'glossaries' item: 'casing' must be strict, asserted or ignore, "
                        f"not {casing!r}")
        casing = None
    return GlossarySource(_glossary_path(path, base_dir), (name or "").strip(), casing or "")


def _glossary_sources(value: object, base_dir: Path | None,
                      problems: list[str]) -> tuple[GlossarySource, ...] | None:
    if value is None:
        return None
    items = value if isinstance(value, (list, tuple)) else [value]
    known = len(problems)
    sources = [_glossary_source(item, base_dir, problems) for item in items]
    if len(problems) > known:
        return None  # a value that does not validate: the last good one stays in force
    return tuple(source for source in sources if source is not None)


def _tree_path(value: object, key: str, problems: list[str]) -> str | None:
    """A path inside every version tree: relative, not climbing out of it."""
    if value is None:
        return None
    text = str(value).strip().replace("\\", "/") if isinstance(value, str) else ""
    if not text or text.startswith("/") or ".." in text.split("/"):
        problems.append(f"'{key}' must be a path relative to a version tree root, not {value!r}")
        return None
    return text


def _flag(value: object, key: str, problems: list[str]) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    problems.append(f"'{key}' must be true or false, not {value!r}")
    return None


def _language(value: object, problems: list[str]) -> str | None:
    if value is None:
        return None
    from harvester_glossary_ls.engine.parsers.tbx import is_language_tag  # the XML parser: rare

    if isinstance(value, str) and is_language_tag(value.strip()):
        return value.strip()
    problems.append(f"'tbxLanguage' must be a language tag such as en or en-GB, not {value!r}")
    return None


def _version(value: object, problems: list[str]) -> Version | None:
    if value is None:
        return None
    version = parse_version(str(value))
    if version is None:
        problems.append(f"'glossaryVersion' must look like v1.7, not {value!r}")
    return version


def _severity(code: str, level: object, problems: list[str]) -> tuple[str, Severity | None] | None:
    if code not in CODES:
        problems.append(f"unknown rule '{code}' (known: {', '.join(CODES)})")
        return None
    if level is False or str(level).lower() in ("off", "none", "false"):
        return code, None
    if (severity := Severity.parse(str(level))) is not None:
        return code, severity
    problems.append(f"rule '{code}': severity must be error, warning, information, hint or off, "
                    f"not {level!r}")
    return None


def _rules(value: object, problems: list[str]) -> tuple[tuple[str, Severity | None], ...] | None:
    if value is None:
        return None
    if not isinstance(value, AbcMapping):
        problems.append("'rules' must map rule codes to a severity or off")
        return None
    parsed = (_severity(code, level, problems) for code, level in value.items())
    return tuple(rule for rule in parsed if rule is not None)


def config_from_mapping(data: object, base_dir: Path | None) -> tuple[Config, list[str]]:
    """Build a Config from plain data (editor settings) or composed YAML; list what is wrong."""
    problems: list[str] = []
    if data is None:
        return Config(), problems
    get = _as_mapping(data)
    if get is None:
        return Config(), ["settings must be a mapping"]
    for key in get:
        if key not in KEYS:
            problems.append(f"unknown setting '{key}' (known: {', '.join(KEYS)})")
    log_level = get.get("logLevel")
    config = Config(
        glossaries=_glossary_sources(get.get("glossaries"), base_dir, problems),
        default_glossary=_flag(get.get("defaultGlossary"), "defaultGlossary", problems),
        glossary_version=_version(get.get("glossaryVersion"), problems),
        rules=_rules(get.get("rules"), problems),
        ignore_words=_strings(get.get("ignoreWords"), "ignoreWords", problems),
        include=_strings(get.get("include"), "include", problems),
        exclude=_strings(get.get("exclude"), "exclude", problems),
        log_level=str(log_level) if isinstance(log_level, str) else None,
        glossary_page=_tree_path(get.get("glossaryPage"), "glossaryPage", problems),
        check_generated=_flag(get.get("checkGenerated"), "checkGenerated", problems),
        workspace_diagnostics=_flag(get.get("workspaceDiagnostics"), "workspaceDiagnostics",
                                    problems),
        tbx_language=_language(get.get("tbxLanguage"), problems),
    )
    return config, problems


def parse_config(text: str, path: Path) -> tuple[Config | None, list[Problem]]:
    """Parse a config file's text; None when it cannot be used at all."""
    try:
        data = load_yaml(text)
    except YamlError as error:
        return None, [Problem(str(path), str(error), error.line)]
    if data is None:
        return Config(), []
    if not isinstance(data, Mapping):
        return None, [Problem(str(path), "the config must be a mapping of settings")]
    config, messages = config_from_mapping(data, path.parent)
    problems = []
    for message in messages:
        key = message.split("'")[1] if "'" in message else ""
        problems.append(Problem(str(path), message, data.line_of(key) if key else 0))
    return config, problems


def load_config_file(path: Path) -> tuple[Config | None, list[Problem]]:
    """Read and parse a config file; I/O problems become Problems too."""
    try:
        text = read_text_file(path)
    except UnreadableFile as error:
        return None, [Problem(str(path), f"cannot read config: {error.reason}", error.line)]
    return parse_config(text, path)


def find_config(start: Path) -> Path | None:
    """The nearest config file in `start` or its parents."""
    for folder in [start, *start.parents]:
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None
