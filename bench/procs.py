"""Child processes of the benchmark: free ports, start, wait for a first answer, RSS, stop.

Every process is started in its own session and stopped by its own process group id, so the
benchmark never touches a process it did not start.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

HOST = "127.0.0.1"


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (0 when gone)."""
    total = 0
    for each in [pid, *descendants(pid)]:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found += [child, *descendants(child)]
    return found


@dataclass
class Child:
    """A started server: its process, base URL and how long it took to answer first."""

    name: str
    proc: subprocess.Popen[bytes]
    base_url: str
    started_in: float = 0.0

    def rss(self) -> int:
        return rss_bytes(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def spawn(name: str, argv: list[str], port: int, probe: str, *, cwd: Path | None = None,
          env: dict[str, str] | None = None, timeout: float = 60.0, log: Path | None = None,
          method: str = "GET") -> Child:
    """Start ``argv`` and poll ``probe`` until it answers anything; time from spawn to answer."""
    out = log.open("wb") if log is not None else subprocess.DEVNULL
    started = time.perf_counter()
    try:
        proc = subprocess.Popen(argv, cwd=cwd, env={**os.environ, **(env or {})}, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    finally:
        if log is not None and not isinstance(out, int):
            out.close()  # the child has its own copy of the descriptor
    child = Child(name, proc, f"http://{HOST}:{port}")
    child.started_in = wait_for_answer(child, probe, started, timeout, method)
    return child


def wait_for_answer(child: Child, probe: str, started: float, timeout: float,
                    method: str = "GET") -> float:
    """Seconds from ``started`` to the first answer on ``probe``; stops the child on failure."""
    deadline = started + timeout
    with httpx.Client(timeout=2.0) as client:
        while True:
            try:
                client.request(method, child.base_url + probe)
                return time.perf_counter() - started
            except httpx.TransportError:
                pass
            if child.proc.poll() is not None or time.perf_counter() > deadline:
                child.stop()
                raise RuntimeError(f"{child.name} did not answer {probe} within {timeout:.0f} s "
                                   f"(exit code {child.proc.poll()})")
            time.sleep(0.002)
