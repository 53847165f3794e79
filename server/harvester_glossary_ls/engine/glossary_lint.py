"""Problems of a glossary file open in the editor: parse problems plus links that do not resolve.

A link is checked only where the page sits in a docs checkout (the target file must exist, and
its anchor must be one of the target's heading ids). Docusaurus 2.4 does not check anchors, so
this finds real breakage (four anchors of the v1.5 backport, per the terminology notes).
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from harvester_glossary_ls.engine.docs_site import find_docs_site
from harvester_glossary_ls.engine.models import ParseResult, Problem, Severity
from harvester_glossary_ls.engine.parsers.docusaurus import (
    looks_like_glossary_page,
    parse_docusaurus_page,
)
from harvester_glossary_ls.engine.parsers.yaml_glossary import parse_yaml_glossary
from harvester_glossary_ls.engine.slug import github_slug
from harvester_glossary_ls.engine.yamlnodes import Mapping, Sequence, YamlError, load_yaml

_LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_CUSTOM_ID = re.compile(r"\{#([\w-]+)\}\s*$")


def is_glossary_document(path: str, text: str) -> bool:
    """A Harvester-style glossary page or a YAML glossary (has top-level `entries:`)."""
    lower = path.lower()
    if lower.endswith((".yaml", ".yml")):
        return re.search(r"^entries:", text, re.MULTILINE) is not None
    return lower.endswith(".md") and "glossary" in Path(lower).name and looks_like_glossary_page(
        text)


@lru_cache(maxsize=256)
def heading_ids(path: Path, mtime: float) -> frozenset[str]:
    """Anchors of a Markdown file's headings, numbered on repeats as github-slugger does."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    seen: dict[str, int] = {}
    ids = set()
    for match in _HEADING.finditer(text):
        heading = match.group(1)
        custom = _CUSTOM_ID.search(heading)
        if custom:
            ids.add(custom.group(1))
            continue
        slug = github_slug(heading.replace("**", "").replace("__", ""))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        ids.add(slug if count == 0 else f"{slug}-{count}")
    return frozenset(ids)


def _link_problems(text: str, path: Path) -> list[Problem]:
    site = find_docs_site(path)
    tree = site.tree_for(path) if site else None
    if tree is None:
        return []
    problems = []
    page_dir = path.parent
    for match in _LINK.finditer(text):
        href = match.group(1)
        if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE) or href.startswith("//"):
            continue
        target_part, _, anchor = href.partition("#")
        line = text.count("\n", 0, match.start())
        column = match.start(1) - (text.rfind("\n", 0, match.start()) + 1)
        if not target_part:
            target = path
        elif target_part.lower().endswith((".md", ".mdx")):
            relative = unquote(target_part)
            base = tree.root if relative.startswith("/") else page_dir
            target = Path(posixpath.normpath((base / relative.lstrip("/")).as_posix()))
            if tree.root not in target.parents:  # never read, or reveal, files elsewhere
                problems.append(Problem(str(path), f"link target {target_part} is outside the "
                                        "docs tree", line, column, Severity.WARNING))
                continue
            if not target.is_file():
                problems.append(Problem(str(path), f"link target {target_part} does not exist",
                                        line, column, Severity.WARNING))
                continue
        else:
            continue
        if anchor:
            try:
                mtime = target.stat().st_mtime
            except OSError:
                continue
            if anchor not in heading_ids(target, mtime):
                problems.append(Problem(str(path), f"anchor #{anchor} is not a heading of "
                                        f"{target.name}", line, column, Severity.WARNING))
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
