"""No import cycle among the modules of `harvester_glossary_ls`.

Edges are the imports of `harvester_glossary_ls.*` anywhere in a module, at module level or
inside functions (a lazy import inside a function still ties the two modules together), except
under `if TYPE_CHECKING:`, which never runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "harvester_glossary_ls"
ROOT = Path(__file__).resolve().parent.parent / "server" / PACKAGE


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, modules: set[str], here: str, is_package: bool) -> set[str]:
    """The package modules `tree` imports, outside `if TYPE_CHECKING:` blocks."""
    found: set[str] = set()
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node, here, is_package)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        pending.extend(ast.iter_child_nodes(node))
    return {name for name in found if name in modules and name != here}


def _resolve(node: ast.ImportFrom, here: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = here.split(".")
    parts = parts[:len(parts) - node.level + (1 if is_package else 0)]
    return ".".join([*parts, node.module] if node.module else parts)


def import_graph() -> dict[str, set[str]]:
    paths = {_module_name(path): path for path in ROOT.rglob("*.py")}
    modules = set(paths)
    return {name: _imports(ast.parse(path.read_text(encoding="utf-8")), modules, name,
                           path.name == "__init__.py")
            for name, path in paths.items()}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_the_graph_sees_imports() -> None:
    graph = import_graph()
    assert "harvester_glossary_ls.lsp.hover" in graph["harvester_glossary_ls.lsp.server"]
    assert "harvester_glossary_ls.engine.analysis" in graph["harvester_glossary_ls.command_check"]
    assert "harvester_glossary_ls.engine.render" in graph["harvester_glossary_ls.cli"]  # in a def


def test_cycles_are_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c"]]


def test_type_checking_and_function_level_imports() -> None:
    source = ("from typing import TYPE_CHECKING\n"
              "if TYPE_CHECKING:\n    from harvester_glossary_ls.b import X\n"
              "def f():\n    from harvester_glossary_ls import c\n")
    modules = {"harvester_glossary_ls.b", "harvester_glossary_ls.c", "harvester_glossary_ls"}
    assert _imports(ast.parse(source), modules, "harvester_glossary_ls.a", False) == {
        "harvester_glossary_ls", "harvester_glossary_ls.c"}


def test_no_import_cycle() -> None:
    cycles = find_cycles(import_graph())
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)
