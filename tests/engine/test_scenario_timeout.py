"""``--scenario-timeout``: a run whose connector keeps it too long is stopped as an error, and
only the scenario's own time counts (not waiting for a shared service or a container to start).
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from engine_helpers import REFERENCE, scenarios

from harness.drivers import Driver, driver_factory
from harness.engine import runner
from harness.engine.runner import RunOptions
from harness.engine.session import plan, run_plan
from harness.outcome import Outcome

#: four operations (draw-down, get-line, draw-down, draw-down): at 0.6 s each, the third starts
#: after 1.2 s
CASE = "lock-period-30-days"


def _run(make_slow: type, timeout: float) -> Any:
    make, identity = driver_factory(REFERENCE)

    def make_driver() -> Driver:
        return make_slow(make())

    results, _ = run_plan(plan(scenarios([CASE]), ["v2"]), make_driver, identity,
                          RunOptions(scenario_timeout=timeout))
    return results[0]


class _Wrapped:
    def __init__(self, inner: Driver) -> None:
        self.inner, self.identity, self.notes = inner, inner.identity, inner.notes

    def start(self, bank_url: str, version: str) -> None:
        self.inner.start(bank_url, version)

    def perform(self, request: dict[str, Any], timeout: float) -> Outcome:
        return self.inner.perform(request, timeout)

    def stop(self) -> None:
        self.inner.stop()


class SlowOperations(_Wrapped):
    def perform(self, request: dict[str, Any], timeout: float) -> Outcome:
        time.sleep(0.6)
        return super().perform(request, timeout)


class SlowStart(_Wrapped):
    """Starting takes an hour of the runner's clock (a container coming up, or another job's
    turn on a shared service): the clock is moved, not slept on, so no machine is too slow."""

    def start(self, bank_url: str, version: str) -> None:
        super().start(bank_url, version)
        _SKEW[0] += 3600.0


_SKEW = [0.0]


def test_a_run_that_outlasts_the_scenario_timeout_is_an_error_with_why() -> None:
    result = _run(SlowOperations, timeout=1.0)
    assert result.verdict == "error"
    assert result.error.startswith("scenario timeout: 1s of wall time passed before step ")
    assert [f.oracle for f in result.findings][:1] == ["scenario-timeout"]


def test_waiting_for_the_connector_to_start_is_not_scenario_time(
        monkeypatch: pytest.MonkeyPatch) -> None:
    real = time.monotonic
    _SKEW[0] = 0.0
    monkeypatch.setattr(runner.time, "monotonic", lambda: real() + _SKEW[0])
    result = _run(SlowStart, timeout=600.0)
    assert result.verdict == "pass", [f.oracle for f in result.findings]
