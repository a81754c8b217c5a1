"""What adapters hand back to the app: a status, a JSON body, headers. No HTTP objects."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any, Protocol

from fake_core_bank.domain.bank import CoreBank

JSON = "application/json"
#: set per request while the bank runs a minor release (``BankConfig.additive``)
ADDITIVE: ContextVar[bool] = ContextVar("additive", default=False)
#: what a minor release adds to every object it answers with
ADDITIONS = {"riskLevel": "R2", "channelHints": {"preferred": "open-api", "rpa": False}}
PROBLEM = "application/problem+json"


class ServedBank(Protocol):
    """What an adapter sees of the bank it serves: the domain (``bank.core``). A Protocol, so
    adapters (and the core models that declare them) need not import the bank itself."""

    core: CoreBank


@dataclass
class Request:
    """A request already matched to a contract operation and validated against it."""

    bank: ServedBank
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


@dataclass(frozen=True)
class Evidence:
    """What one journaled exchange meant, in the domain's words: the oracles read this (through
    the adapter of the entry's version, :meth:`Adapter.evidence`), never the wire itself, so one
    set of oracles judges connectors of any core model (docs/core-models.md).

    ``outcome``: ``success`` (done), ``accepted`` (taken, settled later: to be polled),
    ``refused`` (a business refusal: the line, a rule, a policy, or what the request addressed
    does not exist), ``invalid`` (the request was malformed), ``unavailable`` (maintenance,
    overload, a server error: asking later may succeed), ``retired`` (the version or service is
    gone), ``none`` (no answer came).
    """

    outcome: str
    #: the domain's reason (``fake_core_bank.domain.model.Reason`` value) of a refusal, of an
    #: unavailable or retired answer, or of a drawdown the answer shows as rejected
    reason: str | None = None
    #: the code as the wire says it (``E1003``, ``LINE_FROZEN``, a gateway's return code)
    code: str | None = None
    #: the text the bank sent a person (a problem's detail, a return message)
    text: str | None = None
    #: seconds the answer told the client to wait before asking again
    retry_after: float | None = None
    #: when a lock the answer names ends (ISO 8601 as on the wire)
    locked_until: str | None = None
    #: the version (or service version) the answer names as the successor of a retired one
    successor: str | None = None
    #: the key the request carried to make it idempotent (a header, a sequence number)
    idempotency_key: str | None = None
    #: what a successful answer showed, in domain terms: ``{"line": {...}}`` with status, limit,
    #: used, available, currency (minor units); ``{"drawdown": {...}}`` with id, status, amount
    resource: dict[str, Any] | None = None
    #: how a person reads the answer on the wire: ``409 E1003``, ``200 F/LN1003``
    said: str = ""
    #: the business action the request asked for, in the scenario vocabulary's words
    #: (``get-line``, ``draw-down``, ``get-drawdown``, ``activate``, ``repay``); None for
    #: anything else (a status page, a listing, a path the core does not have)
    action: str | None = None
    #: the name the wire gives the field that carried ``code`` (``code``, ``reasonCode``,
    #: ``retCode``): findings quote it
    code_field: str | None = None
    #: whether ``code`` names ``reason`` by itself (v1's ``E1003`` stands for a freeze, a lock
    #: and more: it does not); a connector that then misses the reason did not read the code
    unambiguous: bool = False


def _last_remembered(timespec: str) -> Callable[[datetime], str]:
    """``value.isoformat(timespec=timespec)``, the text of the last value kept. The bank's clock
    hands out one datetime object until it moves, so a request asks again for the text of the
    object the one before it asked for (0.6-0.75 us each in C, through printf). The kept pair
    holds its datetime, so no other object can take its identity; one pair is swapped whole,
    so threads may share it."""
    kept: tuple[datetime | None, str] = (None, "")

    def isoformat(value: datetime) -> str:
        nonlocal kept
        seen, text = kept
        if seen is not value:
            text = value.isoformat(timespec=timespec)
            kept = (value, text)
        return text

    return isoformat


#: ISO 8601 with the bank's offset, seconds precision: stable across runs
iso = _last_remembered("seconds")
#: ISO 8601 as ``datetime.isoformat()`` writes it (the journal's ``at``)
iso_full = _last_remembered("auto")


def http_date(value: datetime) -> str:
    return format_datetime(value.astimezone(UTC), usegmt=True)


def yuan(minor: int) -> str:
    """Minor units as the v1 decimal-yuan string: 30000000 -> '300000.00'."""
    return f"{minor // 100}.{minor % 100:02d}"
