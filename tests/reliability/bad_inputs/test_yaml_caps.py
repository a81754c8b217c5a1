"""Hostile YAML (issue 15 item 7): alias bombs, runaway nesting and huge files.

Every Drawbridge YAML file (scenarios, matrices, profiles, baselines) goes through one loader,
``harness.scenarios.yamlpos``; each hostile file is fed to the command that reads that kind of
file and must end in one line and exit 2 within the subprocess timeout, never a traceback, a
RecursionError or gigabytes of memory.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from reliability_kit import REFERENCE, cli

SCENARIO = "format: drawbridge/scenario@1\n"
MATRIX = f"format: drawbridge/matrix@1\nconnectors: [{REFERENCE}]\nversions: [v2]\n"
PROFILE = "format: drawbridge/profile@1\nid: x\ntitle: x\nversion: v2\n"
BASELINE = "format: drawbridge/baseline@1\n"


def alias_bomb(key: str = "x") -> str:
    """About 600 bytes that expand to 10**9 strings (the 'billion laughs')."""
    lines = [f"{key}: ", '  a0: &a0 ["l","l","l","l","l","l","l","l","l","l"]']
    for i in range(1, 10):
        lines.append(f"  a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def deep_flow(key: str = "x") -> str:
    return f"{key}: " + "[" * 1000 + "]" * 1000 + "\n"


def deep_block(key: str = "x") -> str:
    return f"{key}:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 600))


def huge() -> str:
    return "# " + "x" * (5 * 1024 * 1024) + "\n"


KINDS = {
    "scenario": (SCENARIO, lambda f: ("validate", f)),
    "matrix": (MATRIX, lambda f: ("matrix", f)),
    "profile": (PROFILE, lambda f: ("certify", "--connector", REFERENCE, "--profile", f)),
    "baseline": (BASELINE, lambda f: ("certify", "--connector", REFERENCE, "--profile", "v2",
                                      "--baseline", f)),
}
HOSTILE = {
    "alias-bomb": (alias_bomb, r"expands to more than 200,000 values"),
    "deep-flow": (deep_flow, r":\d+:1: the YAML nests more than 64 levels deep"),
    "deep-block": (deep_block, r":\d+:1: the YAML nests more than 64 levels deep"),
    "huge": (lambda key="": huge(), r"the file is 5,242,\d+ bytes, more than the 4,194,304"),
}


@pytest.mark.parametrize("hostile", sorted(HOSTILE))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_hostile_yaml_is_one_line_and_exit_2(kind: str, hostile: str, tmp_path: Path) -> None:
    head, command = KINDS[kind]
    make, expect = HOSTILE[hostile]
    target = tmp_path / f"{kind}.yaml"
    target.write_text(head + make(), encoding="utf-8")
    done = cli(*command(str(target)), timeout=60)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr[-2000:]
    assert done.returncode == 2, done.stderr
    assert lines[0].startswith(f"drawbridge: {target}"), lines[0]
    assert re.search(expect, lines[0]), lines[0]
