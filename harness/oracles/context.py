"""What the oracles read: the run's evidence, indexed for the questions they ask."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from harness.evidence import OperationRecord, RunResult
from harness.scenarios.model import Scenario
from harness.scenarios.money import Money
from harness.scenarios.vocabulary import CURRENCIES

#: Reasons of the fake's domain that are also words of the harness's outcome vocabulary.
HARNESS_REASONS = {
    "LINE_FROZEN", "LINE_LOCKED", "LINE_PENDING_ACTIVATION", "LINE_EXPIRED", "LINE_SUSPENDED",
    "PRECONDITION_UNMET", "POLICY_LIMIT_EXCEEDED", "POLICY_FIELD_REQUIRED",
    "INSUFFICIENT_AVAILABLE", "MAINTENANCE", "READ_ONLY", "IDEMPOTENCY_CONFLICT", "NOT_FOUND",
    "INVALID_REQUEST", "VERSION_RETIRED",
}
#: The domain says these in more detail than the harness's vocabulary does.
REASON_ALIASES = {"VERSION_UNAVAILABLE": "MAINTENANCE"}


class Context:
    def __init__(self, scenario: Scenario, version: str, result: RunResult) -> None:
        self.scenario = scenario
        self.version = version
        self.result = result
        self.operations = result.operations
        self.journal = result.journal
        self.snapshot = result.snapshot

    @cached_property
    def by_operation(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for entry in self.journal:
            if entry.get("kind") == "exchange" and entry.get("operation"):
                out.setdefault(entry["operation"], []).append(entry)
        return out

    def exchanges(self, record: OperationRecord) -> list[dict[str, Any]]:
        return self.by_operation.get(record.step, [])

    def final_answer(self, record: OperationRecord) -> dict[str, Any] | None:
        """The last exchange of the operation that got an answer (not dropped)."""
        answered = [e for e in self.exchanges(record) if e.get("status") is not None]
        return answered[-1] if answered else None

    def drawdowns_of(self, steps: set[str]) -> list[dict[str, Any]]:
        return [d for d in self.snapshot.get("drawdowns", [])
                if d.get("operation") in steps and d.get("channel") == "api"]


def bank_reason(entry: dict[str, Any]) -> str | None:
    """The reason the bank gave in an exchange, in the harness's words, or None."""
    body = entry.get("response_body")
    status = entry.get("status") or 0
    if status < 400 and isinstance(body, dict) and body.get("status") == "REJECTED":
        rejection = body.get("rejection")
        if isinstance(rejection, dict):
            code = rejection.get("reasonCode")
            return REASON_ALIASES.get(code, code) if code in HARNESS_REASONS else None
    reason = entry.get("reason")
    if status < 400 or reason is None:
        return None
    reason = REASON_ALIASES.get(reason, reason)
    return reason if reason in HARNESS_REASONS else None


def locked_until_of(entry: dict[str, Any]) -> str | None:
    body = entry.get("response_body")
    if isinstance(body, dict):
        value = body.get("lockedUntil")
        if value is None and isinstance(body.get("rejection"), dict):
            value = body["rejection"].get("lockedUntil")
        return str(value) if value is not None else None
    return None


def excerpt(entries: list[dict[str, Any]]) -> list[int]:
    return [int(e["seq"]) for e in entries]


def wire_code(entry: dict[str, Any]) -> str | None:
    """The code the answer carried on the wire: v1's ``code`` (``E1003``), or the reason code
    of v2/v3's error or rejection body."""
    body = entry.get("response_body")
    if not isinstance(body, dict):
        return None
    rejection = body.get("rejection")
    for value in (body.get("code"), body.get("reasonCode"),
                  rejection.get("reasonCode") if isinstance(rejection, dict) else None):
        if isinstance(value, str):
            return value
    return None


def bank_answer(entry: dict[str, Any]) -> str:
    """What the bank answered, as a person reads it on the wire: ``409 E1003 via v1, which the
    harness reads as LINE_LOCKED``, or ``409 LINE_FROZEN via v2`` when the wire says the reason
    itself."""
    wire = wire_code(entry)
    reason = entry.get("reason")
    text = f"{entry.get('status')} {wire or reason} via {entry.get('version')}"
    if wire and reason and wire != reason:
        text += f", which the harness reads as {reason}"
    return text


def amount(minor: int, currency: str) -> str:
    """An amount as a person reads it, yuan with two decimals, minor units beside:
    ``100000.00 CNY (10000000 minor units)``."""
    if currency not in CURRENCIES:
        return f"{minor} {currency} minor units"
    return f"{Money(minor, currency)} ({minor} minor units)"


def idempotency_key(entry: dict[str, Any]) -> str | None:
    headers = entry.get("request_headers") or {}
    return next((str(v) for k, v in headers.items() if k.lower() == "idempotency-key"), None)
