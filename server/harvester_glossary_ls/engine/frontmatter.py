"""The one front-matter splitter and loader: a leading `---` block, read as budgeted YAML.

Docs pages, glossary pages and Hugo term pages open with YAML front matter. It is split here
and loaded only through `yamlnodes.load_yaml`, whose node budget stops an alias bomb
("billion laughs") in a page anyone can edit; `yaml.safe_load` has no such budget.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from harvester_glossary_ls.engine.files import UnreadableFile, read_text_file
from harvester_glossary_ls.engine.yamlnodes import Mapping, YamlError, load_yaml, plain

_CLOSERS = ("---", "...")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """A page split at its front matter: the YAML between the fences and the body after."""

    yaml: str
    body: str
    body_line: int
    """0-based line where the body starts (after the closing fence)."""


def split_front_matter(text: str) -> FrontMatter | None:
    """The front matter of `text`, or None when it does not open with a closed `---` block."""
    lines = text.removeprefix("\ufeff").split("\n")
    if lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _CLOSERS:
            return FrontMatter("\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 1)
    return None


def front_matter_values(front: FrontMatter) -> dict[str, object] | None:
    """The front matter as plain values; None when it is not a mapping.

    Raises YamlError (its line counted in the whole page) for broken YAML or an alias bomb.
    """
    try:
        data = load_yaml(front.yaml)
    except YamlError as error:
        raise YamlError(str(error), error.line + 1) from None  # +1: the opening `---`
    if not isinstance(data, Mapping):
        return None
    return {key: plain(value) for key, value, _ in data.items}


def parse_front_matter(text: str) -> dict[str, object]:
    """The front matter of Markdown text as a dict; {} when absent or broken (never raises)."""
    return _front_matter_of_text(text)[0]


def _front_matter_of_text(text: str) -> tuple[dict[str, object], str]:
    front = split_front_matter(text)
    if front is None:
        return {}, ""
    try:
        values = front_matter_values(front)
    except YamlError as error:
        return {}, str(error)
    return values or {}, ""


@functools.lru_cache(maxsize=1024)
def _read_cached(path: Path) -> tuple[tuple[tuple[str, object], ...], str]:
    try:
        text = read_text_file(path)
    except UnreadableFile:
        return (), ""
    values, problem = _front_matter_of_text(text)
    return tuple(values.items()), problem


def read_front_matter(path: Path) -> dict[str, object]:
    """Front matter of the Markdown file at `path`, cached per path; {} on any problem.

    The cache holds a tuple so callers get a fresh dict they may modify without poisoning it.
    """
    return dict(_read_cached(path)[0])


def front_matter_problem(path: Path) -> str:
    """Why the front matter of the file at `path` cannot be used ("" when it can or is absent)."""
    return _read_cached(path)[1]
