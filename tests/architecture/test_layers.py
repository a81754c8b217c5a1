"""The layers of ARCHITECTURE.md, enforced: a lower layer never imports a higher one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Ordered from the bottom. A module may import its own layer and the ones below.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("errors", ("fake_core_bank.errors", "fake_core_bank")),
    ("domain", ("fake_core_bank.domain",)),
    ("contracts", ("fake_core_bank.contracts",)),
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


def layer_of(module: str) -> int | None:
    best: tuple[int, int] | None = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            below = prefix not in ROOTS and module.startswith(prefix + ".")
            if module == prefix or below:
                candidate = (len(prefix), index)
                if best is None or candidate > best:
                    best = candidate
    return None if best is None else best[1]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


SOURCES = sorted(p for pkg in ("fake_core_bank", "harness") for p in (ROOT / pkg).rglob("*.py"))


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
    assert imports(bad) == [(1, "fake_core_bank.http.app")]
