"""Problems of a glossary file open in the editor: parse problems plus links that do not resolve.

A link is checked only where the page sits in a docs checkout (the target file must exist, and
its anchor must be one of the target's heading ids). Docusaurus 2.4 does not check anchors, so
this finds real breakage (four anchors of the v1.5 backport, per the terminology notes).
"""

from __future__ import annotations

import re
from pathlib import Path

from harvester_glossary_ls.engine.docs_site import (
    DocsTree,
    doc_target,
    find_docs_site,
    heading_ids,
    is_doc_link,
    is_external,
)
from harvester_glossary_ls.engine.frontmatter import front_matter_problem
from harvester_glossary_ls.engine.markdown_links import inline_links
from harvester_glossary_ls.engine.models import ParseResult, Problem, Severity
from harvester_glossary_ls.engine.parsers.docusaurus import (
    looks_like_glossary_page,
    parse_docusaurus_page,
)
from harvester_glossary_ls.engine.parsers.yaml_glossary import parse_yaml_glossary
from harvester_glossary_ls.engine.yamlnodes import Mapping, Sequence, YamlError, load_yaml


def is_glossary_document(path: str, text: str) -> bool:
    """A Harvester-style glossary page or a YAML glossary (has top-level `entries:`)."""
    lower = path.lower()
    if lower.endswith((".yaml", ".yml")):
        return re.search(r"^entries:", text, re.MULTILINE) is not None
    return lower.endswith(".md") and "glossary" in Path(lower).name and looks_like_glossary_page(
        text)


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset), offset - (text.rfind("\n", 0, offset) + 1)


def _anchor_problem(target: Path, anchor: str) -> str:
    """Why `#anchor` is not a heading of the target file ("" when it is, or cannot be told)."""
    try:
        mtime = target.stat().st_mtime
    except OSError:
        return ""
    if anchor in heading_ids(target, mtime):
        return ""
    return f"anchor #{anchor} is not a heading of {target.name}"


def _target_problem(href: str, page: Path, tree: DocsTree) -> str:
    """What is wrong with one link of the page at `page` ("" when nothing is)."""
    target_part, _, anchor = href.partition("#")
    if not target_part:
        return _anchor_problem(page, anchor) if anchor else ""
    if not is_doc_link(target_part):
        return ""
    relative, climbs = doc_target(target_part, page.relative_to(tree.root).as_posix(), tree.root)
    if climbs:  # never read, or reveal, files elsewhere
        return f"link target {target_part} is outside the docs tree"
    target = tree.root / relative
    if not target.is_file():
        return f"link target {target_part} does not exist"
    if broken := front_matter_problem(target):
        return f"front matter of {target_part} is ignored: {broken}"
    return _anchor_problem(target, anchor) if anchor else ""


def _link_problems(text: str, path: Path) -> list[Problem]:
    site = find_docs_site(path)
    tree = site.tree_for(path) if site else None
    if tree is None:
        return []
    problems = []
    for link in inline_links(text):
        if link.image or is_external(link.destination):
            continue
        message = _target_problem(link.destination, path, tree)
        if message:
            line, column = _line_and_column(text, link.dest_start)
            problems.append(Problem(str(path), message, line, column, Severity.WARNING))
    return problems


def _empty_yaml_definitions(text: str, path: Path) -> list[Problem]:
    """Entries whose `definition` is written but empty. A missing `definition` is fine: an
    overlay entry adds aliases or deprecations to a term the Harvester page defines."""
    try:
        root = load_yaml(text)
    except YamlError:
        return []  # the parser reports it
    entries = root.get("entries") if isinstance(root, Mapping) else None
    if not isinstance(entries, Sequence):
        return []
    problems = []
    for node in entries.values:
        if not isinstance(node, Mapping) or "definition" not in node.keys():  # noqa: SIM118 (a YAML node)
            continue
        value = node.get("definition")
        if value is None or (isinstance(value, str) and not value.strip()):
            term = node.get("term")
            problems.append(Problem(str(path), f"'{term}' has an empty definition",
                                    node.line_of("definition"), 0, Severity.WARNING))
    return problems


def lint_glossary(text: str, path: Path) -> list[Problem]:
    """Everything wrong with an open glossary file."""
    result: ParseResult
    if path.suffix.lower() in (".yaml", ".yml"):
        result = parse_yaml_glossary(text, str(path))
        return list(result.problems) + _empty_yaml_definitions(text, path)
    result = parse_docusaurus_page(text, str(path))
    return list(result.problems) + _link_problems(text, path)
