"""The scenario's ``expect.disbursed``: exactly this much was drawn by the connector, in all.

The total is the one for the version the connector's draw-downs used (``expect.byVersion``,
``harness.scenarios.versioned``): v2 books at once what v3 only reserves.
"""

from __future__ import annotations

from harness.evidence import Finding
from harness.oracles.context import Context, amount
from harness.scenarios.versioned import disbursed_for

NAME = "ledger-total"


def check(ctx: Context) -> list[Finding]:
    used = [o.version_used for o in ctx.operations
            if o.kind == "draw-down" and o.version_used is not None]
    wanted, basis = disbursed_for(ctx.scenario, used)
    if wanted is None:
        return []
    booked = [d for d in ctx.snapshot.get("drawdowns", [])
              if d.get("channel") == "api" and d.get("status") != "REJECTED"]
    total = sum(d["amount"] for d in booked)
    if total == wanted.minor:
        return []
    speaking = f" (the total for a connector speaking {basis.split()[-1]})" if basis else ""
    return [Finding(
        NAME, "the connector's drawdowns do not add up to what the scenario expects",
        expected=f"{amount(wanted.minor, wanted.currency)} disbursed in all{speaking}",
        observed=f"{amount(total, wanted.currency)} in {len(booked)} drawdowns: "
        f"{', '.join(d['drawdownId'] for d in booked) or 'none'}",
    )]
