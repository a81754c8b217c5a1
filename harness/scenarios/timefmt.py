"""Times, dates and durations as scenarios write them, with range errors that show the value.

Times are ISO 8601 with an explicit offset (``2026-03-02T09:00:00+08:00``): a naive time would
silently mean the machine's zone. Durations are ``90s``, ``30m``, ``2h``, ``3d`` or combinations
in that order (``1d2h30m``). A timeline ``at`` is ``+<duration>`` from the clock or a time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from fake_core_bank.domain.limits import EARLIEST, LATEST, LONGEST, time_problem
from fake_core_bank.errors import InputError

_TIME = re.compile(
    r"^(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2})(?:\.(?P<frac>[0-9]{1,6}))?)?"
    r"(?P<tz>Z|[+-][0-9]{2}:[0-9]{2})$"
)
_DATE = re.compile(r"^(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})$")
_DURATION = re.compile(
    r"^(?:(?P<d>[0-9]+)d)?(?:(?P<h>[0-9]+)h)?(?:(?P<m>[0-9]+)m)?(?:(?P<s>[0-9]+)s)?$"
)
TIME_EXAMPLE = "2026-03-02T09:00:00+08:00"
DATE_EXAMPLE = "2026-03-31"
DURATION_EXAMPLE = "1d2h30m"
_RANGES = (("month", 1, 12), ("day", 1, 31), ("hour", 0, 23), ("minute", 0, 59), ("second", 0, 59))


def _check_ranges(text: str, parts: dict[str, str | None], where: str, example: str) -> None:
    for name, low, high in _RANGES:
        value = parts.get(name)
        if value is not None and not low <= int(value) <= high:
            raise InputError(
                where,
                f"{name} {int(value)} out of range {low}..{high} in {text!r}",
                f"write a real {'time' if 'T' in example else 'date'}, e.g. {example!r}",
            )


def parse_time(text: object, where: str = "") -> datetime:
    """Parse an ISO 8601 time with offset into an aware datetime.

    >>> parse_time("2026-03-02T09:00:00+08:00").isoformat()
    '2026-03-02T09:00:00+08:00'
    """
    if not isinstance(text, str):
        raise InputError(
            where,
            f"expected a time such as {TIME_EXAMPLE!r}, found {text!r}",
            f"write the time in quotes with its offset: {TIME_EXAMPLE!r}",
        )
    match = _TIME.match(text)
    if match is None:
        raise InputError(
            where,
            f"{text!r} is not an ISO 8601 time with offset",
            f"write e.g. {TIME_EXAMPLE!r} (date, 'T', time, offset such as +08:00 or Z)",
        )
    parts = match.groupdict()
    _check_ranges(text, parts, where, TIME_EXAMPLE)
    tz_text = parts["tz"] or "Z"
    if tz_text == "Z":
        tz = UTC
    else:
        sign = -1 if tz_text[0] == "-" else 1
        hours, minutes = int(tz_text[1:3]), int(tz_text[4:6])
        if hours > 23 or minutes > 59:
            raise InputError(
                where, f"offset {tz_text} out of range in {text!r}", "write an offset like +08:00"
            )
        tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        parsed = datetime(
            int(parts["year"] or 0),
            int(parts["month"] or 0),
            int(parts["day"] or 0),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
            int((parts["frac"] or "0").ljust(6, "0")),
            tzinfo=tz,
        )
    except ValueError as exc:  # e.g. 2026-02-30: the day exists in no such month
        raise InputError(
            where, f"{exc} in {text!r}", f"write a real time, e.g. {TIME_EXAMPLE!r}"
        ) from None
    return in_range(parsed, where)


def in_range(value: datetime, where: str) -> datetime:
    """``value`` when the fake bank's clock can hold it (issue 15 item 8), else one line."""
    problem = time_problem(value)
    if problem is not None:
        raise InputError(where, problem, f"write a time between {EARLIEST.year} and "
                         f"{LATEST.year}, e.g. {TIME_EXAMPLE!r}")
    return value


