"""Oracles: judge a connector by what it did to the bank, not only by what it says.

Each oracle is a module with ``NAME`` and ``check(ctx) -> list[Finding]``; it reads the journal,
the ledger snapshot and the outcomes the connector reported, and explains every objection with
what it expected, what it observed and the journal entries to look at. :data:`ORACLES` is the
one registry; importing this package fails unless the scenario vocabulary names exactly its
oracles (:func:`tied_to_vocabulary`), so a scenario's ``expect.oracles.skip`` is checked at load
time against the oracles that run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
from harness.scenarios import vocabulary
from harness.scenarios.model import Scenario

Check = Callable[[Context], list[Finding]]


def tied_to_vocabulary(registry: dict[str, Check],
                       named: Sequence[str] = vocabulary.ORACLES) -> dict[str, Check]:
    """``registry`` when it holds exactly the oracles the scenario vocabulary names (the names a
    scenario may skip and the schema's enum), else RuntimeError naming the difference: an oracle
    named but not registered would silently never run, one registered but not named could not
    be skipped."""
    missing = [name for name in named if name not in registry]
    unnamed = [name for name in registry if name not in named]
    if missing or unnamed:
        raise RuntimeError(
            "harness.oracles.ORACLES and harness.scenarios.vocabulary.ORACLES differ: "
            + "; ".join([f"named but not registered: {', '.join(missing)}"] * bool(missing)
                        + [f"registered but not named: {', '.join(unnamed)}"] * bool(unnamed))
            + "; register the oracle's module here and name it in the vocabulary")
    return registry


#: oracle name -> its check, in the order they run: the one registry of oracles
ORACLES: dict[str, Check] = tied_to_vocabulary({
    m.NAME: m.check
    for m in (no_double_disbursement, within_limit, amount_fidelity, request_conformance,
              retry_discipline, reason_propagation, truthful_outcome, expected_outcome,
              tolerant_reader, faithful_read, ledger_total, successor_migration)
})


def evaluate(scenario: Scenario, version: str, result: RunResult) -> list[Finding]:
    """Every applicable oracle's findings, in a fixed order."""
    ctx = Context(scenario, version, result)
    findings: list[Finding] = []
    for name, check in ORACLES.items():
        if name in scenario.expect.skip_oracles:
            continue
        findings.extend(check(ctx))
    return findings
