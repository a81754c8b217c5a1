"""What the connector says it read is what the bank said.

A ``get-line`` outcome may carry the line as the connector understood it, in the harness's
words (``"line": {"status": "ACTIVE", "limit": 30000000, "available": 25000000}``, amounts in
minor units), and a ``get-drawdown`` outcome the drawdown (``"drawdown": {"amount":
5000000, "status": "DISBURSED"}``). The oracle compares it with the bank's answer, read by the
adapter of the contract that answered (``Evidence.resource``): a connector that reads v2's
integer fen as v1's decimal yuan (after an upgrade, or a wrong version) reports amounts off by a
factor of 100 and is caught. And the answer must be about what the caller asked: a connector
that reads another line or drawdown (a line table off by one, a cached id) and reports it
faithfully still tells its caller about the wrong thing (judged where the core's ``Evidence``
names the resource: ``lineId``, ``drawdownId``).
"""

from __future__ import annotations

from typing import Any

from harness.evidence import Finding
from harness.oracles.context import Context, amount

NAME = "faithful-read"


READS = {"get-line": ("line", ("limit", "available", "used")),
         "get-drawdown": ("drawdown", ("amount",))}
#: per read: the request's field naming what the caller asked for, and the resource's field
#: naming what the bank's answer showed (judged where the core's Evidence names it)
ASKED = {"get-line": ("line", "lineId"), "get-drawdown": ("drawdownId", "drawdownId")}


def _readable(value: Any, seen: dict[str, Any]) -> str:
    """Minor units as yuan with the minor units beside, when the value is an amount."""
    if isinstance(value, int) and not isinstance(value, bool):
        return amount(value, str(seen.get("currency") or "CNY"))
    return repr(value)


def check(ctx: Context) -> list[Finding]:
    findings = []
    for record in ctx.operations:
        if record.kind not in READS:
            continue
        key, amounts = READS[record.kind]
        reported = record.outcome.data.get(key)
        if record.outcome.status not in ("succeeded", "pending", "rejected") \
                or not isinstance(reported, dict):
            continue
        final = ctx.final_answer(record)
        evidence = ctx.evidence(final) if final is not None else None
        if evidence is None or evidence.outcome != "success" or evidence.resource is None:
            continue
        seen = evidence.resource.get(key) or {}
        asked_field, seen_field = ASKED[record.kind]
        asked, shown = record.request.get(asked_field), seen.get(seen_field)
        if asked is not None and shown is not None and asked != shown and final is not None:
            findings.append(Finding(
                NAME, f"{record.step}: the connector read {key} {shown}, not the {key} asked "
                f"({asked})", step=record.step,
                expected=f"the bank's answer about {key} {asked}",
                observed=f"its last answer was about {key} {shown}", journal=[final["seq"]],
            ))
            continue
        wrong = []
        for field in amounts:
            if field in reported and seen.get(field) != reported[field]:
                wrong.append(f"{field} {_readable(reported[field], seen)} (bank: "
                             f"{_readable(seen.get(field), seen)})")
        status = reported.get("status")
        if status is not None and status != seen.get("status") and status != "UNKNOWN":
            wrong.append(f"status {status} (bank: {seen.get('status')})")
        if wrong and final is not None:
            findings.append(Finding(
                NAME, f"{record.step}: the connector misread the bank's answer",
                step=record.step, expected="the line as the bank described it, in minor units",
                observed="; ".join(wrong), journal=[final["seq"]],
            ))
    return findings
