"""A valid answer never makes the connector fail: additive changes are tolerated.

If the bank's last answer in an operation was a valid one that was not "unavailable" (new
optional fields, a value the connector did not know, a refusal) and the connector reports
``failed``, it could not read it.
"""

from __future__ import annotations

from harness.evidence import Finding
from harness.oracles.context import Context

NAME = "tolerant-reader"


def check(ctx: Context) -> list[Finding]:
    findings = []
    for record in ctx.operations:
        if record.outcome.status != "failed":
            continue
        final = ctx.final_answer(record)
        evidence = ctx.evidence(final) if final is not None else None
        if final is None or evidence is None or evidence.outcome == "unavailable" \
                or final.get("response_violations"):
            continue
        if evidence.reason == "NOT_FOUND" and final.get("operation_id") is None:
            continue  # the connector addressed what is not there: request-conformance says so
        findings.append(Finding(
            NAME, f"{record.step}: the connector failed on a valid answer of the bank",
            step=record.step, expected="a reported outcome (succeeded, rejected, pending)",
            observed=f"failed: {record.outcome.detail}",
            journal=[final["seq"]],
        ))
    return findings
