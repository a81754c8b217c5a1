"""What the bank booked is what the caller asked for: amount, currency and line, exactly, and
for a drawdown the beneficiary account and the purpose.

This catches the classic version bug: 50,000.00 yuan sent to v2 as ``5000000`` is right,
as ``50000`` (yuan read as fen) or ``5000000000`` (fen multiplied twice) is not. It reads every
booking an operation's exchanges made (the journal's ``bookings``), drawdowns and repayments
alike: a repayment that loses its fen moves the customer's money as wrongly as a drawdown does.
And the booking must be what the caller named: on its line (a connector that maps the line
wrongly, an ERP's table off by one, books the right amount on a line the customer did not ask
to draw), paid to its account (a fixed settlement account pays someone else), for its purpose
(a purpose code hard-wired in the connector misreports the loan's use to the regulator). A
booking without a purpose is not judged here: v1 has no purpose code, and a version where the
purpose is required refuses the request.
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
                for what, expected, observed in _named(record.request, booked):
                    findings.append(Finding(
                        NAME, f"{record.step}: the bank booked {what} than asked",
                        step=record.step, expected=expected,
                        observed=f"{booking_id} booked {observed}", journal=[entry["seq"]],
                    ))
    return findings


def _named(request: dict[str, Any], booked: dict[str, Any]) -> list[tuple[str, str, str]]:
    """What of the caller's request the booking does not carry: (what, expected, observed)."""
    wrong = []
    line = request.get("line")
    if line is not None and booked.get("lineId") != line:
        wrong.append(("on another line", f"a booking on line {line}",
                      f"on line {booked.get('lineId')}"))
    account = request.get("account")
    if account is not None and "beneficiaryAccount" in booked \
            and booked["beneficiaryAccount"] != account:
        wrong.append(("a payment to another account", f"paid to account {account}",
                      f"to account {booked['beneficiaryAccount']}"))
    purpose = request.get("purpose")
    if purpose is not None and booked.get("purposeCode") not in (None, purpose):
        wrong.append(("another purpose", f"purpose {purpose}",
                      f"for purpose {booked['purposeCode']}"))
    return wrong
