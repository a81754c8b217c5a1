"""The layers of ARCHITECTURE.md, enforced: a lower layer never imports a higher one, and no
imports go round in a circle, between the packages of a layer or between modules."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path

import pytest

from tests.architecture.imports import (
    ROOT,
    SOURCES,
    Graph,
    cycles,
    import_graph,
    imports,
    module_name,
)

#: Ordered from the bottom. A module may import its own layer and the ones below.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("errors", ("fake_core_bank.errors", "fake_core_bank")),
    ("domain", ("fake_core_bank.domain",)),
    ("contracts", ("fake_core_bank.contracts",)),
    ("core models", ("fake_core_bank.cores", "fake_core_bank.lending",
                     "fake_core_bank.http.wire", "fake_core_bank.http.adapters",
                     "fake_core_bank.http.minor_release")),
    ("bank", ("fake_core_bank.fake", "fake_core_bank.http", "fake_core_bank.server")),
    ("model", ("harness", "harness.scenarios", "harness.contracts", "harness.outcome",
               "harness.paths", "harness.redaction", "harness.recording", "harness.shrink",
               "harness.evidence")),
    ("engine", ("harness.drivers", "harness.engine", "harness.oracles", "harness.playback",
                "harness.bundles", "harness.explore")),
    ("reporting", ("harness.reporting", "harness.certify")),
    ("mutation", ("harness.mutate",)),
    ("consumers", ("harness.cli", "harness.pytest_plugin", "harness.pytest_bank",
                   "harness.scaffold", "harness.demo")),
]

#: The two top-level packages name their own ``__init__`` only (it holds ``__version__``), not
#: everything below them: a new subpackage must be given a layer here and in ARCHITECTURE.md.
ROOTS = frozenset({"fake_core_bank", "harness"})


def placed(module: str) -> tuple[int, str] | None:
    """The layer (its index in LAYERS) and the package of LAYERS a module belongs to: the
    longest prefix that names it."""
    best: tuple[int, str] | None = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            below = prefix not in ROOTS and module.startswith(prefix + ".")
            if (module == prefix or below) and (best is None or len(prefix) > len(best[1])):
                best = (index, prefix)
    return best


def layer_of(module: str) -> int | None:
    where = placed(module)
    return None if where is None else where[0]


def package_of(module: str) -> str | None:
    where = placed(module)
    return None if where is None else where[1]


def test_every_module_has_a_layer() -> None:
    assert SOURCES
    orphans = [module_name(p) for p in SOURCES if layer_of(module_name(p)) is None]
    assert not orphans


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_no_upward_import(path: Path) -> None:
    own = layer_of(module_name(path))
    assert own is not None
    upward = []
    for line, target in imports(path):
        theirs = layer_of(target)
        if theirs is not None and theirs > own:
            upward.append(f"{path.relative_to(ROOT)}:{line} imports {target} "
                          f"({LAYERS[theirs][0]} above {LAYERS[own][0]})")
    assert not upward, "\n".join(upward)


def test_the_rule_catches_a_violation(tmp_path: Path) -> None:
    """The checker itself: a domain module importing the HTTP layer is reported."""
    assert layer_of("fake_core_bank.domain.bank") < layer_of("fake_core_bank.http.app")
    assert layer_of("harness.engine.runner") < layer_of("harness.cli.run")
    assert layer_of("harness.newpackage.module") is None  # no catch-all hides an orphan
    bad = tmp_path / "bad.py"
    bad.write_text("from fake_core_bank.http.app import BankApp\n")
    assert imports(bad) == [(1, "fake_core_bank.http.app"), (1, "fake_core_bank.http.app.BankApp")]


HOW_TO_BREAK = ("break it by moving what both sides need into a module below both "
                "(ARCHITECTURE.md)")


def package_graph(graph: Graph) -> dict[str, dict[str, str]]:
    """package -> {package it imports: one import that does it, "module:line imports module"}."""
    packages: dict[str, dict[str, str]] = {}
    for module, targets in sorted(graph.items()):
        mine = package_of(module)
        if mine is None:
            continue
        edges = packages.setdefault(mine, {})
        for target, line in sorted(targets.items()):
            theirs = package_of(target)
            if theirs is not None and theirs != mine:
                edges.setdefault(theirs, f"{module}:{line} imports {target}")
    return packages


def say_module_cycle(cycle: list[str], graph: Graph) -> str:
    steps = [f"{a}:{graph[a][b]} imports {b}" for a, b in pairwise(cycle)]
    return "import cycle: " + ", ".join(steps)


def say_package_cycle(cycle: list[str], packages: dict[str, dict[str, str]]) -> str:
    steps = [f"{a} -> {b} ({packages[a][b]})" for a, b in pairwise(cycle)]
    return "package cycle: " + ", ".join(steps)


GRAPH = import_graph(SOURCES)


def test_no_import_cycle_between_modules() -> None:
    found = [say_module_cycle(c, GRAPH) for c in cycles(GRAPH)]
    assert not found, "\n".join(found) + f"\n{HOW_TO_BREAK}"


def test_no_import_cycle_between_packages() -> None:
    packages = package_graph(GRAPH)
    found = [say_package_cycle(c, packages) for c in cycles(packages)]
    assert not found, "\n".join(found) + f"\n{HOW_TO_BREAK}"


def write_package(root: Path, files: dict[str, str]) -> list[Path]:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return [root / name for name in files]


def as_sets(found: Iterable[list[str]]) -> list[frozenset[str]]:
    return sorted((frozenset(c) for c in found), key=sorted)


def test_the_cycle_check_catches_module_cycles(tmp_path: Path) -> None:
    """Two circles in a throwaway package: one through a function-local import, one of three
    modules closed by a ``TYPE_CHECKING`` import; a module that only imports them is in none."""
    paths = write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/one.py": "from pkg.two import helper\n",
        "pkg/two.py": "def helper() -> None:\n    from pkg import one\n",
        "pkg/a.py": "import pkg.b\n",
        "pkg/b.py": "from pkg.c import C\n",
        "pkg/c.py": "import typing\nif typing.TYPE_CHECKING:\n    from pkg.a import A\n",
        "pkg/user.py": "from pkg import a, one\n",
    })
    graph = import_graph(paths, root=tmp_path)
    assert graph["pkg.two"] == {"pkg.one": 2}
    assert graph["pkg.user"] == {"pkg.a": 1, "pkg.one": 1}
    found = cycles(graph)
    assert as_sets(found) == [frozenset({"pkg.a", "pkg.b", "pkg.c"}),
                              frozenset({"pkg.one", "pkg.two"})]
    said = sorted(say_module_cycle(c, graph) for c in found)
    assert "pkg.c:3 imports pkg.a" in said[0]
    assert "pkg.two:2 imports pkg.one" in said[1]
    assert cycles({m: targets for m, targets in graph.items() if m != "pkg.two"}) == [
        c for c in found if "pkg.two" not in c]


def test_the_cycle_check_catches_package_cycles() -> None:
    """The engine <-> oracles cycle of before issue 17: no module cycle, but the engine runs
    the oracles and the oracles imported the engine's results."""
    graph: Graph = {"harness.engine.runner": {"harness.oracles": 24},
                    "harness.oracles": {"harness.engine.results": 12},
                    "harness.engine.results": {"harness.outcome": 14},
                    "harness.outcome": {}}
    assert cycles(graph) == []
    packages = package_graph(graph)
    found = cycles(packages)
    assert as_sets(found) == [frozenset({"harness.engine", "harness.oracles"})]
    said = say_package_cycle(found[0], packages)
    assert "harness.engine.runner:24 imports harness.oracles" in said
    assert "harness.oracles:12 imports harness.engine.results" in said


def test_cycles_lists_every_circle_and_none_of_a_tree() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    found = cycles({"a": {"b"}, "b": {"a", "c"}, "c": {"d"}, "d": {"c"}, "e": {"a"}})
    assert as_sets(found) == [frozenset({"a", "b"}), frozenset({"c", "d"})]
    for cycle in found:
        assert cycle[0] == cycle[-1]
