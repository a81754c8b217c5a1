"""wrk runs: one GET or POST target, a Lua script, and a JSON summary parsed back.

Every POST carries a fresh Idempotency-Key (a random run tag, the thread number and a counter),
so a stateful server books each request instead of replaying an earlier one. The run tag matters:
one script serves several wrk runs against one server (a warm-up and its measurement, the two
halves of a soak), and a key reused from an earlier run is an idempotent replay that books
nothing. ``done()`` prints the summary as one JSON
line after wrk's own text, which keeps the parsing exact.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: Printed by every script after the run; percentiles are microseconds.
DONE = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d,'
    .. ' "status": %d, "timeout": %d, "p50": %d, "p90": %d, "p99": %d, "mean": %.1f}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean))
end
"""

GET_SCRIPT = DONE

POST_SCRIPT = """
local counter = 0
local threads = {}
local body = BODY
-- a tag of this run in this thread's Lua state: keys never repeat across wrk runs
local run = io.open("/proc/sys/kernel/random/uuid"):read("*l")
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  counter = counter + 1
  -- `id` is the global that setup() set in this thread's Lua state
  wrk.headers["Idempotency-Key"] = "bench-" .. run .. "-" .. id .. "-" .. counter
  return wrk.format(nil, nil, nil, body)
end
""" + DONE


@dataclass(frozen=True)
class LoadResult:
    """One wrk run: throughput, latency percentiles (ms) and failed answers."""

    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    errors: int  # socket errors and non-2xx/3xx answers

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def error_share(self) -> float:
        return self.errors / self.requests if self.requests else 1.0


def parse(output: str) -> LoadResult:
    """The ``BENCH-JSON`` line of wrk's output as a :class:`LoadResult`."""
    for line in output.splitlines():
        if line.startswith("BENCH-JSON "):
            data = json.loads(line[len("BENCH-JSON "):])
            errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
            return LoadResult(data["requests"], data["duration_us"] / 1e6, data["p50"] / 1e3,
                              data["p90"] / 1e3, data["p99"] / 1e3, errors)
    raise RuntimeError("wrk printed no summary:\n" + output[-2000:])


def post_script(body: bytes) -> str:
    """The POST script with ``body`` as a Lua long string (``setup`` gives each thread its id)."""
    return POST_SCRIPT.replace("BODY", "[==[" + body.decode() + "]==]", 1)


def wrk_binary() -> str | None:
    return shutil.which("wrk")


def run_wrk(url: str, *, duration: float, threads: int, connections: int, script: Path,
            wrk: str = "wrk") -> LoadResult:
    """One wrk run against ``url``; bounded by wrk's own duration plus a margin."""
    seconds = max(1, round(duration))
    argv = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
            "--timeout", "5s", "-s", str(script), url]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 30,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()[:500]}")
    return parse(done.stdout)
