"""No line is ever drawn beyond its limit."""

from __future__ import annotations

from harness.evidence import Finding
from harness.oracles.context import Context, amount

NAME = "within-limit"


def check(ctx: Context) -> list[Finding]:
    findings = []
    for line in ctx.snapshot.get("lines", []):
        booked = sum(d["amount"] for d in ctx.snapshot.get("drawdowns", [])
                     if d["lineId"] == line["lineId"] and d.get("status") != "REJECTED")
        if line["used"] > line["limit"] or line["used"] < 0:
            currency = str(line.get("currency") or "CNY")
            findings.append(Finding(
                NAME, f"line {line['lineId']} is drawn beyond its limit",
                expected=f"0 <= used <= limit {amount(line['limit'], currency)}",
                observed=f"used {amount(line['used'], currency)} (bookings total "
                f"{amount(booked, currency)})",
            ))
    return findings
