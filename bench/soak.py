"""Memory under a long run: ``drawbridge serve`` (default options) under the POST load for a
while, its RSS after the first minute and at the end (issue 19: within 1.2x).

The full soak is 10 minutes (``--soak 600``); ``--soak SECONDS`` or the environment variable
``DRAWBRIDGE_BENCH_SOAK`` shortens it for a quick check (the first sample is then taken at half
the duration, when that is under a minute). Every POST books a drawdown and is journaled, so a
journal or a ledger without a bound shows here as growth (both are bounded in a served bank:
``--journal-memory``, ``--ledger-memory``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import load, stubs
from bench.servers import REPO, fake_bank
from harness.cli.serve import SERVE_LEDGER_MEMORY

#: the issue's soak: ten minutes
FULL = 600.0
#: the issue's target: RSS at the end at most this many times RSS after the first minute
GROWTH_TARGET = 1.2
#: where the first sample is taken in a full soak
FIRST_MINUTE = 60.0


def default_seconds() -> float:
    """``DRAWBRIDGE_BENCH_SOAK`` (seconds) when set, else the full ten minutes."""
    raw = os.environ.get("DRAWBRIDGE_BENCH_SOAK", "")
    try:
        return float(raw) if raw.strip() else FULL
    except ValueError:
        raise ValueError(f"DRAWBRIDGE_BENCH_SOAK: expected seconds, got {raw!r}") from None


@dataclass(frozen=True)
class Soak:
    seconds: float  # the whole soak
    first_at: float  # when the first RSS sample was taken
    rss_first: int  # bytes
    rss_end: int
    requests: int
    errors: int
    journal: dict[str, object]  # /_control/health's journal figures at the end
    booked_after_first: int = 0  # answered POSTs (each a booking) after the first sample
    ledger_bytes: float = 0.0  # what the served bank's state keeps per booking (ledger_cost())
    ledger: dict[str, object] | None = None  # /_control/health's ledger figures at the end
    ledger_bytes_unbounded: float = 0.0  # the same without a bound, for the record

    @property
    def growth(self) -> float:
        return self.rss_end / self.rss_first if self.rss_first else float("inf")

    @property
    def ledger_growth(self) -> float:
        """Bytes of the soak's growth the bookings after the first sample account for at the
        bounded rate: never more than the growth itself (a few bytes a booking measured on a
        bounded ledger is noise, and times millions of bookings it would explain growth that
        did not happen)."""
        grown = max(0, self.rss_end - self.rss_first)
        return min(grown, max(0.0, self.booked_after_first * self.ledger_bytes))

    @property
    def growth_beyond_ledger(self) -> float:
        """The growth ratio with the ledger's own growth taken out: what a bound can act on."""
        if not self.rss_first:
            return float("inf")
        return (self.rss_end - self.ledger_growth) / self.rss_first


#: run in a fresh interpreter by ledger_cost(): bytes of state per booked drawdown. The warm-up
#: passes the ledger's first spills, so its fixed costs (the key filter, SQLite's page cache)
#: are paid before the first sample.
_LEDGER_PROBE = """
import asyncio, gc
from pathlib import Path
from bench import stubs
from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.app import BankApp

def rss():
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096

app = BankApp(FakeBank(BankConfig(customers=10, validate_responses=False, journal_limit=100,
                                  journal_overflow="drop", ledger_limit=LIMIT)))
body = stubs.post_bytes()
codes = set()  # a set: a list of every status would grow 8 B per POST itself

async def post(first, count):
    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}
    async def send(message):
        if message["type"] == "http.response.start":
            codes.add(message["status"])
    for n in range(first, first + count):
        await app({"type": "http", "method": "POST", "path": stubs.POST_PATH,
                   "query_string": b"", "headers": [(b"content-type", b"application/json"),
                   (b"idempotency-key", f"bench-1-{n}".encode())]}, receive, send)

asyncio.run(post(0, WARM)); gc.collect(); before = rss()
asyncio.run(post(WARM, COUNT)); gc.collect(); after = rss()
assert set(codes) == {201}, set(codes)
print((after - before) / COUNT)
"""


def ledger_cost(count: int = 100_000, limit: int | None = SERVE_LEDGER_MEMORY) -> float:
    """Bytes of resident memory the fake bank's state gains per booked drawdown (its journal
    bounded to 100 entries, so only the ledger and the idempotency records may grow), its
    ledger bounded to ``limit`` bookings in memory (None: all, as in a test run)."""
    warm = 20_000 if limit is None else max(60_000, 3 * limit)
    probe = (_LEDGER_PROBE.replace("COUNT", str(count)).replace("WARM", str(warm))
             .replace("LIMIT", repr(limit)))
    done = subprocess.run([sys.executable, "-c", probe],
                          capture_output=True, text=True, timeout=600, check=False, cwd=REPO)
    if done.returncode != 0:
        raise RuntimeError("ledger cost probe failed: " + done.stderr.strip()[-500:])
    return float(done.stdout.strip().splitlines()[-1])


