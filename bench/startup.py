"""Start to first answer: ``drawbridge serve --port 0`` polled from spawn, and BankServer."""

from __future__ import annotations

import re
import select
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench import stubs
from bench.procs import Child, rss_bytes, wait_for_answer
from fake_core_bank.fake import BankConfig
from fake_core_bank.server import BankServer

DRAWBRIDGE = str(Path(sys.executable).with_name("drawbridge"))

#: a fresh interpreter that imports, builds and starts a BankServer, then asks it once
COLD = """
import httpx
from fake_core_bank.fake import BankConfig
from fake_core_bank.server import BankServer
server = BankServer(BankConfig(customers=10)).start()
httpx.get(server.base_url + {path!r})
print("answered", flush=True)
server.stop()
"""


def serve_cli(customers: int = 10, timeout: float = 60.0) -> tuple[float, int]:
    """Seconds from spawning ``drawbridge serve --port 0`` to its first answer, and its idle RSS
    (bytes) right after. The URL is read from the line the command prints."""
    started = time.perf_counter()
    proc = subprocess.Popen([DRAWBRIDGE, "serve", "--port", "0", "--customers", str(customers)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    child = Child("drawbridge serve", proc, "")
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        line = proc.stdout.readline().decode() if ready else ""
        found = re.search(r"http://[0-9.]+:[0-9]+", line)
        if found is None:
            raise RuntimeError(f"drawbridge serve printed no URL: {line!r}")
        child.base_url = found.group(0)
        seconds = wait_for_answer(child, stubs.GET_PATH, started, timeout)
        time.sleep(0.5)  # let the first request's garbage settle before reading RSS
        return seconds, rss_bytes(proc.pid)
    finally:
        child.stop()


def in_process_cold(timeout: float = 60.0) -> float:
    """Seconds from spawning an interpreter to its in-process BankServer's first answer."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", COLD.format(path=stubs.GET_PATH)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out, _ = proc.communicate(timeout=timeout)
    if b"answered" not in out:
        raise RuntimeError("the in-process BankServer did not answer")
    return time.perf_counter() - started


def in_process_warm() -> float:
    """Seconds to build, start and ask a BankServer in this process (modules already loaded)."""
    started = time.perf_counter()
    server = BankServer(BankConfig(customers=10)).start()
    try:
        httpx.get(server.base_url + stubs.GET_PATH)
        return time.perf_counter() - started
    finally:
        server.stop()
