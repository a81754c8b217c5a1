"""What the bank booked is what the caller asked for: amount and currency, exactly.

This catches the classic version bug: 50,000.00 yuan sent to v2 as ``5000000`` is right,
as ``50000`` (yuan read as fen) or ``5000000000`` (fen multiplied twice) is not.
"""

from __future__ import annotations

from harness.evidence import Finding
from harness.oracles.context import Context, amount

NAME = "amount-fidelity"


def check(ctx: Context) -> list[Finding]:
    findings = []
    for record in ctx.operations:
        if record.kind not in ("draw-down", "repay"):
            continue
        asked = record.request["amount"]
        for entry in ctx.exchanges(record):
            for drawdown_id in entry.get("bookings") or []:
                booked = next((d for d in ctx.snapshot.get("drawdowns", [])
                               if d["drawdownId"] == drawdown_id), None)
                if booked is None:
                    continue
                if booked["amount"] != asked["minor"] or booked["currency"] != asked["currency"]:
                    findings.append(Finding(
                        NAME, f"{record.step}: the bank booked another amount than asked",
                        step=record.step,
                        expected=amount(asked["minor"], asked["currency"]),
                        observed=f"{amount(booked['amount'], booked['currency'])} booked as "
                        f"{drawdown_id}",
                        journal=[entry["seq"]],
                    ))
    return findings
