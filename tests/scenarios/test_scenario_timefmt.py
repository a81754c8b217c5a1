"""Times, dates, durations and step times."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fake_core_bank.errors import InputError
from harness.scenarios.timefmt import (
    format_at,
    format_duration,
    format_time,
    parse_at,
    parse_date,
    parse_duration,
    parse_time,
)

CST = timezone(timedelta(hours=8))
CLOCK = datetime(2026, 3, 2, 9, 0, tzinfo=CST)


def test_parse_time_keeps_the_offset() -> None:
    value = parse_time("2026-03-02T09:00:00+08:00")
    assert value == CLOCK
    assert format_time(value) == "2026-03-02T09:00:00+08:00"
    assert parse_time("2026-03-02T01:00Z") == CLOCK
    assert parse_time("2026-03-02T09:00:00.25+08:00").microsecond == 250000


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-13-02T09:00:00+08:00", "month 13 out of range 1..12"),
        ("2026-03-02T25:00:00+08:00", "hour 25 out of range 0..23"),
        ("2026-03-02T09:61:00+08:00", "minute 61 out of range"),
        ("2026-02-30T09:00:00+08:00", "day is out of range for month"),
        ("2026-03-02T09:00:00", "not an ISO 8601 time with offset"),
        ("2026-03-02T09:00:00+25:00", "offset"),
    ],
)
def test_bad_times_show_the_value(text: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        parse_time(text, "f.yaml:1:1 given.clock")


def test_dates() -> None:
    assert parse_date("2026-03-31") == date(2026, 3, 31)
    with pytest.raises(InputError, match="month 13"):
        parse_date("2026-13-01")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("90s", timedelta(seconds=90)),
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("3d", timedelta(days=3)),
        ("1d2h", timedelta(days=1, hours=2)),
        ("1d2h3m4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
    ],
)
def test_durations(text: str, value: timedelta) -> None:
    assert parse_duration(text) == value


@pytest.mark.parametrize("text", ["", "1h2d", "30 minutes", "1.5h", "-1h", "h"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(InputError, match="is not a duration"):
        parse_duration(text)


def test_zero_duration_only_where_allowed() -> None:
    with pytest.raises(InputError, match="is zero"):
        parse_duration("0s")
    assert parse_at("+0s", CLOCK) == CLOCK


def test_step_times_relative_and_absolute() -> None:
    assert parse_at("+1d2h", CLOCK) == CLOCK + timedelta(days=1, hours=2)
    absolute = parse_at("2026-03-02T02:00:00Z", CLOCK)
    assert absolute == CLOCK + timedelta(hours=1)
    assert absolute.utcoffset() == timedelta(hours=8)  # shown in the clock's zone
    with pytest.raises(InputError, match=r"a duration, not a step time; fix: write .\+1h."):
        parse_at("1h", CLOCK)


@given(st.integers(min_value=0, max_value=10**9))
def test_duration_and_at_round_trip(seconds: int) -> None:
    value = timedelta(seconds=seconds)
    assert parse_duration(format_duration(value), allow_zero=True) == value
    assert parse_at(format_at(CLOCK + value, CLOCK), CLOCK) == CLOCK + value
