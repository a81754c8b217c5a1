"""Memory under a long run: ``drawbridge serve`` (default options) under the POST load for a
while, its RSS after the first minute and at the end (issue 19: within 1.2x).

The full soak is 10 minutes (``--soak 600``); ``--soak SECONDS`` or the environment variable
``DRAWBRIDGE_BENCH_SOAK`` shortens it for a quick check (the first sample is then taken at half
the duration, when that is under a minute). Every POST books a drawdown and is journaled, so a
journal without a bound shows here as growth.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import load, stubs
from bench.servers import fake_bank

#: the issue's soak: ten minutes
FULL = 600.0
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

    @property
    def growth(self) -> float:
        return self.rss_end / self.rss_first if self.rss_first else float("inf")


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
    return Soak(seconds, first_at, rss_first, rss_end, first.requests + rest.requests,
                first.errors + rest.errors, dict(health.get("journal", {})))


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
            f"Journal at the end (`/_control/health`): {j.get('entries', '?'):,} entries, "
            f"{j.get('inMemory', '?'):,} in memory (bound {j.get('memoryLimit', '?'):,}, "
            f"overflow {j.get('overflow', '?')}), {j.get('dropped', '?'):,} dropped.\n")
