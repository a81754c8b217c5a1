"""Each planted defect is caught by the oracle meant for it, on the scenario meant for it.

And the unmodified reference connector passes the very same runs, so the finding is the
defect's and not the scenario's.
"""

from __future__ import annotations

from typing import Any

import planted_defects as d
import pytest
from engine_helpers import explain, oracles_fired, run_class

from examples.connectors.reference_py.connector import ReferenceConnector

CASES: list[tuple[type[Any], str, str, str]] = [
    # defect, scenario, version, the oracle that must catch it
    (d.KeyPerCall, "lost-response-after-commit", "v2", "no-double-disbursement"),
    (d.FreshKeyPerAttempt, "lost-response-after-commit", "v3", "no-double-disbursement"),
    (d.HammersThroughRetryAfter, "full-outage-retry-after", "v2", "retry-discipline"),
    (d.GenericError, "frozen-line", "v2", "reason-propagation"),
    (d.YuanAsMinorUnits, "frozen-line", "v3", "amount-fidelity"),
    (d.ParsesMessageText, "varying-error-texts", "v2", "reason-propagation"),
    (d.StrictReader, "additive-suspended-v2", "v2", "tolerant-reader"),
    (d.GivesUpOnLostAnswer, "lost-response-after-commit", "v2", "truthful-outcome"),
    (d.DropsLockedUntil, "lock-period-case-study", "v3", "reason-propagation"),
    (d.NoPurposeCodeOnV3, "frozen-line", "v3", "request-conformance"),
    (d.FloatCents, "amount-precision", "v2", "amount-fidelity"),
    (d.SucceedsOnAccept, "v3-async-drawdown", "v3", "truthful-outcome"),
    (d.RetriesRefusals, "frozen-line", "v2", "retry-discipline"),
]


@pytest.mark.parametrize(("defect", "scenario", "version", "oracle"), CASES,
                         ids=[c[0].__name__ for c in CASES])
def test_the_intended_oracle_catches_the_defect(defect: type[Any], scenario: str, version: str,
                                                oracle: str) -> None:
    [caught] = run_class(defect, [version], [scenario])
    assert caught.verdict == "fail", explain([caught])
    assert oracle in oracles_fired(caught), explain([caught])
    [reference] = run_class(ReferenceConnector, [version], [scenario])
    assert reference.passed, explain([reference])


def test_lost_lock_date_is_named_in_the_finding() -> None:
    [result] = run_class(d.DropsLockedUntil, ["v2"], ["lock-period-case-study"])
    messages = [f.message for f in result.findings if f.oracle == "reason-propagation"]
    assert messages == ["during-lock: the lock's end date did not reach the caller"]


def test_message_parsing_fails_in_an_ordinary_scenario_because_texts_always_vary() -> None:
    # The texts vary by default (not only in varying-error-texts): the table of texts the
    # author saw in testing misses in frozen-line too.
    [ordinary] = run_class(d.ParsesMessageText, ["v2"], ["frozen-line"])
    assert "reason-propagation" in oracles_fired(ordinary), explain([ordinary])
    [varied] = run_class(d.ParsesMessageText, ["v2"], ["varying-error-texts"])
    steps = {f.step for f in varied.findings if f.oracle == "reason-propagation"}
    assert steps == {"frozen-1", "frozen-2", "frozen-3", "over-available"}
