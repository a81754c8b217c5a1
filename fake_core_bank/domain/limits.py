"""The ranges the fake bank accepts for times, time scales and sizes: one place for all of them.

The control API, ``drawbridge serve``/``run`` options and the scenario format all check against
these (issue 15 item 8 and 11): a clock at 9999-12-31 or a time scale of 1e308 used to be
accepted and then overflowed ``datetime`` on the next request (500s, dropped connections).
The bounds leave centuries of room for any real test and thousands of years of headroom for
an operation that follows wall time at the highest scale.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
#: The longest clock move one step may make (the whole range).
LONGEST = LATEST - EARLIEST
#: Virtual seconds per wall second, at most (a wall day then moves the clock ~270 years).
MAX_TIME_SCALE = 10_000_000.0
#: Enterprises a bank may be seeded with (each has a credit line); `serve` documents a million.
MAX_CUSTOMERS = 1_000_000
#: Money in minor units (fen): 10**15 fen is ten trillion yuan, beyond any credit line.
MAX_AMOUNT = 10**15


def time_problem(when: datetime) -> str | None:
    """Why ``when`` is outside the bank's range, or None when it is inside."""
    if when.tzinfo is None:
        return f"{when.isoformat()} has no UTC offset; add one, e.g. +08:00"
    try:
        inside = EARLIEST <= when <= LATEST
    except OverflowError:  # an offset that pushes a year-1 or year-9999 time past datetime
        inside = False
    if not inside:
        return (f"{when.isoformat()} is outside the bank's range "
                f"{EARLIEST.date().isoformat()}..{LATEST.date().isoformat()}")
    return None


def step_problem(start: datetime, by: timedelta) -> str | None:
    """Why moving the clock from ``start`` by ``by`` leaves the range, or None."""
    if by > LONGEST or by < -LONGEST:
        return f"a move of {by.days:,} days is longer than the bank's whole range"
    return time_problem(start + by)


def scale_problem(scale: float) -> str | None:
    """Why ``scale`` (virtual seconds per wall second) is not usable, or None."""
    if not math.isfinite(scale) or not 0 < scale <= MAX_TIME_SCALE:
        return f"{scale!r} is not a number in (0, {MAX_TIME_SCALE:,.0f}]"
    return None
