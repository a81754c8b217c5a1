"""Connectors that crash on what a minor release adds: one shape of "no tolerant reader" each.

Each is the reference connector with one strict check, the way connectors written from the
contract alone get it wrong (issue 13, part 3). ``test_tolerant_reader_gate.py`` shows each
fails a MUST scenario of profiles v2 and v3 with a tolerant-reader finding naming the step.
"""

from __future__ import annotations

from typing import Any, ClassVar

import requests
from planted_defects import _Planted

from examples.connectors.reference_py.connector import ReferenceConnector


class _StrictLine(_Planted):
    """Reads the line as the reference does, then lets ``check_line`` refuse it."""

    def get_credit_line(self, line_id: str) -> dict[str, Any]:
        result = super().get_credit_line(line_id)
        if result["outcome"] == "succeeded":
            self.check_line(result["data"])
        return result

    def check_line(self, line: dict[str, Any]) -> None:
        raise NotImplementedError


class CrashesOnUnknownEnumValue(_StrictLine):
    """Maps enumerations with a closed table: ``CURRENCIES[line["currency"]]`` raises
    KeyError on a currency (or status) the contract did not list."""

    CURRENCIES: ClassVar[dict[str, int]] = {"CNY": 2}
    STATUSES: ClassVar[dict[str, str]] = {
        s: s for s in ("ACTIVE", "FROZEN", "PENDING_ACTIVATION", "LOCKED", "EXPIRED")}

    def check_line(self, line: dict[str, Any]) -> None:
        _ = self.CURRENCIES[line["currency"]], self.STATUSES[line["status"]]


class CrashesOnUnknownField(_StrictLine):
    """Deserialises into a closed record: a top-level field it has no slot for raises."""

    FIELDS: ClassVar[set[str]] = {
        "lineId", "customerId", "currency", "limit", "used", "available", "status",
        "expiryDate", "expiresOn", "preconditions", "lockedUntil", "lockReason"}

    def check_line(self, line: dict[str, Any]) -> None:
        unknown = set(line) - self.FIELDS
        if unknown:
            raise TypeError(f"CreditLine() got unexpected keyword arguments {sorted(unknown)}")


class CrashesOnUnknownNestedField(_StrictLine):
    """Tolerates new top-level fields but deserialises nested objects strictly: a
    precondition with a field it does not know raises."""

    PRECONDITION: ClassVar[set[str]] = {"code", "description", "satisfied", "dueDate"}

    def check_line(self, line: dict[str, Any]) -> None:
        for item in line.get("preconditions") or []:
            unknown = set(item) - self.PRECONDITION
            if unknown:
                raise TypeError(f"Precondition() got unexpected keyword arguments "
                                f"{sorted(unknown)}")


class CrashesOnUnknownHeaderValue(_Planted):
    """Checks the media type by string equality: ``application/json; charset=utf-8`` is
    the same media type, but not the string it compares with."""

    def _result(self, response: requests.Response) -> dict[str, Any]:
        media = response.headers.get("Content-Type")
        if response.status_code < 400 and media != "application/json":
            raise ValueError(f"unexpected Content-Type {media!r}")
        return super()._result(response)


class CrashesOnUnknownReasonCode(_Planted):
    """Maps ``reasonCode`` with a closed table, written from v2's list: a code it did not list
    raises instead of becoming UNKNOWN (at v2 the minor release's LINE_SUSPENDED, at v3 the
    same code, which v3 added and the table never learnt)."""

    KNOWN: ClassVar[set[str]] = {
        "LINE_FROZEN", "LINE_LOCKED", "LINE_PENDING_ACTIVATION", "LINE_EXPIRED",
        "PRECONDITION_UNMET", "POLICY_LIMIT_EXCEEDED", "POLICY_FIELD_REQUIRED",
        "INSUFFICIENT_AVAILABLE", "MAINTENANCE", "READ_ONLY", "IDEMPOTENCY_CONFLICT",
        "NOT_FOUND", "INVALID_REQUEST", "VERSION_RETIRED", "ACTIVATION_NOT_ALLOWED"}

    @classmethod
    def _refusal(cls, response: requests.Response) -> dict[str, Any]:
        code = response.json().get("reasonCode")
        if code not in cls.KNOWN:
            raise ValueError(f"unknown reasonCode {code!r}")
        return ReferenceConnector._refusal(response)


class CrashesOnProblemExtensions(_Planted):
    """Reads problem details into a closed record: an extension member (RFC 9457 allows
    them) raises, so every refusal of a minor release becomes ``failed``."""

    PROBLEM: ClassVar[set[str]] = {
        "type", "title", "status", "detail", "instance", "reasonCode", "errors",
        "lockedUntil", "retryAfterSeconds"}

    @classmethod
    def _refusal(cls, response: requests.Response) -> dict[str, Any]:
        unknown = set(response.json()) - cls.PROBLEM
        if unknown:
            raise TypeError(f"Problem() got unexpected keyword arguments {sorted(unknown)}")
        return ReferenceConnector._refusal(response)
