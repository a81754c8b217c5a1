"""Shared helpers for the diff tests: load a fixture, edit a copy, diff old against new."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from harness.contracts import Change, diff_files

DATA = Path(__file__).resolve().parents[1] / "data"
BASE = DATA / "diff" / "base.yaml"


def load(path: Path = BASE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def diff_edit(tmp_path: Path, edit: Callable[[dict[str, Any]], None],
              base: Path = BASE) -> list[Change]:
    """Diff ``base`` against a copy changed by ``edit``."""
    old = load(base)
    new = copy.deepcopy(old)
    edit(new)
    return diff_files(write(tmp_path / "old.json", old), write(tmp_path / "new.json", new))


def by_rule(changes: list[Change]) -> dict[str, list[Change]]:
    out: dict[str, list[Change]] = {}
    for change in changes:
        out.setdefault(change.rule, []).append(change)
    return out


def run_cli(capsys: Any, *args: Any) -> tuple[int, str, str]:
    """``drawbridge diff ARGS``: exit code, stdout, stderr."""
    import pytest

    from harness.cli.main import main

    with pytest.raises(SystemExit) as exit_info:
        main(["diff", *map(str, args)])
        raise SystemExit(0)
    out = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 1), out.out, out.err
