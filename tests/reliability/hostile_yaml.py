"""Hostile YAML (issue 15 item 7), shared by every test that feeds it to a reader."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

from reliability_kit import cli


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


HOSTILE = {
    "alias-bomb": (alias_bomb, r"expands to more than 200,000 values"),
    "deep-flow": (deep_flow, r":\d+:1: the YAML nests more than 64 levels deep"),
    "deep-block": (deep_block, r":\d+:1: the YAML nests more than 64 levels deep"),
    "huge": (lambda key="x": huge(), r"the file is 5,242,\d+ bytes, more than the 4,194,304"),
}


def assert_refused(done: subprocess.CompletedProcess[str], target: Path, expect: str) -> None:
    """One line naming ``target`` and matching ``expect``, exit 2, no traceback."""
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr[-2000:]
    assert done.returncode == 2, done.stderr
    assert lines[0].startswith(f"drawbridge: {target}"), lines[0]
    assert re.search(expect, lines[0]), lines[0]


def refuse_hostile(head: str, command: Callable[[str], tuple[str, ...]], hostile: str,
                   target: Path, key: str = "x") -> None:
    """Write ``head`` plus the ``hostile`` YAML (under ``key``) to ``target``, run the command
    that reads it and expect :func:`assert_refused`."""
    make, expect = HOSTILE[hostile]
    target.write_text(head + make(key), encoding="utf-8")
    assert_refused(cli(*command(str(target)), timeout=60), target, expect)
