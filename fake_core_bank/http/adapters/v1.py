"""Contract v1: decimal-yuan strings, ad-hoc ``{code, message}`` errors, three line states."""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from fake_core_bank.domain.bank import DrawdownRequest
from fake_core_bank.domain.model import (
    CreditLine,
    Drawdown,
    LineStatus,
    Reason,
    Refusal,
    Repayment,
    Wording,
)
from fake_core_bank.http.adapters.base import Adapter
from fake_core_bank.http.adapters.rest_evidence import RestEvidence
from fake_core_bank.http.wire import JSON, Reply, Request, iso, yuan

#: reason -> (v1 error code, HTTP status). v1 cannot tell lock, pending activation and
#: suspension from a freeze: all are E1003 "line not usable".
CODES = {
    Reason.INVALID_REQUEST: ("E1001", 400), Reason.NOT_FOUND: ("E1002", 404),
    Reason.LINE_FROZEN: ("E1003", 409), Reason.LINE_LOCKED: ("E1003", 409),
    Reason.LINE_PENDING_ACTIVATION: ("E1003", 409), Reason.LINE_SUSPENDED: ("E1003", 409),
    Reason.ACTIVATION_NOT_ALLOWED: ("E1003", 409),
    Reason.INSUFFICIENT_AVAILABLE: ("E1004", 422), Reason.LINE_EXPIRED: ("E1005", 409),
    Reason.PRECONDITION_UNMET: ("E1006", 422), Reason.POLICY_LIMIT_EXCEEDED: ("E1007", 422),
    Reason.POLICY_FIELD_REQUIRED: ("E1007", 422), Reason.IDEMPOTENCY_CONFLICT: ("E1009", 409),
    Reason.MAINTENANCE: ("E9001", 503), Reason.READ_ONLY: ("E9001", 503),
    Reason.VERSION_UNAVAILABLE: ("E9001", 503), Reason.VERSION_RETIRED: ("E9002", 410),
    Reason.INTERNAL: ("E9999", 500),
}
V1_STATUSES = {LineStatus.ACTIVE, LineStatus.FROZEN, LineStatus.EXPIRED}
#: codes that stand for one reason only (E1003 stands for a freeze, a lock and more)
UNAMBIGUOUS = frozenset(code for code, n in Counter(c for c, _ in CODES.values()).items()
                        if n == 1)


def parse_yuan(text: str, field: str) -> int:
    """'1000.50' -> 100050; the contract's pattern has already checked the shape."""
    whole, _, cents = text.partition(".")
    if not whole.isdigit() or len(cents) != 2 or not cents.isdigit():
        raise Refusal(Reason.INVALID_REQUEST, f"{field} must look like 1000.00", field=field)
    return int(whole) * 100 + int(cents)


class V1(RestEvidence, Adapter):
    version = "v1"
    hides_rejected = True
    code_field: ClassVar[str] = "code"
    text_field: ClassVar[str] = "message"

    def names_reason_alone(self, code: str, reason: str | None) -> bool:
        return code in UNAMBIGUOUS

    def amount(self, value: Any) -> int | None:
        """v1's decimal-yuan string in minor units ('300000.00' -> 30000000), else None."""
        if isinstance(value, str) and value.replace(".", "", 1).isdigit() and "." in value:
            whole, _, cents = value.partition(".")
            return int(whole) * 100 + int(cents.ljust(2, "0")[:2])
        return super().amount(value)

    def line(self, line: CreditLine) -> dict[str, Any]:
        status = line.status if line.status in V1_STATUSES else LineStatus.FROZEN
        return {
            "lineId": line.line_id, "customerId": line.customer_id, "currency": line.currency,
            "limit": yuan(line.limit), "used": yuan(line.used), "available": yuan(line.available),
            "status": str(status), "expiryDate": line.expires_on.isoformat(),
            "conditions": [p.description for p in line.preconditions if not p.satisfied],
        }

    def drawdown(self, d: Drawdown) -> dict[str, Any]:
        return {"drawdownId": d.drawdown_id, "lineId": d.line_id, "amount": yuan(d.amount),
                "accountNo": d.beneficiary_account, "status": str(d.status),
                "createdAt": iso(d.created_at)}

    def repayment(self, r: Repayment) -> dict[str, Any]:
        return {"repaymentId": r.repayment_id, "lineId": r.line_id, "amount": yuan(r.amount),
                "createdAt": iso(r.created_at)}

    def refusal(self, refusal: Refusal, wording: Wording, instance: str,
                retry_after: int | None) -> Reply:
        code, status = CODES[refusal.reason]
        headers = {"retry-after": str(retry_after)} if retry_after is not None else {}
        return Reply(status, {"code": code, "message": wording.detail}, JSON, headers,
                     reason=refusal.reason.value)

    def invalid(self, problems: list[tuple[str, str]], wording: Wording,
                instance: str) -> Reply:
        detail = "; ".join(f"{f}: {m}" for f, m in problems)
        return Reply(400, {"code": "E1001", "message": f"{wording.detail}: {detail}"}, JSON,
                     reason="INVALID_REQUEST")

    def createDrawdown(self, r: Request) -> Reply:  # noqa: N802 -- named after the operationId
        line = r.bank.core.get_line(r.path_params["lineId"])
        request = DrawdownRequest(
            line_id=line.line_id, amount=parse_yuan(r.body["amount"], "amount"),
            currency=line.currency, beneficiary_account=r.body["accountNo"],
            purpose_code=None, idempotency_key=r.headers.get("idempotency-key"),
        )
        drawdown, replayed = self.draw_down(r, request)
        return self.booked(Reply(201, self.drawdown(drawdown)), drawdown, replayed)

    def createRepayment(self, r: Request) -> Reply:  # noqa: N802
        line = r.bank.core.get_line(r.path_params["lineId"])
        repayment, replayed = r.bank.core.repay(line.line_id,
                                                parse_yuan(r.body["amount"], "amount"),
                                                line.currency)
        return self.booked(Reply(201, self.repayment(repayment)), repayment, replayed)

    def getSystemStatus(self, r: Request) -> Reply:  # noqa: N802
        core = r.bank.core
        now = core.now()
        return Reply(200, {
            "status": "UP" if core.calendar.active(now) is None else "MAINTENANCE",
            "now": iso(now),
            "maintenanceWindows": [{"start": iso(w.start), "end": iso(w.end)}
                                   for w in core.calendar.upcoming(now)],
        })
