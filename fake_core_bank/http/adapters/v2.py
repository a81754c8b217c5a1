"""Contract v2: integer minor units, RFC 9457 problems, Idempotency-Key, new line states."""

from __future__ import annotations

from typing import Any, ClassVar

from fake_core_bank.domain.bank import DrawdownRequest
from fake_core_bank.domain.messages import title
from fake_core_bank.domain.model import (
    CreditLine,
    Drawdown,
    LineStatus,
    Precondition,
    Reason,
    Refusal,
    Repayment,
    Wording,
)
from fake_core_bank.http.adapters.base import Adapter
from fake_core_bank.http.adapters.rest_evidence import RestEvidence
from fake_core_bank.http.wire import ADDITIVE, PROBLEM, Reply, Request, iso

STATUS_OF = {
    Reason.INVALID_REQUEST: 400, Reason.NOT_FOUND: 404, Reason.LINE_FROZEN: 409,
    Reason.LINE_LOCKED: 409, Reason.LINE_PENDING_ACTIVATION: 409, Reason.LINE_SUSPENDED: 409,
    Reason.LINE_EXPIRED: 409, Reason.IDEMPOTENCY_CONFLICT: 409,
    Reason.ACTIVATION_NOT_ALLOWED: 409, Reason.PRECONDITION_UNMET: 422,
    Reason.POLICY_LIMIT_EXCEEDED: 422, Reason.POLICY_FIELD_REQUIRED: 422,
    Reason.INSUFFICIENT_AVAILABLE: 422, Reason.MAINTENANCE: 503, Reason.READ_ONLY: 503,
    Reason.VERSION_UNAVAILABLE: 503, Reason.VERSION_RETIRED: 410, Reason.INTERNAL: 500,
}

TYPE_BASE = "https://core-bank.example/problems/"


