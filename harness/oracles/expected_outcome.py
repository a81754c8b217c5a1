"""What the scenario says the connector must report for a step (its ``expect``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from harness.evidence import Finding
from harness.oracles.context import Context, bank_answer, bank_reason

NAME = "expected-outcome"


def check(ctx: Context) -> list[Finding]:
    findings = []
    for record in ctx.operations:
        expect = record.expect
        if not expect:
            continue
        outcome = record.outcome
        wanted_outcomes = expect.get("outcomes") or []
        wanted_reasons = expect.get("reasons") or []
        journal = [e["seq"] for e in ctx.exchanges(record)][-3:]
        wrong_outcome = bool(wanted_outcomes) and outcome.status not in wanted_outcomes
        # A reason belongs to a refusal or a failure (docs/scenario-format.md): with
        # ``outcome: [succeeded, rejected]`` and ``reason: MAINTENANCE`` a success carries none.
        wrong_reason = (bool(wanted_reasons) and outcome.status in ("rejected", "failed")
                        and outcome.reason not in wanted_reasons)
        if wrong_outcome or wrong_reason or not _same_lock_end(expect, outcome.locked_until):
            final = ctx.final_answer(record)
            observed = outcome.describe()
            if final is not None and bank_reason(evidence := ctx.evidence(final)) is not None:
                observed += f" (bank answered {bank_answer(final, evidence)})"
            expected = wanted(expect)
            if record.expect_basis:  # say which version's expectation this is
                expected += f" (the scenario's expectation for {record.version_used})"
            findings.append(Finding(
                NAME, f"{record.step}: expected {expected}, observed {observed}",
                step=record.step, expected=expected, observed=observed, journal=journal,
            ))
    return findings


def _same_lock_end(expect: dict[str, Any], reported: str | None) -> bool:
    wanted_until = expect.get("lockedUntil")
    if wanted_until is None:
        return True
    try:
        return reported is not None and \
            datetime.fromisoformat(reported) == datetime.fromisoformat(wanted_until)
    except ValueError:
        return False


def wanted(expect: dict[str, Any]) -> str:
    """The step's expectation in the words Outcome.describe() uses: ``rejected LINE_LOCKED until
    2026-03-31T00:00:00+08:00``, ``succeeded or rejected``, ``any outcome with MAINTENANCE``."""
    outcomes = " or ".join(expect.get("outcomes") or []) or "any outcome"
    reasons = " or ".join(expect.get("reasons") or [])
    text = f"{outcomes} {reasons}" if reasons else outcomes
    if expect.get("lockedUntil") is not None:
        text += f" until {expect['lockedUntil']}"
    return text
