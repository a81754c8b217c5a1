"""Helpers of the reliability tests: the real console script, and what every test needs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DRAWBRIDGE = str(Path(sys.executable).parent / "drawbridge")
REFERENCE = "python:examples.connectors.reference_py:ReferenceConnector"
TOKEN = "reliability-control-token"


def cli_env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}


def cli(*args: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real console script, as a user's shell or a CI job runs it."""
    return subprocess.run([DRAWBRIDGE, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env=cli_env())


def popen(*args: str, cwd: Path = ROOT) -> subprocess.Popen[str]:
    return subprocess.Popen([DRAWBRIDGE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=cwd, env=cli_env())


def wait_for_line(process, text: str, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if text in line:
            return
        if not line and process.poll() is not None:
            break
    process.kill()
    pytest.fail(f"never printed {text!r}; stderr: {process.communicate()[1]}")
