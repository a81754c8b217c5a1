"""Oracles: judge a connector by what it did to the bank, not only by what it says.

Each oracle is a module with ``NAME`` and ``check(ctx) -> list[Finding]``; it reads the journal,
the ledger snapshot and the outcomes the connector reported, and explains every objection with
what it expected, what it observed and the journal entries to look at.
"""

from __future__ import annotations

from collections.abc import Callable

from harness.evidence import Finding, RunResult
from harness.oracles import (
    amount_fidelity,
    expected_outcome,
    faithful_read,
    ledger_total,
    no_double_disbursement,
    reason_propagation,
    request_conformance,
    retry_discipline,
    successor_migration,
    tolerant_reader,
    truthful_outcome,
    within_limit,
)
from harness.oracles.context import Context
from harness.scenarios.model import Scenario

Check = Callable[[Context], list[Finding]]

ORACLES: dict[str, Check] = {
    m.NAME: m.check
    for m in (no_double_disbursement, within_limit, amount_fidelity, request_conformance,
              retry_discipline, reason_propagation, truthful_outcome, expected_outcome,
              tolerant_reader, faithful_read, ledger_total, successor_migration)
}


def evaluate(scenario: Scenario, version: str, result: RunResult) -> list[Finding]:
    """Every applicable oracle's findings, in a fixed order."""
    ctx = Context(scenario, version, result)
    findings: list[Finding] = []
    for name, check in ORACLES.items():
        if name in scenario.expect.skip_oracles:
            continue
        findings.extend(check(ctx))
    return findings
