"""What each lever of the stateful POST costs, in CPU time per request (issue 19).

Requests per second on a shared 2-core machine move with whatever else runs; CPU seconds that
the server process spends per request barely do, so each lever is measured twice that way:

- in the app: ``count`` POSTs straight into the ASGI app (:func:`bench.inprocess.direct`'s
  way), the process's CPU time per POST, with a :class:`BankConfig` switched one lever at a
  time;
- in the server: the server process's own CPU time (``/proc``, itself and its children) per
  answered request under the same wrk POST load as the throughput section, for
  ``drawbridge serve`` with and without ``--self-check`` and on each HTTP server underneath.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from pathlib import Path

from bench import load, stubs
from bench.procs import Child, descendants
from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.app import BankApp

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its descendants so far (0 when gone)."""
    total = 0
    for each in [pid, *descendants(pid)]:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / TICK


def app_cpu_per_post(config: BankConfig, count: int) -> float:
    """CPU microseconds per POST drawdown called straight into the ASGI app."""
    app = BankApp(FakeBank(config))
    body = stubs.post_bytes()
    received = {"type": "http.request", "body": body, "more_body": False}

    async def go() -> float:
        async def receive() -> dict[str, object]:
            return received

        statuses: list[object] = []

        async def send(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        async def one(n: int) -> None:
            scope = {"type": "http", "method": "POST", "path": stubs.POST_PATH,
                     "query_string": b"",
                     "headers": [(b"content-type", b"application/json"),
                                 (b"idempotency-key", f"lever-{n}".encode())]}
            await app(scope, receive, send)

        for n in range(50):
            await one(-n - 1)
        started = time.process_time()
        for n in range(count):
            await one(n)
        spent = time.process_time() - started
        if set(statuses) != {201}:
            raise RuntimeError(f"lever run answered {sorted(set(map(str, statuses)))}")
        return spent / count * 1e6

    return asyncio.run(go())


@dataclass(frozen=True)
class ServerCost:
    rps: float
    cpu_us: float  # server CPU microseconds per answered request
    errors: int


def server_cpu_per_request(child: Child, script: Path, duration: float, wrk: str) -> ServerCost:
    """The POST load on ``child``: its CPU microseconds per answered request."""
    before = cpu_seconds(child.proc.pid)
    result = load.run_wrk(child.base_url + stubs.POST_PATH, duration=duration, threads=2,
                          connections=32, script=script, wrk=wrk)
    spent = cpu_seconds(child.proc.pid) - before
    return ServerCost(result.rps, spent / max(1, result.requests) * 1e6, result.errors)


@dataclass(frozen=True)
class Levers:
    app_us: dict[str, list[float]]  # lever -> CPU us per POST in the app, per repeat
    server: dict[str, list[ServerCost]]  # server variant -> costs, per repeat


#: app levers: label -> BankConfig
APP_LEVERS = {
    "default (self-check off)": BankConfig(customers=10, validate_responses=False),
    "self-check on (`--self-check`, the test suite's banks)": BankConfig(customers=10),
}


def measure(work: Path, wrk: str, duration: float, count: int, repeats: int) -> Levers:
    from bench.servers import ceiling, fake_bank

    script = work / "levers-post.lua"
    script.write_text(load.post_script(stubs.post_bytes()), encoding="utf-8")
    variants = {"`drawbridge serve` (self-check off)": fake_bank(),
                "`drawbridge serve --self-check`": fake_bank(extra=["--self-check"]),
                "Starlette + uvicorn, no work (ceiling)": ceiling}
    app_us: dict[str, list[float]] = {name: [] for name in APP_LEVERS}
    server: dict[str, list[ServerCost]] = {name: [] for name in variants}
    for _ in range(repeats):
        for name, config in APP_LEVERS.items():
            app_us[name].append(app_cpu_per_post(config, count))
        for name, start in variants.items():
            child = start(work)
            try:
                server[name].append(server_cpu_per_request(child, script, duration, wrk))
            finally:
                child.stop()
    return Levers(app_us, server)


def render(levers: Levers | None) -> str:
    if levers is None:
        return ""
    from bench.stats import median, spread

    rows = ["## Levers of the stateful POST, in CPU time per request\n",
            "Requests per second on a shared machine move with its other work; the CPU time "
            "the server spends per request does not (`bench/levers.py`). In the app: POSTs "
            "straight into the ASGI app, process CPU time each. In the server: the server "
            "process's CPU time (from `/proc`) per answered request under the POST load.\n",
            "| in the app | CPU us per POST |", "|---|---|"]
    rows += [f"| {name} | {spread(values, '{:.1f}')} |" for name, values in
             levers.app_us.items()]
    rows += ["", "| server | req/s | CPU us per request | errors |", "|---|---|---|---|"]
    for name, costs in levers.server.items():
        rows.append(f"| {name} | {spread([c.rps for c in costs])} | "
                    f"{spread([c.cpu_us for c in costs], '{:.0f}')} | "
                    f"{sum(c.errors for c in costs)} |")
    ours = levers.server.get("`drawbridge serve` (self-check off)", [])
    top = levers.server.get("Starlette + uvicorn, no work (ceiling)", [])
    if ours and top:
        ratio = median([c.cpu_us for c in top]) / median([c.cpu_us for c in ours])
        rows.append(f"\nBy CPU per request the fake bank runs at {ratio:.2f}x the no-work "
                    "ceiling (the ceiling's CPU per request over the fake bank's).")
    return "\n".join(rows) + "\n"
