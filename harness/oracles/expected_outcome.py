"""What the scenario says the connector must report for a step (its ``expect``)."""

from __future__ import annotations

from datetime import datetime

from harness.engine.results import Finding
from harness.oracles.context import Context

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
        problems = []
        if wanted_outcomes and outcome.status not in wanted_outcomes:
            problems.append(f"outcome {' or '.join(wanted_outcomes)}")
        # A reason belongs to a refusal or a failure (docs/scenario-format.md): with
        # ``outcome: [succeeded, rejected]`` and ``reason: MAINTENANCE`` a success carries none.
        if (wanted_reasons and outcome.status in ("rejected", "failed")
                and outcome.reason not in wanted_reasons):
            problems.append(f"reason {' or '.join(wanted_reasons)}")
        wanted_until = expect.get("lockedUntil")
        if wanted_until is not None:
            try:
                same = outcome.locked_until is not None and datetime.fromisoformat(
                    outcome.locked_until) == datetime.fromisoformat(wanted_until)
            except ValueError:
                same = False
            if not same:
                problems.append(f"lockedUntil {wanted_until}")
        if problems and record.expect_basis:  # say which version's expectation this is
            problems.append(f"the scenario's expectation for {record.version_used}")
        if problems:
            findings.append(Finding(
                NAME, f"{record.step}: the connector did not report what the scenario expects",
                step=record.step, expected=", ".join(problems),
                observed=outcome.describe(), journal=journal,
            ))
    return findings