class V2(RestEvidence, Adapter):
    version = "v2"
    #: reasons this version cannot say, and what it says instead
    reason_fallback: ClassVar[dict[Reason, Reason]] = {
        Reason.LINE_SUSPENDED: Reason.LINE_FROZEN,
        Reason.VERSION_UNAVAILABLE: Reason.MAINTENANCE,
    }
    status_fallback: ClassVar[dict[LineStatus, LineStatus]] = {
        LineStatus.SUSPENDED: LineStatus.FROZEN,
    }

    # -- rendering -----------------------------------------------------------------------------
    def precondition(self, p: Precondition) -> dict[str, Any]:
        out: dict[str, Any] = {"code": p.code, "description": p.description,
                               "satisfied": p.satisfied}
        if p.due_date is not None:
            out["dueDate"] = p.due_date.isoformat()
        return out

    def line(self, line: CreditLine) -> dict[str, Any]:
        status = line.status if ADDITIVE.get() else self.status_fallback.get(line.status,
                                                                             line.status)
        out: dict[str, Any] = {
            "lineId": line.line_id, "customerId": line.customer_id, "currency": line.currency,
            "limit": line.limit, "used": line.used, "available": line.available,
            "status": str(status), "expiryDate": line.expires_on.isoformat(),
            "preconditions": [self.precondition(p) for p in line.preconditions],
        }
        if status is LineStatus.LOCKED and line.locked_until is not None:
            out["lockedUntil"] = iso(line.locked_until)
        return out

    def drawdown(self, d: Drawdown) -> dict[str, Any]:
        out: dict[str, Any] = {
            "drawdownId": d.drawdown_id, "lineId": d.line_id, "amount": d.amount,
            "currency": d.currency, "beneficiaryAccount": d.beneficiary_account,
            "status": str(d.status), "createdAt": iso(d.created_at),
        }
        if d.purpose_code is not None:
            out["purposeCode"] = d.purpose_code
        return out

    def repayment(self, r: Repayment) -> dict[str, Any]:
        return {"repaymentId": r.repayment_id, "lineId": r.line_id, "amount": r.amount,
                "currency": r.currency, "createdAt": iso(r.created_at)}

    # -- errors --------------------------------------------------------------------------------
    def problem(self, reason: Reason, wording: Wording, instance: str) -> dict[str, Any]:
        if not ADDITIVE.get():
            reason = self.reason_fallback.get(reason, reason)
        return {"type": TYPE_BASE + reason.value.lower().replace("_", "-"),
                "title": title(wording, reason), "status": STATUS_OF[reason],
                "detail": wording.detail,
                "instance": instance, "reasonCode": reason.value}

    def refusal(self, refusal: Refusal, wording: Wording, instance: str,
                retry_after: int | None) -> Reply:
        body = self.problem(refusal.reason, wording, instance)
        headers: dict[str, str] = {}
        if refusal.locked_until is not None and refusal.reason is Reason.LINE_LOCKED:
            body["lockedUntil"] = iso(refusal.locked_until)
        if refusal.field:
            body["errors"] = [{"field": refusal.field, "message": refusal.detail}]
        if retry_after is not None:
            body["retryAfterSeconds"] = retry_after
            headers["retry-after"] = str(retry_after)
        return Reply(body["status"], body, PROBLEM, headers, reason=body["reasonCode"])

    def invalid(self, problems: list[tuple[str, str]], wording: Wording,
                instance: str) -> Reply:
        body = self.problem(Reason.INVALID_REQUEST, wording, instance)
        body["errors"] = [{"field": f, "message": m} for f, m in problems]
        return Reply(400, body, PROBLEM, reason="INVALID_REQUEST")

    # -- operations ----------------------------------------------------------------------------
    def activateCreditLine(self, r: Request) -> Reply:  # noqa: N802 -- named after the operationId
        return Reply(200, self.line(r.bank.core.activate(r.path_params["lineId"])))

    def drawdown_request(self, r: Request) -> DrawdownRequest:
        body = r.body
        return DrawdownRequest(
            line_id=r.path_params["lineId"], amount=minor_units(body["amount"], "amount"),
            currency=body["currency"], beneficiary_account=body["beneficiaryAccount"],
            purpose_code=body.get("purposeCode"),
            idempotency_key=r.headers.get("idempotency-key"),
        )

    def createDrawdown(self, r: Request) -> Reply:  # noqa: N802
        drawdown, replayed = self.draw_down(r, self.drawdown_request(r))
        return self.booked(Reply(201, self.drawdown(drawdown)), drawdown, replayed)

    def createRepayment(self, r: Request) -> Reply:  # noqa: N802
        repayment, replayed = r.bank.core.repay(
            r.path_params["lineId"], minor_units(r.body["amount"], "amount"), r.body["currency"],
            r.headers.get("idempotency-key"))
        return self.booked(Reply(201, self.repayment(repayment)), repayment, replayed)

    def system_status(self, r: Request) -> dict[str, Any]:
        core = r.bank.core
        now = core.now()
        window = core.calendar.active(now)
        status = "UP" if window is None else ("MAINTENANCE" if window.mode == "FULL"
                                              else "READ_ONLY")
        return {
            "status": status, "now": iso(now), "businessDate": core.business_date().isoformat(),
            "maintenanceWindows": [
                {"id": w.window_id, "start": iso(w.start), "end": iso(w.end), "mode": w.mode}
                for w in core.calendar.upcoming(now)
            ],
        }

    def getSystemStatus(self, r: Request) -> Reply:  # noqa: N802
        return Reply(200, self.system_status(r))


def minor_units(value: Any, field: str) -> int:
    """Money on the v2+ wire is an integer number of minor units, never rounded.

    The contract says ``type: integer``, and in JSON Schema ``100.0`` is that integer, so it is
    taken as exactly 100; ``100.5`` never reaches here (the contract refuses it).
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refusal(Reason.INVALID_REQUEST,
                      f"{field} must be an integer number of minor units, got {value!r}",
                      field=field)
    return value
