"""What adapters hand back to the app: a status, a JSON body, headers. No HTTP objects."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from fake_core_bank.fake import FakeBank

JSON = "application/json"
#: set per request while the bank runs a minor release (``BankConfig.additive``)
ADDITIVE: ContextVar[bool] = ContextVar("additive", default=False)
#: what a minor release adds to every object it answers with
ADDITIONS = {"riskLevel": "R2", "channelHints": {"preferred": "open-api", "rpa": False}}
PROBLEM = "application/problem+json"


@dataclass
class Request:
    """A request already matched to a contract operation and validated against it."""

    bank: FakeBank
    version: str
    operation_id: str
    path: str
    path_params: dict[str, str]
    query: dict[str, Any]
    headers: dict[str, str]  # lower-case names
    body: Any


@dataclass
class Reply:
    status: int
    body: Any
    media_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)
    #: drawdown ids this request booked (the journal links bookings to exchanges)
    bookings: list[str] = field(default_factory=list)
    reason: str | None = None


def iso(value: datetime) -> str:
    """ISO 8601 with the bank's offset, seconds precision: stable across runs."""
    return value.isoformat(timespec="seconds")


def http_date(value: datetime) -> str:
    return format_datetime(value.astimezone(UTC), usegmt=True)


def yuan(minor: int) -> str:
    """Minor units as the v1 decimal-yuan string: 30000000 -> '300000.00'."""
    return f"{minor // 100}.{minor % 100:02d}"
