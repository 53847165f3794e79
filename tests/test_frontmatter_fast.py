"""The front-matter fast path reads exactly what the budgeted YAML loader reads, or declines.

`frontmatter._simple_values` takes flat front matter (`key: value`, `key: >` blocks, `key:`
with `- item` lines) without composing YAML (issue 10, item 4). On every generated front matter
it either returns None (and `load_yaml` reads it) or the very values `load_yaml` gives: a
differential test over pieces chosen to hit YAML's corners (implicit types, indicators, quotes,
comments, block-scalar indentation and chomping, YAML line breaks other than `\\n`).
"""

from __future__ import annotations

import random

import pytest

from harvester_glossary_ls.engine.frontmatter import (
    FrontMatter,
    _simple_values,
    front_matter_values,
    split_front_matter,
)
from harvester_glossary_ls.engine.yamlnodes import Mapping, YamlError, load_yaml, plain
from tests.glossary_testkit import SHARED

SCALARS = ("Pod", "Container Runtime Interface (CRI)", "cgroup (control group)", "yes", "No",
           "on", "OFF", "~", "null", "NULL", "True", "12", "012", "0x1F", "0o17", "1_000",
           "-1", "+3", "1.5", ".5", "1e3", "1.0e+3", ".inf", ".NaN", "190:20:30", "2018-04-12",
           "2018-04-12 10:00:00", "a: b", "a #b", "C#", "a:", "foo:bar", "'q'", "\"q\"",
           "it's", "say \"hi\"", "{x}", "[x]", "x]", "x, y", "@x", "`x`", "%x", "-x", "- x",
           "?x", ":x", "!t", "&a", "*a", "|", ">", ">-", "a\u2028b", "a\x85b", "\ufeffa",
           "é", "日本語", "😀", "x  ", "<!-- x -->", "/docs/concepts/", "https://k8s.io/a#b",
           "{{< glossary_tooltip term_id=\"pod\" >}}", "a\\b", "50%", "a | b", "a > b", "#x")
KEYS = ("title", "id", "aka", "date", "full_link", "short_description", "tags", "weight",
        "yes", "null", "a-b", "_x", "title")


def _block(rng: random.Random) -> list[str]:
    header = rng.choice((">", ">-", "|", "|-", "> ", ">+", ">2", "> # c"))
    indent = " " * rng.choice((1, 2, 2, 3))
    lines = [header]
    for _ in range(rng.randint(0, 4)):
        kind = rng.random()
        if kind < 0.6:
            lines.append(indent + rng.choice(SCALARS))
        elif kind < 0.75:
            lines.append("")
        elif kind < 0.85:
            lines.append(indent + "  " + rng.choice(SCALARS))  # more indented
        elif kind < 0.92:
            lines.append(indent)  # a blank line of spaces
        else:
            lines.append(indent + rng.choice(("# not a comment", "---", "a: b", "- x")))
    return lines


def _items(rng: random.Random) -> list[str]:
    indent = " " * rng.choice((0, 0, 2))
    lines = []
    for _ in range(rng.randint(0, 3)):
        lines.append(f"{indent}- {rng.choice(SCALARS)}" if rng.random() < 0.9 else
                     rng.choice(("", "# c", f"{indent}-", f"{indent}  more", "  - x")))
    return lines


def _front_matter(rng: random.Random) -> str:
    lines: list[str] = []
    for _ in range(rng.randint(1, 6)):
        key = rng.choice(KEYS)
        kind = rng.random()
        if kind < 0.45:
            first, *rest = _block(rng) if rng.random() < 0.05 else [rng.choice(SCALARS)]
            lines.append(f"{key}:{rng.choice((' ', '  '))}{first}")
        elif kind < 0.65:
            first, *rest = _block(rng)
            lines.append(f"{key}: {first}")
            lines.extend(rest)
        else:
            lines.append(f"{key}:{rng.choice(('', ' ', '  '))}")
            lines.extend(_items(rng))
        if rng.random() < 0.1:
            lines.append(rng.choice(("", "# comment", " # indented comment", "\tx: y",
                                     "  continued", "key:value", "...")))
    return "\n".join(lines) + rng.choice(("", "", "\n", "\n\n"))


