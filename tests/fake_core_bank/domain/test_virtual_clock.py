"""The virtual clock: explicit moves between operations, stepped wall time during one."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from fake_core_bank.domain.clock import Clock
from fake_core_bank.domain.model import LineStatus
from tests.fake_core_bank.bank_testkit import START, FakeWall, later, make_core


def test_between_operations_the_clock_ignores_wall_time():
    wall = FakeWall()
    clock = Clock(START, wall=wall)
    wall.sleep(3600)
    assert clock.now() == START
    assert clock.wall_offset() is None
    clock.advance(timedelta(hours=2))
    clock.set(START + timedelta(days=1))
    assert clock.now() == START + timedelta(days=1)


def test_the_clock_refuses_naive_times_and_running_backwards():
    with pytest.raises(ValueError, match="aware datetime"):
        Clock(datetime(2026, 3, 2, 9))
    clock = Clock(START)
    with pytest.raises(ValueError, match="aware datetime"):
        clock.set(datetime(2026, 3, 2, 9))
    with pytest.raises(ValueError, match="never runs backwards"):
        clock.advance(timedelta(seconds=-1))


def test_during_an_operation_the_clock_jumps_only_to_boundaries_scaled_wall_time_passed():
    core = make_core()  # time scale 3600: one wall second is one bank hour
    core.bank.schedule_maintenance(later(minutes=-5), later(minutes=30), "FULL")
    core.bank.schedule_maintenance(later(hours=5), later(hours=6), "FULL")
    core.clock.begin_operation()
    assert core.clock.arrive() == 0.0  # the operation's first request starts the count

    core.wall.sleep(0.4)  # 24 virtual minutes: no boundary yet
    assert core.clock.now() == START
    assert core.clock.wall_offset() == pytest.approx(0.4)
    core.wall.sleep(0.2)  # 36 virtual minutes: passed the window's end, and nothing else
    assert core.clock.now() == later(minutes=30)
    core.wall.sleep(3)  # 3.6 virtual hours: no further boundary
    assert core.clock.now() == later(minutes=30)
    core.wall.sleep(2)  # 5.6 virtual hours: passed the next window's start
    assert core.clock.now() == later(hours=5)

    core.clock.end_operation()
    core.wall.sleep(100)
    assert core.clock.now() == later(hours=5)  # frozen at the last boundary reached
    assert core.clock.wall_offset() is None


def test_a_connector_that_sleeps_past_a_lock_end_finds_the_line_active():
    core = make_core()
    core.bank.set_status(core.line_id, LineStatus.LOCKED, locked_until=later(minutes=10))
    core.clock.begin_operation()
    core.clock.arrive()
    assert core.line.status is LineStatus.LOCKED
    core.wall.sleep(1)
    assert core.clock.now() == later(minutes=10)
    assert core.line.status is LineStatus.ACTIVE


def test_advance_during_an_operation_starts_from_the_boundary_reached():
    core = make_core()
    core.bank.schedule_maintenance(later(minutes=1), later(minutes=2), "FULL")
    core.clock.begin_operation()
    core.clock.arrive()
    core.wall.sleep(1)
    core.clock.advance(timedelta(hours=1))
    assert core.clock.now() == later(hours=1, minutes=2)


def test_the_wall_count_starts_at_the_operations_first_request_not_at_its_beginning():
    # A connector slow to send its first request (starting up, a loaded machine) must still
    # meet the window the step was placed in: only time after a request moves the bank's clock.
    core = make_core()
    core.bank.schedule_maintenance(later(minutes=-5), later(minutes=30), "FULL")
    assert core.clock.arrive() is None  # between operations: no count
    core.clock.begin_operation()
    core.wall.sleep(5)  # five bank hours, had the count started here
    assert core.clock.now() == START
    assert core.clock.wall_offset() is None
    assert core.clock.arrive() == 0.0
    core.wall.sleep(0.25)
    assert core.clock.arrive() == pytest.approx(0.25)  # later requests read the same count
    assert core.clock.now() == START
    core.wall.sleep(0.35)  # 36 virtual minutes since the first request: past the window
    assert core.clock.now() == later(minutes=30)
    core.clock.end_operation()
    core.clock.begin_operation()  # the next operation starts its own count
    core.wall.sleep(5)
    assert core.clock.now() == later(minutes=30)


@pytest.mark.parametrize(("virtual", "scale", "wall"), [
    (timedelta(minutes=30), 3600, 1),   # under a second rounds up to 1
    (timedelta(hours=2), 3600, 2),      # exact
    (timedelta(minutes=90), 3600, 2),   # 1.5 rounds up: never wake before the boundary
    (timedelta(minutes=30), 60, 30),
    (timedelta(minutes=30), 1, 1800),   # real time
    (timedelta(0), 3600, 1),            # never 0: a client must not spin
    (timedelta(seconds=-5), 3600, 1),
])
def test_seconds_to_wall_rounds_up_to_whole_seconds_of_at_least_one(virtual, scale, wall):
    assert Clock(START, time_scale=scale).seconds_to_wall(virtual) == wall
