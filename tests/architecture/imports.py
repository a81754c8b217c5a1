"""The import graph of Drawbridge's two packages, read from the source (nothing is imported),
and the cycles in a graph; shared by the layer and the cycle tests.

Every import counts: at the top of a module, inside a function, under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("fake_core_bank", "harness")
SOURCES = sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))

#: module -> {module it imports: the line of its first such import}
Graph = dict[str, dict[str, int]]


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def statements(path: Path) -> list[tuple[int, str, list[str]]]:
    """``(line, module, names)`` of every absolute import in ``path``: ``import a.b`` gives
    ``a.b`` and no names, ``from a import b, c`` gives ``a`` and ``[b, c]``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module, [alias.name for alias in node.names]))
    return found


def imports(path: Path) -> list[tuple[int, str]]:
    """``(line, name)`` of everything ``path`` imports, for the layer rule: ``from a.b import c``
    gives ``a.b`` and ``a.b.c`` (a module or not), so ``from harness import cli`` is seen."""
    return [(line, target) for line, module, names in statements(path)
            for target in (module, *(f"{module}.{name}" for name in names))]


def import_graph(paths: Iterable[Path], root: Path = ROOT) -> Graph:
    """Which of these modules imports which of them. ``from pkg import mod`` is an import of
    ``pkg.mod``, ``from pkg import name`` one of ``pkg``; the standard library and third
    parties are left out."""
    paths = list(paths)
    known = {module_name(p, root) for p in paths}
    graph: Graph = {}
    for path in paths:
        here = module_name(path, root)
        edges = graph.setdefault(here, {})
        for line, module, names in statements(path):
            inner = [f"{module}.{name}" for name in names]
            for target in [t if t in known else module for t in inner] or [module]:
                if target in known and target != here:
                    edges.setdefault(target, line)
    return graph


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The import cycles of ``graph``, each as ``[a, b, ..., a]`` where each imports the next.

    graphlib reports one cycle at a time; the import that closes it is then set aside and the
    search goes on, so every circle shows up in at least one cycle, and the list is empty only
    when the graph has none.
    """
    # sorted, so the same graph gives the same cycles in the same words on every run
    edges = {node: dict.fromkeys(sorted(targets)) for node, targets in sorted(graph.items())}
    found = []
    while True:
        try:
            # graphlib reads the edges as "depends on": an import is a predecessor
            graphlib.TopologicalSorter(edges).prepare()
        except graphlib.CycleError as error:
            cycle = list(reversed(error.args[1]))  # graphlib lists the imported one first
            found.append(cycle)
            del edges[cycle[0]][cycle[1]]
        else:
            return found
