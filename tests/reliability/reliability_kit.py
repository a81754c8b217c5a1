"""Helpers of the reliability tests: the real console script, and what every test needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
