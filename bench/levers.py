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
import gc
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import load, stubs
from bench.procs import Child, descendants
from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.app import BankApp
from fake_core_bank.http.guards import LoopbackHostOnly
from harness.cli.serve import SERVE_JOURNAL_MEMORY, SERVE_LEDGER_MEMORY, tune_collector

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


@contextmanager
def _collector_as_served(served: bool) -> Iterator[None]:
    """The garbage collector as ``drawbridge serve`` sets it (:func:`tune_collector`), for
    the time of a measurement of the served app; as it was afterwards."""
    if not served:
        yield
        return
    before = gc.get_threshold()
    tune_collector()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def app_cpu_per_post(config: BankConfig, count: int, served: bool = False) -> float:
    """CPU microseconds per POST drawdown called straight into the ASGI app. ``served``: the
    app as ``drawbridge serve`` has it (behind its Host check, its collector settings) and
    asked with every header the bench's wrk script sends, keys shaped as its keys are."""
    bank_app = BankApp(FakeBank(config))
    app: Any = LoopbackHostOnly(bank_app) if served else bank_app
    body = stubs.post_bytes()
    received = {"type": "http.request", "body": body, "more_body": False}
    tag = uuid.uuid4()
    wire = [(b"host", b"127.0.0.1:8080"), (b"content-length", str(len(body)).encode())]

    async def go() -> float:
        async def receive() -> dict[str, object]:
            return received

        statuses: list[object] = []

        async def send(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        async def one(n: int) -> None:
            key = f"bench-{tag}-{n % 2 + 1}-{n // 2}" if served else f"lever-{n}"
            headers = [(b"content-type", b"application/json"),
                       (b"idempotency-key", key.encode())]
            scope = {"type": "http", "method": "POST", "path": stubs.POST_PATH,
                     "query_string": b"", "headers": wire + headers if served else headers}
            await app(scope, receive, send)

        for n in range(50):
            await one(-n - 1)
        with _collector_as_served(served):
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


#: the app as `drawbridge serve` runs it: the app part of the work floor
SERVED = "as `drawbridge serve` runs it (bounded journal and ledger, Host check, wrk's headers)"
#: the server with the work taken out (bench.no_work_bank): the server part of the work floor
NO_WORK = "the fake bank's server answering its bytes, no work (`bench/no_work_bank.py`)"
OURS = "`drawbridge serve` (self-check off)"
CEILING = "Starlette + uvicorn, no work (ceiling)"
#: app levers: label -> (BankConfig, served as `drawbridge serve` serves it)
APP_LEVERS = {
    "default (self-check off)": (BankConfig(customers=10, validate_responses=False), False),
    "self-check on (`--self-check`, the test suite's banks)": (BankConfig(customers=10), False),
    SERVED: (BankConfig(customers=10, validate_responses=False,
                        journal_limit=SERVE_JOURNAL_MEMORY, ledger_limit=SERVE_LEDGER_MEMORY),
             True),
}
#: POSTs of the served lever in a whole run: its ledger spills as under the throughput load
SERVED_COUNT = 10 * SERVE_LEDGER_MEMORY


def measure(work: Path, wrk: str, duration: float, count: int, repeats: int,
            served_count: int = SERVED_COUNT) -> Levers:
    """Every lever, ``repeats`` times: ``count`` POSTs per app lever, ``served_count`` for the
    app as `drawbridge serve` runs it (enough that its bounded ledger spills), and the POST
    load for ``duration`` seconds on each server."""
    from bench.servers import ceiling, fake_bank, no_work_bank

    script = work / "levers-post.lua"
    script.write_text(load.post_script(stubs.post_bytes()), encoding="utf-8")
    variants = {OURS: fake_bank(),
                "`drawbridge serve --self-check`": fake_bank(extra=["--self-check"]),
                NO_WORK: no_work_bank,
                CEILING: ceiling}
    app_us: dict[str, list[float]] = {name: [] for name in APP_LEVERS}
    server: dict[str, list[ServerCost]] = {name: [] for name in variants}
    for _ in range(repeats):
        for name, (config, served) in APP_LEVERS.items():
            app_us[name].append(app_cpu_per_post(config, served_count if served else count,
                                                 served))
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
    ours = levers.server.get(OURS, [])
    top = levers.server.get(CEILING, [])
    if ours and top:
        ratio = median([c.cpu_us for c in top]) / median([c.cpu_us for c in ours])
        rows.append(f"\nBy CPU per request the fake bank runs at {ratio:.2f}x the no-work "
                    "ceiling (the ceiling's CPU per request over the fake bank's).")
    floor = work_floor(levers)
    if floor is not None and ours:
        spent = median([c.cpu_us for c in ours])
        rows.append(
            f"\nThe work floor: {floor:.0f} us per POST, the fake bank's server with the work "
            f"taken out ({median([c.cpu_us for c in levers.server[NO_WORK]]):.0f}) plus its "
            f"app doing the work as `drawbridge serve` runs it "
            f"({median(levers.app_us[SERVED]):.1f}), each measured alone. Served together "
            f"they cannot cost less; the fake bank spends {spent:.0f} under the load, "
            f"{spent - floor:.0f} more, which is what serving the two together under the load "
            "adds and neither shows alone.")
    return "\n".join(rows) + "\n"


def work_floor(levers: Levers | None) -> float | None:
    """The least CPU us per POST of any server on uvicorn doing the fake bank's work: its own
    server with the work taken out, plus its app doing the work (None when not measured)."""
    if levers is None:
        return None
    from bench.stats import median

    server, app = levers.server.get(NO_WORK), levers.app_us.get(SERVED)
    if not server or not app:
        return None
    return median([c.cpu_us for c in server]) + median(app)
