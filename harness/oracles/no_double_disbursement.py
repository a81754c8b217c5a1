"""One business intent books at most one drawdown, however many requests the connector sent.

The harness knows which operation (step) was running when each booking happened; steps that
share an ``intent`` are one business intent (a caller retrying at its level). A connector that
retries a lost answer without an Idempotency-Key, or with a fresh one, books twice.
"""

from __future__ import annotations

from harness.engine.results import Finding
from harness.oracles.context import Context

NAME = "no-double-disbursement"


def check(ctx: Context) -> list[Finding]:
    intents: dict[str, set[str]] = {}
    for record in ctx.operations:
        if record.kind == "draw-down":
            intents.setdefault(record.intent, set()).add(record.step)
    findings = []
    for intent, steps in sorted(intents.items()):
        booked = [d for d in ctx.drawdowns_of(steps) if d.get("status") != "REJECTED"]
        if len(booked) <= 1:
            continue
        seqs = sorted(e["seq"] for step in steps for e in ctx.by_operation.get(step, [])
                      if e.get("bookings"))
        listing = ", ".join(f"{d['drawdownId']} ({d['amount']} {d['currency']} at "
                            f"{d['createdAt']})" for d in booked)
        findings.append(Finding(
            NAME, f"business intent {intent!r} was disbursed {len(booked)} times",
            step=sorted(steps)[0], expected="at most one drawdown booked for one intent",
            observed=f"bookings: {listing}", journal=seqs,
        ))
    return findings
