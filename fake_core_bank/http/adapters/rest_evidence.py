"""What a journaled exchange of the built-in REST wire meant (:class:`Evidence`): the one place
that reads its status codes, its problem and error bodies, ``rejection``, ``lockedUntil`` and the
``Retry-After``, ``Link`` and ``Idempotency-Key`` headers for the oracles.

v1-v3 share it (:class:`RestEvidence`, mixed into their adapters); a version overrides the hooks
where its wire differs: v1's ``{code, message}`` errors and decimal-yuan amounts. Another core
model implements :meth:`Adapter.evidence` for its own wire instead (docs/core-models-oracles.md).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from fake_core_bank.http.wire import Evidence

#: 410's ``Link: </v3>; rel="successor-version"`` (contracts/CHANGELOG.md)
SUCCESSOR = re.compile(r'<\s*/?(v\d+)/?\s*>\s*;\s*rel="?successor-version"?')


class RestEvidence:
    """:meth:`evidence` for the built-in wire; the hooks below are what a version may change."""

    #: operationId -> the business action in the scenario vocabulary's words
    ACTIONS: ClassVar[dict[str, str]] = {
        "getCreditLine": "get-line", "createDrawdown": "draw-down",
        "getDrawdown": "get-drawdown", "activateCreditLine": "activate",
        "createRepayment": "repay",
    }
    #: operationId -> which resource its successful answer is (``Evidence.resource``'s key)
    RESOURCES: ClassVar[dict[str, str]] = {
        "getCreditLine": "line", "activateCreditLine": "line",
        "createDrawdown": "drawdown", "getDrawdown": "drawdown",
    }
    #: the field of an error body that carries the code, and the one with the person's text
    code_field: ClassVar[str] = "reasonCode"
    text_field: ClassVar[str] = "detail"

    def evidence(self, entry: dict[str, Any]) -> Evidence:
        status: int | None = entry.get("status")
        body = entry.get("response_body")
        body = body if isinstance(body, dict) else None
        rejection = body.get("rejection") if body is not None else None
        rejection = rejection if isinstance(rejection, dict) else None
        outcome = _outcome(status, entry.get("reason"))
        code = _wire_code(body, rejection)
        reason = _reason(outcome, entry.get("reason"), body, rejection)
        problem = rejection if rejection is not None else body or {}
        text = problem.get(self.text_field)
        named = code or entry.get("reason")
        said = "no answer" if status is None else f"{status} {named}" if named else str(status)
        return Evidence(
            outcome=outcome, reason=reason, code=code,
            text=text if isinstance(text, str) else None,
            retry_after=_seconds((entry.get("response_headers") or {}).get("retry-after")),
            locked_until=_locked_until(body, rejection), successor=_successor(entry),
            idempotency_key=_header(entry.get("request_headers"), "idempotency-key"),
            resource=self._resource(entry.get("operation_id"), outcome, body),
            said=said, action=self.ACTIONS.get(str(entry.get("operation_id"))),
            code_field=self.code_field,
            unambiguous=code is not None and self.names_reason_alone(code, reason),
        )

    def names_reason_alone(self, code: str, reason: str | None) -> bool:
        """Whether ``code`` says ``reason`` by itself (v2's reasonCode is the reason)."""
        return code == reason

    def amount(self, value: Any) -> int | None:
        """An amount of this version's wire in minor units (v2+: integer minor units)."""
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def _resource(self, operation_id: Any, outcome: str,
                  body: dict[str, Any] | None) -> dict[str, Any] | None:
        if outcome not in ("success", "accepted") or body is None:
            return None
        kind = self.RESOURCES.get(str(operation_id))
        if kind is None:
            return {}
        amounts = ("limit", "used", "available") if kind == "line" else ("amount",)
        seen: dict[str, Any] = {name: self.amount(body.get(name)) for name in amounts}
        for name in ("status", "currency", "lineId", "drawdownId"):
            if isinstance(body.get(name), str):
                seen[name] = body[name]
        return {kind: seen}


def _outcome(status: int | None, reason: str | None) -> str:
    if status is None:
        return "none"
    if status == 410:
        return "retired"
    if status >= 500:
        return "unavailable"
    if status >= 400:
        return "invalid" if reason == "INVALID_REQUEST" else "refused"
    return "accepted" if status == 202 else "success"


def _reason(outcome: str, refused_with: str | None, body: dict[str, Any] | None,
            rejection: dict[str, Any] | None) -> str | None:
    """A refusal's reason (the one the adapter refused with, as journaled), or the reason of a
    drawdown a successful answer shows as REJECTED (its ``rejection.reasonCode``)."""
    if outcome not in ("success", "accepted", "none"):
        return refused_with
    if body is None or body.get("status") != "REJECTED" or rejection is None:
        return None
    found = rejection.get("reasonCode")
    return found if isinstance(found, str) else None


def _wire_code(body: dict[str, Any] | None, rejection: dict[str, Any] | None) -> str | None:
    """v1's ``code`` (``E1003``), or the reasonCode of v2/v3's problem or rejection."""
    if body is None:
        return None
    for value in (body.get("code"), body.get("reasonCode"),
                  rejection.get("reasonCode") if rejection is not None else None):
        if isinstance(value, str):
            return value
    return None


def _locked_until(body: dict[str, Any] | None, rejection: dict[str, Any] | None) -> str | None:
    if body is None:
        return None
    value = body.get("lockedUntil")
    if value is None and rejection is not None:
        value = rejection.get("lockedUntil")
    return str(value) if value is not None else None


def _successor(entry: dict[str, Any]) -> str | None:
    """The successor version a 410 names in its Link header."""
    if entry.get("status") != 410:
        return None
    match = SUCCESSOR.search(str((entry.get("response_headers") or {}).get("link", "")))
    return match.group(1) if match else None


def _seconds(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _header(headers: Any, name: str) -> str | None:
    return next((str(v) for k, v in (headers or {}).items() if k.lower() == name), None)
