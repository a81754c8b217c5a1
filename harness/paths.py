"""Where the project's data lives: inside an installed wheel, or the source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def scenarios_root() -> Path:
    packaged = resources.files("harness") / "_data" / "scenarios"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "scenarios"


def profiles_root() -> Path:
    return scenarios_root() / "profiles"
