"""What the bank booked is what the caller asked for: amount, currency and line, exactly.

This catches the classic version bug: 50,000.00 yuan sent to v2 as ``5000000`` is right,
as ``50000`` (yuan read as fen) or ``5000000000`` (fen multiplied twice) is not. It reads every
booking an operation's exchanges made (the journal's ``bookings``), drawdowns and repayments
alike: a repayment that loses its fen moves the customer's money as wrongly as a drawdown does.
And the booking must be on the line the caller named: a connector that maps the line wrongly
(an ERP's table off by one, a line cached from an earlier call) books the right amount on a
line the customer did not ask to draw.
"""

from __future__ import annotations

from typing import Any

from harness.evidence import Finding
from harness.oracles.context import Context, amount

NAME = "amount-fidelity"

#: the snapshot's lists of bookings and each one's id field
BOOKINGS = (("drawdowns", "drawdownId"), ("repayments", "repaymentId"))


def check(ctx: Context) -> list[Finding]:
    booked_by_id: dict[str, dict[str, Any]] = {
        item[field]: item for kind, field in BOOKINGS for item in ctx.snapshot.get(kind) or []}
    findings = []
    for record in ctx.operations:
        if record.kind not in ("draw-down", "repay"):
            continue
        asked = record.request["amount"]
        line = record.request.get("line")
        for entry in ctx.exchanges(record):
            for booking_id in entry.get("bookings") or []:
                booked = booked_by_id.get(booking_id)
                if booked is None:
                    continue
                if booked["amount"] != asked["minor"] or booked["currency"] != asked["currency"]:
                    findings.append(Finding(
                        NAME, f"{record.step}: the bank booked another amount than asked",
                        step=record.step,
                        expected=amount(asked["minor"], asked["currency"]),
                        observed=f"{amount(booked['amount'], booked['currency'])} booked as "
                        f"{booking_id}",
                        journal=[entry["seq"]],
                    ))
                if line is not None and booked.get("lineId") != line:
                    findings.append(Finding(
                        NAME, f"{record.step}: the bank booked on another line than asked",
                        step=record.step, expected=f"a booking on line {line}",
                        observed=f"{booking_id} booked on line {booked.get('lineId')}",
                        journal=[entry["seq"]],
                    ))
    return findings
