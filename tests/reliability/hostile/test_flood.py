"""A connector that floods the bank is cut off at the operation timeout, named, and the run
goes on.

tests/engine/test_command_driver_hostile.py covers a hung, a crashing, a garbage-printing and a
child-leaving connector; this is the one that is busy instead of stuck: thousands of requests
per second against a bank in a maintenance window, ignoring Retry-After, never answering.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from engine_helpers import scenarios

from harness.drivers.base import Driver, Identity
from harness.drivers.command import CommandDriver
from harness.engine.runner import RunOptions
from harness.engine.session import plan, run_plan

pytestmark = pytest.mark.slow

FLOOD = [sys.executable, str(Path(__file__).parent / "connectors" / "flood.py")]
OP_TIMEOUT = 1.0


def test_a_flooding_connector_is_bounded_by_the_timeout_and_named_by_retry_discipline() -> None:
    def make_driver() -> Driver:
        return CommandDriver(FLOOD, "command:flood")

    items = plan(scenarios(["full-outage-retry-after", "frozen-line"]), ["v2"])
    began = time.monotonic()
    results, interrupted = run_plan(items, make_driver, Identity("hostile-flood"),
                                    RunOptions(op_timeout=OP_TIMEOUT), jobs=1)
    elapsed = time.monotonic() - began
    assert not interrupted
    # The run went on: both scenarios were judged (a verdict, not an engine error).
    assert [(r.scenario_id, r.verdict) for r in results] == [
        ("frozen-line", "fail"), ("full-outage-retry-after", "fail")]
    # Each flood lasted one operation timeout: the connector was killed, not waited for.
    assert elapsed < 2 * OP_TIMEOUT + 10
    outage = results[1]
    during = outage.operations[0]
    assert during.outcome.status == "failed"
    assert during.outcome.detail == f"timeout: no answer within {OP_TIMEOUT:g}s"
    named = {f.message for f in outage.findings if f.oracle == "retry-discipline"}
    assert "during-window: retried before the advertised Retry-After" in named
    hammered = [m for m in named if m.endswith("attempts against an unavailable bank")]
    assert hammered and int(hammered[0].split(": ")[1].split()[0]) > 50, named
    # One key for the whole flood: never a second booking, however many requests.
    assert "no-double-disbursement" not in {f.oracle for f in outage.findings}
