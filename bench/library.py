"""The scenario library's wall time with the reference connector, ``--jobs 1`` and ``--jobs 2``;
the certification profile when ``drawbridge certify`` exists."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.servers import REPO
from bench.startup import DRAWBRIDGE

CONNECTOR = "python:examples.connectors.reference_py:ReferenceConnector"


@dataclass(frozen=True)
class LibraryRun:
    seconds: float
    exit_code: int
    summary: str  # the command's last line of counts, e.g. "45 passed, 0 failed"


def run_library(jobs: int, out: Path, target: str = "scenarios/",
                timeout: float = 900.0) -> LibraryRun:
    argv = [DRAWBRIDGE, "run", target, "--connector", CONNECTOR, "--versions", "v2,v3",
            "--jobs", str(jobs), "--out", str(out), "--no-progress"]
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=timeout,
                          check=False)
    seconds = time.perf_counter() - started
    counts = [ln for ln in done.stdout.splitlines() if "passed" in ln and "failed" in ln]
    return LibraryRun(seconds, done.returncode, counts[-1].strip() if counts else "?")


def certify_available() -> bool:
    from harness.cli.main import COMMANDS

    return "certify" in COMMANDS


def run_certify(out: Path, profile: str = "v3", jobs: int = 1,
                timeout: float = 900.0) -> LibraryRun:
    """``drawbridge certify`` of the reference connector against a profile, timed: the wall
    time a CI pipeline pays, from the command's start to its exit."""
    argv = [DRAWBRIDGE, "certify", "--connector", CONNECTOR, "--profile", profile, "--jobs",
            str(jobs), "--out", str(out)]
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=timeout,
                          check=False)
    seconds = time.perf_counter() - started
    tail = [ln.strip() for ln in (done.stdout + done.stderr).splitlines() if ln.strip()]
    return LibraryRun(seconds, done.returncode, tail[-1][:160] if tail else "?")