def format_time(value: datetime) -> str:
    """The canonical text of an aware time: ISO 8601, seconds, offset (``+08:00``)."""
    if value.tzinfo is None:
        raise ValueError("scenario times are aware; got a naive datetime")
    return value.isoformat()


def parse_date(text: object, where: str = "") -> date:
    """Parse ``YYYY-MM-DD``."""
    if isinstance(text, date) and not isinstance(text, datetime):
        return text
    if not isinstance(text, str) or (match := _DATE.match(text)) is None:
        raise InputError(
            where,
            f"expected a date such as {DATE_EXAMPLE!r}, found {text!r}",
            f"write the date in quotes: {DATE_EXAMPLE!r}",
        )
    parts = match.groupdict()
    _check_ranges(text, parts, where, DATE_EXAMPLE)
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError as exc:
        raise InputError(
            where, f"{exc} in {text!r}", f"write a real date, e.g. {DATE_EXAMPLE!r}"
        ) from None


def format_date(value: date) -> str:
    return value.isoformat()


def parse_duration(text: object, where: str = "", *, allow_zero: bool = False) -> timedelta:
    """Parse ``1d2h30m15s`` (any non-empty subset, in that order) into a timedelta.

    >>> parse_duration("1d2h")
    datetime.timedelta(days=1, seconds=7200)
    """
    if not isinstance(text, str) or not text or (match := _DURATION.match(text)) is None:
        raise InputError(
            where,
            f"{text!r} is not a duration",
            f"write a number and unit, largest first, e.g. '90s', '30m', '2h', '3d', "
            f"{DURATION_EXAMPLE!r}",
        )
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    try:
        value = timedelta(
            days=parts.get("d", 0),
            hours=parts.get("h", 0),
            minutes=parts.get("m", 0),
            seconds=parts.get("s", 0),
        )
    except OverflowError:
        value = LONGEST * 2
    if value > LONGEST:
        raise InputError(
            where, f"duration {text!r} is longer than the bank's whole time range "
            f"({EARLIEST.year}..{LATEST.year})", f"use at most {LONGEST.days:,} days"
        )
    if not allow_zero and value <= timedelta(0):
        raise InputError(where, f"duration {text!r} is zero", "write a duration > 0, e.g. '30m'")
    return value


def format_duration(value: timedelta) -> str:
    """The canonical text of a whole-second duration: ``1d2h30m``; zero is ``0s``."""
    total = value.total_seconds()
    if value < timedelta(0) or value.microseconds:
        raise ValueError(f"not a whole, non-negative number of seconds: {value!r}")
    seconds = int(total)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    text = "".join(
        f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")) if n
    )
    return text or "0s"


def parse_at(text: object, clock: datetime, where: str = "") -> datetime:
    """A timeline ``at``: ``+<duration>`` after ``clock`` (``+0s`` allowed) or an absolute time.

    The result is expressed in the clock's offset, so reports show one zone per scenario.
    """
    if isinstance(text, str) and text.startswith("+"):
        return in_range(clock + parse_duration(text[1:], where, allow_zero=True), where)
    if isinstance(text, str) and text and _DURATION.match(text):
        raise InputError(
            where,
            f"{text!r} is a duration, not a step time",
            f"write '+{text}' for {text} after given.clock",
        )
    if isinstance(text, str) and text[:1].isdigit():
        tz = clock.tzinfo
        return parse_time(text, where).astimezone(tz)
    raise InputError(
        where,
        f"{text!r} is not a step time",
        "write '+<duration>' after given.clock (e.g. '+0s', '+1h', '+2d3h') or an ISO time "
        f"such as {TIME_EXAMPLE!r}",
    )


def format_at(value: datetime, clock: datetime) -> str:
    """The canonical ``at`` of a step: ``+<duration>`` when whole seconds after the clock."""
    offset = value - clock
    if offset >= timedelta(0) and not offset.microseconds:
        return "+" + format_duration(offset)
    return format_time(value.astimezone(clock.tzinfo))
