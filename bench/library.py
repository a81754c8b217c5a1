"""The scenario library's wall time with the reference connector, ``--jobs 1`` and ``--jobs 2``;
the certification profile when ``drawbridge certify`` exists; a whole ``drawbridge mutate`` run
of one profile (``--jobs 2``, issue 14) beside them."""

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
    #: the fastest and slowest of the runs this one is the median of (None: one run)
    spread: tuple[float, float] | None = None


def median_run(runs: list[LibraryRun]) -> LibraryRun:
    """The median run by wall time, with the spread of all (a failed run wins: it is the
    news); one wall time on a shared machine is its load as much as the command."""
    failed = [r for r in runs if r.exit_code != 0]
    if failed or len(runs) == 1:
        return (failed or runs)[0]
    ordered = sorted(runs, key=lambda r: r.seconds)
    middle = ordered[len(ordered) // 2]
    return LibraryRun(middle.seconds, 0, middle.summary,
                      (ordered[0].seconds, ordered[-1].seconds))


def _timed(argv: list[str], timeout: float) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=timeout,
                          check=False)
    return time.perf_counter() - started, done


def _last(lines: list[str]) -> str:
    kept = [ln.strip() for ln in lines if ln.strip()]
    return kept[-1][:160] if kept else "?"


def run_library(jobs: int, out: Path, target: str = "scenarios/",
                timeout: float = 900.0) -> LibraryRun:
    seconds, done = _timed([DRAWBRIDGE, "run", target, "--connector", CONNECTOR, "--versions",
                            "v2,v3", "--jobs", str(jobs), "--out", str(out), "--no-progress"],
                           timeout)
    counts = [ln for ln in done.stdout.splitlines() if "passed" in ln and "failed" in ln]
    return LibraryRun(seconds, done.returncode, _last(counts))


def certify_available() -> bool:
    from harness.cli.main import COMMANDS

    return "certify" in COMMANDS


def run_certify(out: Path, profile: str = "v3", jobs: int = 1,
                timeout: float = 900.0) -> LibraryRun:
    """``drawbridge certify`` of the reference connector against a profile, timed: the wall
    time a CI pipeline pays, from the command's start to its exit."""
    seconds, done = _timed([DRAWBRIDGE, "certify", "--connector", CONNECTOR, "--profile",
                            profile, "--jobs", str(jobs), "--out", str(out)], timeout)
    return LibraryRun(seconds, done.returncode, _last((done.stdout + done.stderr).splitlines()))


def run_mutate(out: Path, profile: str = "v3", timeout: float = 900.0) -> LibraryRun:
    """``drawbridge mutate`` of the reference connector, the whole catalogue, ``--jobs 2``."""
    seconds, done = _timed([DRAWBRIDGE, "mutate", "--connector", CONNECTOR, "--profile",
                            profile, "--jobs", "2", "--out", str(out)], timeout)
    scores = [ln for ln in done.stdout.splitlines() if ln.startswith("mutation score")]
    return LibraryRun(seconds, done.returncode,
                      _last(scores) if scores else _last(done.stderr.splitlines()))
