"""Safe YAML loading that keeps line numbers and refuses alias bombs.

Glossaries and configs are user files: they are composed with the safe loader (no object
construction) and converted by hand so every value keeps its line for diagnostics, and so that a
"billion laughs" document stops at a node budget instead of eating memory.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    import yaml
# PyYAML is imported on first use, not with this module: a `check --cache` run that parses no
# YAML (no config, no front matter to read) is spared its ~10 ms import.

MAX_NODES = 200_000
"""Node visits allowed per document: far above any real glossary, far below an alias bomb."""

Value = Union[str, int, float, bool, None, "Mapping", "Sequence"]


@dataclass(frozen=True, slots=True)
class Mapping:
    items: tuple[tuple[str, Value, int], ...]
    """(key, value, line of the key) in document order."""
    line: int

    def get(self, key: str) -> Value:
        for k, v, _ in self.items:
            if k == key:
                return v
        return None

    def line_of(self, key: str) -> int:
        for k, _, line in self.items:
            if k == key:
                return line
        return self.line

    def keys(self) -> list[str]:
        return [k for k, _, _ in self.items]


@dataclass(frozen=True, slots=True)
class Sequence:
    values: tuple[Value, ...]
    lines: tuple[int, ...]
    line: int


class YamlError(Exception):
    """A YAML file that cannot be used, with the 0-based line where that was found."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


_SCALAR_TAGS = {
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:float": float,
}


def _scalar(node: yaml.ScalarNode) -> Value:
    tag = node.tag
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return str(node.value).lower() in ("true", "yes", "on")
    convert = _SCALAR_TAGS.get(tag)
    if convert is not None:
        try:
            return convert(node.value)  # type: ignore[no-any-return]
        except ValueError:
            return str(node.value)
    return str(node.value)


@functools.cache
def _resolver() -> Any:
    import yaml

    return yaml.resolver.Resolver()


def plain_scalar(text: str) -> Value:
    """What the plain (unquoted) one-line scalar `text` loads as, by `load_yaml`'s own rules
    (YAML's implicit resolvers, then `_scalar`): "" and "null" are None, "yes" True, "12" 12,
    "2018-04-12" the string. For readers that take simple YAML shapes without composing."""
    import yaml

    tag = _resolver().resolve(yaml.ScalarNode, text, (True, False))
    return _scalar(yaml.ScalarNode(tag, text))


def _compose(text: str) -> yaml.Node | None:
    """The node graph of one document (aliases stay shared: nothing is expanded yet)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it
    try:
        return yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line if mark is not None else 0
        raise YamlError(f"invalid YAML: {error.problem or error}", line) from None
    except yaml.YAMLError as error:
        raise YamlError(f"invalid YAML: {error}") from None
    except UnicodeEncodeError as error:  # a lone surrogate: an editor can send it, not save it
        raise YamlError(f"invalid YAML: {error.reason}", text.count("\n", 0, error.start)
                        ) from None
    except RecursionError:  # the pure-Python composer recurses per nesting level
        raise YamlError("YAML nested too deeply") from None


def load_yaml(text: str) -> Value:
    """Compose and convert one YAML document; raise YamlError with a line on any problem."""
    import yaml

    node = _compose(text)
    if node is None:
        return None
    budget = [MAX_NODES]

    def convert(current: yaml.Node) -> Value:
        budget[0] -= 1
        if budget[0] < 0:
            raise YamlError("YAML too large or too deeply aliased (possible alias bomb)",
                            current.start_mark.line)
        if isinstance(current, yaml.ScalarNode):
            return _scalar(current)
        if isinstance(current, yaml.SequenceNode):
            values = tuple(convert(child) for child in current.value)
            lines = tuple(child.start_mark.line for child in current.value)
            return Sequence(values, lines, current.start_mark.line)
        if isinstance(current, yaml.MappingNode):
            items = []
            for key_node, value_node in current.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
                items.append((str(key), convert(value_node), key_node.start_mark.line))
            return Mapping(tuple(items), current.start_mark.line)
        return None

    try:
        return convert(node)
    except RecursionError:
        raise YamlError("YAML nested too deeply", node.start_mark.line) from None


def plain(value: Value) -> object:
    """A loaded value as plain dicts and lists, for callers that need no line numbers.

    Only call it on a value `load_yaml` returned: the node budget already bounds its size.
    """
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v, _ in value.items}
    if isinstance(value, Sequence):
        return [plain(v) for v in value.values]
    return value
