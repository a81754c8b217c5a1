"""Domain records of the fake core bank. Money is always integer minor units (fen)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class LineStatus(StrEnum):
    """Every state a credit line can be in; each contract version shows a subset (see adapters)."""

    ACTIVE = "ACTIVE"
    FROZEN = "FROZEN"
    PENDING_ACTIVATION = "PENDING_ACTIVATION"
    LOCKED = "LOCKED"
    EXPIRED = "EXPIRED"
    SUSPENDED = "SUSPENDED"


class Reason(StrEnum):
    """Why the bank refused something: the v2+ ``reasonCode`` and the harness's vocabulary."""

    INVALID_REQUEST = "INVALID_REQUEST"
    NOT_FOUND = "NOT_FOUND"
    LINE_FROZEN = "LINE_FROZEN"
    LINE_LOCKED = "LINE_LOCKED"
    LINE_PENDING_ACTIVATION = "LINE_PENDING_ACTIVATION"
    LINE_SUSPENDED = "LINE_SUSPENDED"
    LINE_EXPIRED = "LINE_EXPIRED"
    PRECONDITION_UNMET = "PRECONDITION_UNMET"
    POLICY_LIMIT_EXCEEDED = "POLICY_LIMIT_EXCEEDED"
    POLICY_FIELD_REQUIRED = "POLICY_FIELD_REQUIRED"
    INSUFFICIENT_AVAILABLE = "INSUFFICIENT_AVAILABLE"
    IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT"
    ACTIVATION_NOT_ALLOWED = "ACTIVATION_NOT_ALLOWED"
    MAINTENANCE = "MAINTENANCE"
    READ_ONLY = "READ_ONLY"
    VERSION_RETIRED = "VERSION_RETIRED"
    VERSION_UNAVAILABLE = "VERSION_UNAVAILABLE"
    INTERNAL = "INTERNAL"


class DrawdownStatus(StrEnum):
    PENDING = "PENDING"
    DISBURSED = "DISBURSED"
    REJECTED = "REJECTED"


@dataclass(slots=True)  # slots: a million seeded enterprises (issue 8)
class Customer:
    customer_id: str
    name: str
    credit_code: str
    region: str
    account_no: str


@dataclass
class Precondition:
    code: str
    description: str
    satisfied: bool = False
    due_date: date | None = None


@dataclass(slots=True)
class CreditLine:
    line_id: str
    customer_id: str
    currency: str
    limit: int
    used: int
    status: LineStatus
    expires_on: date
    locked_until: datetime | None = None
    lock_reason: str | None = None
    preconditions: list[Precondition] = field(default_factory=list)

    @property
    def available(self) -> int:
        return max(0, self.limit - self.used)


@dataclass(slots=True)
class Drawdown:
    drawdown_id: str
    line_id: str
    amount: int
    currency: str
    beneficiary_account: str
    purpose_code: str | None
    status: DrawdownStatus
    created_at: datetime
    settled_at: datetime | None = None
    rejection: Refusal | None = None
    #: the connector operation (business intent) that was running when it was booked
    operation: str | None = None
    channel: str = "api"
    polls: int = 0


@dataclass
class Repayment:
    repayment_id: str
    line_id: str
    amount: int
    currency: str
    created_at: datetime


@dataclass
class Policy:
    """A regional policy in force from ``effective`` on (region ``*`` applies everywhere)."""

    policy_id: str
    region: str
    effective: datetime
    max_drawdown: int | None = None
    require_purpose_code: bool = False
    allowed_purposes: tuple[str, ...] | None = None


@dataclass(frozen=True)
class MaintenanceWindow:
    window_id: str
    start: datetime
    end: datetime
    mode: str  # "FULL" or "READ_ONLY"

    def covers(self, when: datetime) -> bool:
        return self.start <= when < self.end


@dataclass(frozen=True)
class Wording:
    """The human texts of one answer: the detail (v1 ``message``, v2+ ``detail``) and the
    language of the problem title (the title follows the reason the version finally says:
    ``messages.title``)."""

    detail: str
    lang: str = "en"


@dataclass(eq=False)
class Refusal(Exception):  # noqa: N818 -- a refusal is an answer, not a bug
    """The bank said no. Adapters render it in their version's error format."""

    reason: Reason
    detail: str
    field: str | None = None
    locked_until: datetime | None = None
    retry_after: datetime | None = None
    extra: tuple[tuple[str, str], ...] = ()
    #: the human texts, when the domain chose them itself (a rejection at settlement, shown on
    #: every later read); otherwise the app picks them per answer
    wording: Wording | None = None

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}"
