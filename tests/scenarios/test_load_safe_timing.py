"""No step of the library sits just before a calendar boundary it is not told to wait for.

During an operation the bank's clock follows scaled wall time from the operation's first
request (docs/time.md). A step placed a few bank minutes before a maintenance window's start,
a lock's end or a policy's effective time would see the boundary crossed between two requests
of one operation (a v3 drawdown and its poll, a read and a retry) whenever the machine is slow
enough: the same connector would meet another bank on a loaded machine. Steps inside a
maintenance window are exempt: its end is the boundary its Retry-After tells the connector to
wait for. The margin is a wall second at the scenario's time scale.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

from fake_core_bank.domain.clock import DEFAULT_TIME_SCALE
from harness.scenarios.library import load_library
from harness.scenarios.model import Scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
MARGIN_WALL_SECONDS = 1.0


def _boundaries(scenario: Scenario) -> tuple[list[datetime], list[tuple[datetime, datetime]]]:
    """The scenario's calendar boundaries, and its maintenance windows."""
    bounds: list[datetime] = []
    windows: list[tuple[datetime, datetime]] = []
    tz = scenario.given.clock.tzinfo
    for line in scenario.given.lines:
        if line.locked_until is not None:
            bounds.append(line.locked_until)
        if line.expires_on is not None:  # usable on its expiry date: expired from the next day
            bounds.append(datetime.combine(line.expires_on + timedelta(days=1), time(), tz))
    for event in scenario.events:
        fields = dict(event.fields)
        if event.kind == "maintenance":
            windows.append((event.at, event.at + fields["duration"]))
            bounds += windows[-1]
        bounds += [v for k, v in fields.items()
                   if k in ("until", "effective", "sunset") and isinstance(v, datetime)]
    return bounds, windows


def test_no_step_sits_within_a_wall_second_before_a_boundary_it_does_not_wait_for() -> None:
    close = []
    for scenario in load_library([SCENARIOS]):
        bounds, windows = _boundaries(scenario)
        scale = scenario.given.bank.time_scale or DEFAULT_TIME_SCALE
        margin = timedelta(seconds=MARGIN_WALL_SECONDS * scale)
        for op in scenario.operations:
            if any(start <= op.at < end for start, end in windows):
                continue
            close += [f"{scenario.id} {op.name}: {b - op.at} before {b.isoformat()}"
                      for b in bounds if timedelta(0) < b - op.at <= margin]
    assert not close, close
