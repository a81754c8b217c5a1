"""The gateway's envelope, shared by the bank side and the connectors: signing, the consumers'
keys, the return codes and the wire's amounts and dates.

A request is ``{"sysHead": {...}, "body": {...}}``; its ``sysHead.signature`` is the HMAC-SHA256
(hex) of the canonical body: the body as JSON with sorted keys, no spaces, UTF-8. Each consumer
has signing keys with the date from which each is in force; a newer key replaces the older one
on its date (a rotation, announced ahead in every answer's ``sysHead.keyRotation``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

#: the answer's retCode of a request that was done
SUCCESS = "000000"
#: a malformed envelope (HTTP 400)
GARBAGE = "GW4000"
BAD_SIGNATURE = "GW0401"
#: signed with a key that is no longer (or not yet) in force
KEY_NOT_IN_FORCE = "GW0402"
UNKNOWN_CONSUMER = "GW0403"
#: a service version the release does not offer
NO_SUCH_SERVICE_VERSION = "GW0404"
#: a service version retired on its announced date
SERVICE_VERSION_RETIRED = "GW0410"

#: domain Reason value -> the gateway's retCode (every reason has its own)
RET_CODES: dict[str, str] = {
    "INVALID_REQUEST": "LN4001", "NOT_FOUND": "LN4040", "LINE_FROZEN": "LN1001",
    "LINE_LOCKED": "LN1002", "LINE_PENDING_ACTIVATION": "LN1003", "LINE_SUSPENDED": "LN1004",
    "LINE_EXPIRED": "LN1005", "ACTIVATION_NOT_ALLOWED": "LN1006",
    "PRECONDITION_UNMET": "LN2001", "INSUFFICIENT_AVAILABLE": "LN2002",
    "POLICY_LIMIT_EXCEEDED": "LN3001", "POLICY_FIELD_REQUIRED": "LN3002",
    "IDEMPOTENCY_CONFLICT": "GW0409", "VERSION_RETIRED": SERVICE_VERSION_RETIRED,
    "MAINTENANCE": "GW9001", "READ_ONLY": "GW9002", "VERSION_UNAVAILABLE": "GW9003",
    "INTERNAL": "GW9999",
}
#: retCode -> domain Reason value (the gateway's own codes for the envelope say INVALID_REQUEST)
REASONS: dict[str, str] = {
    **{code: reason for reason, code in RET_CODES.items()},
    GARBAGE: "INVALID_REQUEST", BAD_SIGNATURE: "INVALID_REQUEST",
    KEY_NOT_IN_FORCE: "INVALID_REQUEST", UNKNOWN_CONSUMER: "INVALID_REQUEST",
    NO_SUCH_SERVICE_VERSION: "NOT_FOUND",
}

#: lineStatus code <-> domain LineStatus value
LINE_STATUS = {"ACTIVE": "01", "FROZEN": "02", "PENDING_ACTIVATION": "03", "LOCKED": "04",
               "EXPIRED": "05", "SUSPENDED": "06"}
LINE_STATUS_NAME = {code: name for name, code in LINE_STATUS.items()}
#: ddStatus code <-> domain DrawdownStatus value
DRAWDOWN_STATUS = {"DISBURSED": "01", "PENDING": "02", "REJECTED": "03"}
DRAWDOWN_STATUS_NAME = {code: name for name, code in DRAWDOWN_STATUS.items()}

#: service code of each operation (one POST path per service code: ``/esb/<code>``)
SERVICES = {"signOn": "SY0001", "getCreditLine": "CL0101", "activateCreditLine": "CL0102",
            "createDrawdown": "DD0201", "getDrawdown": "DD0202", "createRepayment": "RP0301"}

_YUAN = re.compile(r"^(0|[1-9][0-9]{0,14})\.([0-9]{2})$")


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    secret: str
    #: the bank's business date from which this key is the one in force
    effective: date


#: consumerId -> its keys, oldest first. Example secrets of an example core: a real gateway
#: hands each consumer its keys out of band; they are never written into an artefact.
CONSUMERS: dict[str, tuple[SigningKey, ...]] = {
    "DRAWBRIDGE": (SigningKey("K1", "example-key-one-2025", date(2025, 1, 1)),
                   SigningKey("K2", "example-key-two-2026", date(2026, 4, 1))),
}


def canonical(body: Any) -> bytes:
    """The bytes a signature covers: the body as JSON, keys sorted, no spaces, UTF-8."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(body: Any, secret: str) -> str:
    """HMAC-SHA256 of the canonical body, lower-case hex."""
    return hmac.new(secret.encode(), canonical(body), hashlib.sha256).hexdigest()


def key_in_force(keys: tuple[SigningKey, ...], today: date) -> SigningKey:
    """The consumer's key in force on ``today`` (its oldest before the first one's date)."""
    current = keys[0]
    for key in keys:
        if key.effective <= today:
            current = key
    return current


def next_key(keys: tuple[SigningKey, ...], today: date) -> SigningKey | None:
    """The consumer's next key, announced ahead of its date, if one is configured."""
    return next((k for k in keys if k.effective > today), None)


def yuan(minor: int) -> str:
    """Fen as the wire's yuan string: 12345 -> '123.45'."""
    return f"{minor // 100}.{minor % 100:02d}"


def fen_of_yuan(text: str) -> int:
    """The wire's yuan string as fen, exactly: '123.45' -> 12345."""
    found = _YUAN.match(text)
    if found is None:
        raise ValueError(f"{text!r} is not a yuan amount with two decimals")
    return int(found.group(1)) * 100 + int(found.group(2))


def ymd(value: date | datetime) -> str:
    return value.strftime("%Y%m%d")


def hms(value: datetime) -> str:
    return value.strftime("%H%M%S")