def soak(work: Path, wrk: str, seconds: float) -> Soak:
    first_at = min(FIRST_MINUTE, seconds / 2)
    script = work / "soak-post.lua"
    script.write_text(load.post_script(stubs.post_bytes()), encoding="utf-8")
    child = fake_bank()(work)
    try:
        url = child.base_url + stubs.POST_PATH
        first = load.run_wrk(url, duration=first_at, threads=2, connections=32, script=script,
                             wrk=wrk)
        rss_first = child.rss()
        rest = load.run_wrk(url, duration=seconds - first_at, threads=2, connections=32,
                            script=script, wrk=wrk)
        rss_end = child.rss()
        health = httpx.get(child.base_url + "/_control/health", timeout=30).json()
    finally:
        child.stop()
    count = 10_000 if seconds < 30 else 100_000
    return Soak(seconds, first_at, rss_first, rss_end, first.requests + rest.requests,
                first.errors + rest.errors, dict(health.get("journal", {})),
                booked_after_first=rest.requests - rest.errors,
                ledger_bytes=ledger_cost(count), ledger=dict(health.get("ledger", {})),
                ledger_bytes_unbounded=ledger_cost(count, limit=None))


def render(result: Soak | None) -> str:
    if result is None:
        return ""
    mb = 1024 * 1024
    j = result.journal
    short = ("" if result.seconds >= FULL else
             f" **A shortened soak ({result.seconds:g} s, not the full {FULL:g} s)**: its "
             "verdict says less than a full run's.")
    return ("## Memory under a long POST run\n\n"
            f"`drawbridge serve` in its default configuration under the POST load "
            f"(`wrk -t2 -c32`, a fresh Idempotency-Key each) for {result.seconds:g} s: "
            f"{result.requests:,} drawdowns booked, {result.errors} errors." + short + "\n\n"
            "| RSS after the first minute | RSS at the end | growth |\n|---|---|---|\n"
            f"| {result.rss_first / mb:.0f} MB (at {result.first_at:g} s) | "
            f"{result.rss_end / mb:.0f} MB | {result.growth:.2f}x |\n\n"
            f"Journal at the end (`/_control/health`): {_count(j, 'entries')} entries, "
            f"{_count(j, 'inMemory')} in memory (bound {_count(j, 'memoryLimit')}, "
            f"overflow {_count(j, 'overflow')}), {_count(j, 'dropped')} dropped.\n\n"
            + _ledger_text(result))


def _ledger_text(result: Soak) -> str:
    mb = 1024 * 1024
    ledger = result.ledger or {}
    error = ledger.get("spillError")
    return (f"Ledger at the end (`/_control/health`): {_count(ledger, 'bookings')} bookings, "
            f"{_count(ledger, 'inMemory')} in memory (bound "
            f"{_count(ledger, 'memoryLimit')}), {_count(ledger, 'spilled')} spilled to its "
            "temporary database" + (f" (**spill error**: {error})" if error else "") + ".\n\n"
            "What the bank's state adds per booking (`bench.soak.ledger_cost`: POSTs in a fresh "
            "interpreter with the journal bounded to 100 entries, after a warm-up past the "
            f"first spills): {result.ledger_bytes:.0f} B of resident memory with the served "
            f"bound, {result.ledger_bytes_unbounded:.0f} B with every booking in memory (a test "
            f"run's bank): had the served bank kept the {result.booked_after_first:,} "
            "bookings after the first sample in memory, they would have added "
            f"{result.booked_after_first * result.ledger_bytes_unbounded / mb:,.0f} MB."
            + _attribution(result) + "\n")


def _attribution(result: Soak) -> str:
    """What of a soak's growth the bounded ledger accounts for: said only when it grew past the
    target, where it is the question."""
    if result.growth <= GROWTH_TARGET:
        return ""
    mb = 1024 * 1024
    return (f" At the bounded rate they account for {result.ledger_growth / mb:.0f} MB of the "
            f"{(result.rss_end - result.rss_first) / mb:.0f} MB growth; without them the end "
            f"would be {result.growth_beyond_ledger:.2f}x the first sample.")


def _count(figures: dict[str, object], name: str) -> str:
    value = figures.get(name)
    return f"{value:,}" if isinstance(value, int) else str(value if name in figures else "?")
