"""The scenario's ``expect.disbursed``: exactly this much was drawn by the connector, in all."""

from __future__ import annotations

from harness.engine.results import Finding
from harness.oracles.context import Context, amount

NAME = "ledger-total"


def check(ctx: Context) -> list[Finding]:
    wanted = ctx.scenario.expect.disbursed
    if wanted is None:
        return []
    booked = [d for d in ctx.snapshot.get("drawdowns", [])
              if d.get("channel") == "api" and d.get("status") != "REJECTED"]
    total = sum(d["amount"] for d in booked)
    if total == wanted.minor:
        return []
    return [Finding(
        NAME, "the connector's drawdowns do not add up to what the scenario expects",
        expected=f"{amount(wanted.minor, wanted.currency)} disbursed in all",
        observed=f"{amount(total, wanted.currency)} in {len(booked)} drawdowns: "
        f"{', '.join(d['drawdownId'] for d in booked) or 'none'}",
    )]
