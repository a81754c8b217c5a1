"""A connector that floods the bank is cut off at the operation timeout, named, and the run
goes on.

tests/engine/test_command_driver_hostile.py covers a hung, a crashing, a garbage-printing and a
child-leaving connector; this is the one that is busy instead of stuck: thousands of requests
per second against a bank in a maintenance window, ignoring Retry-After, never answering.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from engine_helpers import scenarios

from harness.drivers.base import Driver
from harness.drivers.command import CommandDriver
from harness.engine.runner import RunOptions
from harness.engine.session import plan, run_plan
from harness.evidence import Identity
from harness.oracles.retry_discipline import MAX_ATTEMPTS

pytestmark = pytest.mark.slow

FLOOD = [sys.executable, str(Path(__file__).parent / "connectors" / "flood.py")]
OP_TIMEOUT = 2.0


def test_a_flooding_connector_is_bounded_by_the_timeout_and_named_by_retry_discipline() -> None:
    def make_driver() -> Driver:
        return CommandDriver(FLOOD, "command:flood")

    items = plan(scenarios(["full-outage-retry-after", "frozen-line"]), ["v2"])
    results, interrupted = run_plan(items, make_driver, Identity("hostile-flood"),
                                    RunOptions(op_timeout=OP_TIMEOUT), jobs=1)
    assert not interrupted
    # The run went on: both scenarios were judged (a verdict, not an engine error).
    assert [(r.scenario_id, r.verdict) for r in results] == [
        ("frozen-line", "fail"), ("full-outage-retry-after", "fail")]
    # Each flood ended at the operation timeout: the connector was killed, not waited for.
    outage = results[1]
    during = outage.operations[0]
    assert during.outcome.status == "failed"
    assert during.outcome.detail == f"timeout: no answer within {OP_TIMEOUT:g}s"
    named = {f.message for f in outage.findings if f.oracle == "retry-discipline"}
    exchanges = [e for e in outage.journal
                 if e.get("kind") == "exchange" and e.get("operation") == during.step]
    assert exchanges, "the flood reached the bank"
    if len(exchanges) > 1:
        assert "during-window: retried before the advertised Retry-After" in named
    # How many requests fit in the timeout depends on the machine; what the oracle says about
    # them does not: the count it names is the journal's count of troubled requests, and it
    # names one exactly when there were more than it allows.
    troubled = [e for e in exchanges if e.get("status") is None or e["status"] >= 500]
    hammered = [m for m in named if m.endswith("attempts against an unavailable bank")]
    if len(troubled) > MAX_ATTEMPTS:
        assert hammered == [f"during-window: {len(troubled)} attempts against an unavailable "
                            "bank"], named
    else:
        assert hammered == [], named
    # One key for the whole flood: never a second booking, however many requests.
    assert "no-double-disbursement" not in {f.oracle for f in outage.findings}
