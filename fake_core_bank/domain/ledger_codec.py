"""Bookings as compact bytes, and back: what the ledger store writes to its spill database.

A drawdown becomes one ``marshal``-ed tuple of plain values (about 150 bytes, a few microseconds
each way; ``pickle`` made 446 bytes and took 7 us to write). Time zones are kept once, in a small
table the codec holds: a datetime is stored as its ISO text and its zone's number, so it comes
back with the very zone object it was booked with (name included), not a nameless offset.

Only this process reads what it wrote (the database is an anonymous temporary file), so
``marshal`` is safe here. Decoding gives new objects equal to the booked ones field by field
(a :class:`Refusal` compares by identity, so its fields are what is compared).
"""

from __future__ import annotations

import marshal
import pickle
from datetime import datetime, timezone, tzinfo
from typing import Any

from fake_core_bank.domain.model import (
    Drawdown,
    DrawdownStatus,
    Reason,
    Refusal,
    Repayment,
    Wording,
)

Fingerprint = tuple[object, ...]

#: a status as text and back (an enum's ``.value`` costs a microsecond in Python 3.11)
_STATUS_TEXT = {status: status.value for status in DrawdownStatus}
_STATUSES = {status.value: status for status in DrawdownStatus}


class LedgerCodec:
    """Encodes and decodes bookings; holds the time zones seen (a handful in any real run)."""

    def __init__(self) -> None:
        self._zones: list[tzinfo | None] = []
        self._zone_numbers: dict[object, int] = {}
        self._last: tuple[tzinfo | None, int] = (None, -1)  # the clock hands out one zone
        #: the last datetime encoded, and its encoding: the clock hands out the same object
        #: until it moves, so a batch of bookings mostly shares a few
        self._last_time: tuple[datetime | None, tuple[str, int] | None] = (None, None)

    # -- time ---------------------------------------------------------------------------------
    def _zone(self, zone: tzinfo | None) -> int:
        last, number = self._last
        if zone is last and number >= 0:
            return number
        # A fixed offset is known by offset and name (two such zones behave alike); any other
        # zone by its pickled form, so the table grows with distinct zones, never per booking.
        key: object = (None if zone is None else
                       ("fixed", zone.utcoffset(None), zone.tzname(None))
                       if type(zone) is timezone else ("other", pickle.dumps(zone)))
        found = self._zone_numbers.get(key)
        if found is None:
            found = self._zone_numbers[key] = len(self._zones)
            self._zones.append(zone)
        self._last = (zone, found)
        return found

    def _time(self, when: datetime | None) -> tuple[str, int] | None:
        if when is None:
            return None
        last, encoded = self._last_time
        if when is not last:
            encoded = (when.isoformat(), self._zone(when.tzinfo))
            self._last_time = (when, encoded)
        return encoded

    def _from_time(self, data: tuple[str, int] | None) -> datetime | None:
        if data is None:
            return None
        text, zone = data
        return datetime.fromisoformat(text).replace(tzinfo=self._zones[zone])

    # -- records ------------------------------------------------------------------------------
    def _refusal(self, refusal: Refusal | None) -> tuple[Any, ...] | None:
        if refusal is None:
            return None
        wording = refusal.wording
        return (refusal.reason.value, refusal.detail, refusal.field,
                self._time(refusal.locked_until), self._time(refusal.retry_after),
                refusal.extra, None if wording is None else (wording.detail, wording.lang))

    def _from_refusal(self, data: tuple[Any, ...] | None) -> Refusal | None:
        if data is None:
            return None
        reason, detail, field, locked_until, retry_after, extra, wording = data
        return Refusal(Reason(reason), detail, field=field,
                       locked_until=self._from_time(locked_until),
                       retry_after=self._from_time(retry_after),
                       extra=extra,
                       wording=None if wording is None else Wording(*wording))

    def drawdown(self, d: Drawdown) -> bytes:
        return marshal.dumps((d.drawdown_id, d.line_id, d.amount, d.currency,
                              d.beneficiary_account, d.purpose_code, _STATUS_TEXT[d.status],
                              self._time(d.created_at), self._time(d.settled_at),
                              self._refusal(d.rejection), d.operation, d.channel, d.polls))

    def from_drawdown(self, data: bytes) -> Drawdown:
        (drawdown_id, line_id, amount, currency, beneficiary, purpose, status, created,
         settled, rejection, operation, channel, polls) = marshal.loads(data)  # noqa: S302 (own spill)
        created_at = self._from_time(created)
        assert created_at is not None
        return Drawdown(drawdown_id, line_id, amount, currency, beneficiary, purpose,
                        _STATUSES[status], created_at, self._from_time(settled),
                        self._from_refusal(rejection), operation, channel, polls)

    def repayment(self, r: Repayment) -> bytes:
        return marshal.dumps((r.repayment_id, r.line_id, r.amount, r.currency,
                              self._time(r.created_at)))

    def from_repayment(self, data: bytes) -> Repayment:
        repayment_id, line_id, amount, currency, created = marshal.loads(data)  # noqa: S302 (own spill)
        created_at = self._from_time(created)
        assert created_at is not None
        return Repayment(repayment_id, line_id, amount, currency, created_at)

    @staticmethod
    def fingerprint(fingerprint: Fingerprint) -> bytes:
        return marshal.dumps(fingerprint)  # type: ignore[arg-type]  # str, int, None

    @staticmethod
    def from_fingerprint(data: bytes) -> Fingerprint:
        return tuple(marshal.loads(data))  # noqa: S302 (own spill)