def _loaded(yaml: str) -> object:
    """What the YAML loader makes of it: plain values, or the error's type."""
    try:
        data = load_yaml(yaml)
    except YamlError:
        return YamlError
    if not isinstance(data, Mapping):
        return None
    return {key: plain(value) for key, value, _ in data.items}


def test_fast_path_agrees_with_load_yaml_on_generated_front_matter() -> None:
    rng = random.Random(10)
    taken = 0
    for _ in range(20_000):
        yaml = _front_matter(rng)
        fast = _simple_values(yaml)
        if fast is None:
            continue
        taken += 1
        loaded = _loaded(yaml)
        assert fast == loaded, yaml
        assert isinstance(loaded, dict)  # True == 1 in Python: compare the types too
        assert [type(v) for v in fast.values()] == [type(v) for v in loaded.values()], yaml
    assert taken > 2_000, f"the fast path took only {taken} of 20,000"


@pytest.mark.parametrize("yaml, expected", [
    ("title: Pod\nid: pod\ndate: 2018-04-12\nfull_link: \nshort_description: >\n  A pod.\n  "
     "More.\n\naka: \n- po\n- Pods\ntags:\n- fundamental",
     {"title": "Pod", "id": "pod", "date": "2018-04-12", "full_link": None,
      "short_description": "A pod. More.\n", "aka": ["po", "Pods"], "tags": ["fundamental"]}),
    ("title: Node\naka:\ntags:\n  - a\n  - b", {"title": "Node", "aka": None, "tags": ["a", "b"]}),
    ("d: >\n  one\n\n  two\n", {"d": "one\ntwo\n"}),
    ("d: >-\n  one\n  two", {"d": "one two"}),
    ("d: |\n  one\n  two\nx: 1", {"d": "one\ntwo\n", "x": 1}),
    ("d: >\n  last line has no break", {"d": "last line has no break"}),
    ("weight: 5\ndraft: yes\nnothing: ~", {"weight": 5, "draft": True, "nothing": None}),
])
def test_term_page_shapes(yaml: str, expected: dict[str, object]) -> None:
    assert _simple_values(yaml) == expected == _loaded(yaml)


@pytest.mark.parametrize("yaml", [
    "title: 'quoted'", "title: a: b", "title: x # comment", "nested:\n  a: b",
    "title: first\n  continued", "d: >\n\n  leading blank", "d: >\n  a\n    deeper",
    "title:\tx", "- a list", "", "# only a comment", "d: >+\n  keep\n\n", "a: {x: 1}",
])
def test_other_shapes_go_to_the_yaml_loader(yaml: str) -> None:
    assert _simple_values(yaml) is None
    front = FrontMatter(yaml, "", 0)
    try:
        assert front_matter_values(front) == _loaded(yaml)
    except YamlError:
        assert _loaded(yaml) is YamlError


def test_split_then_values_on_a_term_page() -> None:
    front = split_front_matter("---\ntitle: Pod\naka:\n- po\n---\nbody\n")
    assert front is not None and front_matter_values(front) == {"title": "Pod", "aka": ["po"]}


def test_fast_path_agrees_with_load_yaml_on_real_pages() -> None:
    pages = sorted(SHARED.rglob("*.md")) if SHARED.is_dir() else []
    if not pages:
        pytest.skip(f"{SHARED} is absent: the real pages live there")
    taken = 0
    for page in pages:
        front = split_front_matter(page.read_text(encoding="utf-8"))
        fast = _simple_values(front.yaml) if front is not None else None
        if front is not None and fast is not None:
            taken += 1
            assert fast == _loaded(front.yaml), page
    assert taken > len(pages) // 2
