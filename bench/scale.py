"""Seeding time and per-request latency with thousands to a million credit lines.

Line ids are ``CL`` and six digits (the contracts' pattern): enterprise n is numbered
n mod 1,000,000, so with a million lines every id CL000000..CL999999 exists and requests pick
any of them at random; with fewer, ids 1..N.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench import load
from bench.servers import fake_bank

SEED_ONE = """
import json, time
from fake_core_bank.fake import BankConfig, FakeBank
started = time.perf_counter()
bank = FakeBank(BankConfig(customers={count}))
seconds = time.perf_counter() - started
rss = [l for l in open("/proc/self/status") if l.startswith("VmRSS:")][0].split()[1]
print(json.dumps({{"seconds": seconds, "rss": int(rss) * 1024, "lines": len(bank.core.lines)}}))
"""

RANDOM_GET = """
math.randomseed(7)
function request()
  return wrk.format("GET", string.format("/v2/credit-lines/CL%06d", math.random(FIRST, LAST)))
end
""" + load.DONE

RANDOM_POST = """
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
math.randomseed(11)
-- a tag of this run (see bench/load.py): keys never repeat across wrk runs
local run = io.open("/proc/sys/kernel/random/uuid"):read("*l")
function request()
  counter = counter + 1
  return wrk.format("POST", string.format("/v2/credit-lines/CL%06d/drawdowns",
                    math.random(FIRST, LAST)),
                    {["Content-Type"] = "application/json",
                     ["Idempotency-Key"] = "scale-" .. run .. "-" .. id .. "-" .. counter}, BODY)
end
""" + load.DONE


@dataclass(frozen=True)
class ScalePoint:
    lines: int
    seed_seconds: float
    seed_rss: int
    get: load.LoadResult
    post: load.LoadResult


def seed_once(count: int, timeout: float = 1800.0) -> tuple[float, int]:
    """Seconds to build a FakeBank with ``count`` lines in a fresh interpreter, and its RSS."""
    done = subprocess.run([sys.executable, "-c", SEED_ONE.format(count=count)],
                          capture_output=True, text=True, timeout=timeout, check=True)
    data = json.loads(done.stdout.strip().splitlines()[-1])
    if data["lines"] != count:
        raise RuntimeError(f"asked for {count} lines, the bank has {data['lines']}")
    return float(data["seconds"]), int(data["rss"])


def measure(count: int, work: Path, duration: float, wrk: str, body: bytes) -> ScalePoint:
    seconds, rss = seed_once(count)
    first, last = ("0", "999999") if count >= 1_000_000 else ("1", str(count))
    get_script, post_script = work / f"scale-get-{count}.lua", work / f"scale-post-{count}.lua"
    get_script.write_text(RANDOM_GET.replace("FIRST", first).replace("LAST", last))
    post_script.write_text(RANDOM_POST.replace("FIRST", first).replace("LAST", last).replace(
        "BODY", "[==[" + body.decode() + "]==]"))
    child = fake_bank(customers=count, timeout=max(60.0, seconds * 3 + 30))(work)
    try:
        load.run_wrk(child.base_url, duration=1, threads=1, connections=1, script=get_script,
                     wrk=wrk)
        got = load.run_wrk(child.base_url, duration=duration, threads=1, connections=1,
                           script=get_script, wrk=wrk)
        posted = load.run_wrk(child.base_url, duration=duration, threads=1, connections=1,
                              script=post_script, wrk=wrk)
    finally:
        child.stop()
    return ScalePoint(count, seconds, rss, got, posted)
