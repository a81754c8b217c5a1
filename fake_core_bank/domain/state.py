"""Bank state as plain JSON-able data: snapshots for bundles, loading for the control API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fake_core_bank.domain.bank import CoreBank
from fake_core_bank.domain.model import (
    CreditLine,
    Customer,
    Drawdown,
    DrawdownStatus,
    LineStatus,
    Policy,
    Precondition,
    Repayment,
)

#: the lists of a snapshot, in the order :func:`snapshot` writes them (``clock`` beside them)
LISTS = ("customers", "lines", "policies", "maintenance", "drawdowns", "repayments")


def _dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _d(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def customer_to_dict(c: Customer) -> dict[str, Any]:
    return {"customerId": c.customer_id, "name": c.name, "creditCode": c.credit_code,
            "region": c.region, "accountNo": c.account_no}


def line_to_dict(ln: CreditLine) -> dict[str, Any]:
    return {
        "lineId": ln.line_id, "customerId": ln.customer_id, "currency": ln.currency,
        "limit": ln.limit, "used": ln.used, "status": str(ln.status),
        "expiresOn": ln.expires_on.isoformat(),
        "lockedUntil": ln.locked_until.isoformat() if ln.locked_until else None,
        "lockReason": ln.lock_reason,
        "preconditions": [
            {"code": p.code, "description": p.description, "satisfied": p.satisfied,
             "dueDate": p.due_date.isoformat() if p.due_date else None}
            for p in ln.preconditions
        ],
    }


def policy_to_dict(p: Policy) -> dict[str, Any]:
    return {"id": p.policy_id, "region": p.region, "effective": p.effective.isoformat(),
            "maxDrawdown": p.max_drawdown, "requirePurposeCode": p.require_purpose_code,
            "allowedPurposes": list(p.allowed_purposes) if p.allowed_purposes else None}


def drawdown_to_dict(d: Drawdown) -> dict[str, Any]:
    return {
        "drawdownId": d.drawdown_id, "lineId": d.line_id, "amount": d.amount,
        "currency": d.currency, "beneficiaryAccount": d.beneficiary_account,
        "purposeCode": d.purpose_code, "status": str(d.status),
        "createdAt": d.created_at.isoformat(),
        "settledAt": d.settled_at.isoformat() if d.settled_at else None,
        "rejection": str(d.rejection.reason) if d.rejection else None,
        "operation": d.operation, "channel": d.channel,
    }


def repayment_to_dict(p: Repayment) -> dict[str, Any]:
    return {"repaymentId": p.repayment_id, "lineId": p.line_id, "amount": p.amount,
            "currency": p.currency, "createdAt": p.created_at.isoformat()}


def snapshot(bank: CoreBank) -> dict[str, Any]:
    """The whole ledger, deterministic order (insertion order of the seeded ids)."""
    with bank.lock:
        return {
            "clock": bank.now().isoformat(),
            "customers": [customer_to_dict(c) for c in bank.customers.values()],
            "lines": [line_to_dict(ln) for ln in bank.lines.values()],
            "policies": [policy_to_dict(p) for p in bank.policies.policies.values()],
            "maintenance": [
                {"id": w.window_id, "start": w.start.isoformat(), "end": w.end.isoformat(),
                 "mode": w.mode}
                for w in bank.calendar.windows
            ],
            "drawdowns": [drawdown_to_dict(d) for d in bank.ledger.drawdowns()],
            "repayments": [repayment_to_dict(p) for p in bank.ledger.repayments()],
        }


def customer_from_dict(data: dict[str, Any]) -> Customer:
    return Customer(data["customerId"], data["name"], data["creditCode"], data["region"],
                    data["accountNo"])


def line_from_dict(data: dict[str, Any]) -> CreditLine:
    return CreditLine(
        line_id=data["lineId"], customer_id=data["customerId"],
        currency=data.get("currency", "CNY"), limit=int(data["limit"]),
        used=int(data.get("used", 0)), status=LineStatus(data.get("status", "ACTIVE")),
        expires_on=date.fromisoformat(data["expiresOn"]),
        locked_until=_dt(data.get("lockedUntil")), lock_reason=data.get("lockReason"),
        preconditions=[
            Precondition(p["code"], p.get("description", p["code"]),
                         bool(p.get("satisfied", False)), _d(p.get("dueDate")))
            for p in data.get("preconditions") or []
        ],
    )


def policy_from_dict(data: dict[str, Any]) -> Policy:
    allowed = data.get("allowedPurposes")
    return Policy(
        policy_id=data["id"], region=data.get("region", "*"),
        effective=datetime.fromisoformat(data["effective"]),
        max_drawdown=data.get("maxDrawdown"),
        require_purpose_code=bool(data.get("requirePurposeCode", False)),
        allowed_purposes=tuple(allowed) if allowed else None,
    )


def load(bank: CoreBank, data: dict[str, Any]) -> None:
    """Add the customers, lines, policies, windows, drawdowns and repayments of a snapshot to
    the bank (a line's ``used`` is the snapshot's: the bookings do not move it again)."""
    if data.get("clock"):
        bank.clock.set(datetime.fromisoformat(data["clock"]))
    for item in data.get("customers", []):
        bank.add_customer(customer_from_dict(item))
    for item in data.get("lines", []):
        bank.add_line(line_from_dict(item))
    for item in data.get("policies", []):
        bank.put_policy(policy_from_dict(item))
    for item in data.get("maintenance", []):
        bank.schedule_maintenance(datetime.fromisoformat(item["start"]),
                                  datetime.fromisoformat(item["end"]), item.get("mode", "FULL"))
    for item in data.get("drawdowns", []):
        drawdown = Drawdown(
            drawdown_id=item["drawdownId"], line_id=item["lineId"], amount=int(item["amount"]),
            currency=item.get("currency", "CNY"),
            beneficiary_account=item.get("beneficiaryAccount", ""),
            purpose_code=item.get("purposeCode"), status=DrawdownStatus(item["status"]),
            created_at=datetime.fromisoformat(item["createdAt"]),
            settled_at=_dt(item.get("settledAt")), operation=item.get("operation"),
            channel=item.get("channel", "api"),
        )
        with bank.lock:
            bank._store(drawdown)
            bank.ids.skip_past(drawdown.drawdown_id, "DD")
    for item in data.get("repayments", []):
        repayment = Repayment(
            repayment_id=item["repaymentId"], line_id=item["lineId"], amount=int(item["amount"]),
            currency=item.get("currency", "CNY"),
            created_at=datetime.fromisoformat(item["createdAt"]))
        with bank.lock:
            bank.ledger.add_repayment(repayment)
            bank.ids.skip_past(repayment.repayment_id, "RP")
