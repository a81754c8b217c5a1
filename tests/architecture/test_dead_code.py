"""Dead code: vulture in `make lint`, its settings in pyproject.toml, its whitelist kept honest.

The whitelist (vulture_whitelist.py) lists names vulture cannot see being used. An entry whose
name the packages no longer define would hide the next dead thing of that name: it must go.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from vulture import Vulture
from vulture.config import make_config

ROOT = Path(__file__).resolve().parents[2]
WHITELIST = ROOT / "vulture_whitelist.py"


def settings() -> dict[str, list[str]]:
    """pyproject.toml's [tool.vulture], read by vulture itself."""
    config: dict[str, list[str]] = make_config(["--config", str(ROOT / "pyproject.toml")])
    return config


def min_confidence() -> int:
    """The threshold of `make lint` (the Makefile says why it is that one)."""
    found = re.search(r"vulture\b.*--min-confidence (\d+)", (ROOT / "Makefile").read_text())
    assert found, "`make lint` runs vulture with --min-confidence"
    return int(found.group(1))


def whitelisted() -> list[tuple[int, str]]:
    names = []
    for node in ast.parse(WHITELIST.read_text(encoding="utf-8")).body:
        assert isinstance(node, ast.Expr), f"vulture_whitelist.py:{node.lineno}: one name a line"
        value = node.value
        if isinstance(value, ast.Attribute):
            names.append((node.lineno, value.attr))
        elif isinstance(value, ast.Name):
            names.append((node.lineno, value.id))
        else:
            raise AssertionError(f"vulture_whitelist.py:{node.lineno}: write `name` or `_.name`")
    return names


def defined_names(paths: list[Path]) -> set[str]:
    """Every name the sources define: functions, classes, arguments, assigned names and
    attributes (what vulture could report as unused)."""
    names: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return names


def sources() -> list[Path]:
    scanned = [ROOT / p for p in settings()["paths"]]
    return sorted(f for p in scanned if p.is_dir() for f in p.rglob("*.py"))


def test_every_whitelisted_name_is_still_defined_in_the_packages() -> None:
    defined = defined_names(sources())
    stale = [f"vulture_whitelist.py:{line} {name}" for line, name in whitelisted()
             if name not in defined]
    assert not stale, (f"{', '.join(stale)}: no package defines it any more; delete the entry "
                       "(or, if it moved, check it is still used where vulture cannot see)")


def test_the_project_settings_find_dead_code_planted_beside_the_packages(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(
        "from dataclasses import dataclass\n\n\n"
        "def planted_dead_function():\n    return 1\n\n\n"
        "class PlantedDeadClass:\n    pass\n\n\n"
        "@dataclass\nclass PlantedRecord:\n    planted_unread_field: int = 0\n\n\n"
        "def getPlantedOperation():  # camelCase: an operation handler, ignored by design\n"
        "    return PlantedRecord()\n",
        encoding="utf-8")
    config = settings()
    scan = Vulture(ignore_names=config["ignore_names"],
                   ignore_decorators=config["ignore_decorators"])
    scan.scavenge([str(ROOT / p) for p in config["paths"]] + [str(planted)])
    found = sorted((Path(item.filename).name, item.name)
                   for item in scan.get_unused_code(min_confidence=min_confidence()))
    assert found == [("planted.py", "PlantedDeadClass"), ("planted.py", "planted_dead_function"),
                     ("planted.py", "planted_unread_field")]
