"""Play one scenario against one connector at one core version, and judge it.

The bank is reset to the scenario's world; each timeline step moves the virtual clock to the
step's time (never backwards), then applies a bank-side event or runs a connector operation
bracketed by ``begin_operation``/``end_operation`` (so the journal knows which business intent
each request served, and the clock follows wall time in steps while the connector works). At the
end the oracles read the journal, the ledger snapshot and the reported outcomes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fake_core_bank.domain.clock import DEFAULT_TIME_SCALE
from fake_core_bank.fake import BankConfig
from harness.drivers.base import Driver, DriverFactory
from harness.engine.bank import BankHandle, JournalCursor
from harness.engine.used import used_version
from harness.engine.world import initial_state, served_versions
from harness.evidence import Finding, Identity, OperationRecord, RunResult
from harness.oracles import evaluate
from harness.outcome import Outcome
from harness.scenarios.model import Event, Operation, Scenario, StepExpect
from harness.scenarios.versioned import step_expect_for


@dataclass(frozen=True)
class RunOptions:
    seed: int = 0
    time_scale: float | None = None
    op_timeout: float = 30.0
    scenario_timeout: float = 180.0


def run_seed(scenario: Scenario, options: RunOptions) -> int:
    """The seed a run of ``scenario`` uses: the scenario's own, else the run's."""
    return scenario.seed if scenario.seed is not None else options.seed


def bank_config(scenario: Scenario, version: str, options: RunOptions) -> BankConfig:
    """The fake bank's configuration at the start of a run of ``scenario`` at ``version``:
    the runner resets the bank to it, bundles rebuild the run's start state from it."""
    knobs = scenario.given.bank
    return BankConfig(
        seed=run_seed(scenario, options), versions=served_versions(scenario.given, version),
        customers=0, start=scenario.given.clock,
        time_scale=knobs.time_scale or options.time_scale or DEFAULT_TIME_SCALE,
        message_variants=knobs.message_variants, settle_after_polls=knobs.settle_after_polls,
        additive=knobs.additive,
    )


class ScenarioAborted(Exception):  # noqa: N818 -- a control-flow signal, not a bug
    pass


def apply_event(bank: BankHandle, event: Event) -> None:
    f = event.fields
    kind = event.kind
    now = bank.now()
    if kind == "upgrade":
        bank.upgrade(f["to"], retire=tuple(f.get("retire") or ()), sunset=f.get("sunset"),
                     in_place=bool(f.get("inPlace")))
    elif kind == "rollback":
        bank.rollback(f["to"])
    elif kind == "rolling-upgrade":
        bank.rolling_upgrade(f["from"], f["to"], float(f["share"]), f.get("seed"))
    elif kind == "complete-rollout":
        bank.complete_rollout()
    elif kind == "maintenance":
        duration: timedelta = f["duration"]
        bank.schedule_maintenance(now, now + duration, (f.get("mode") or "full"))
    elif kind in ("freeze", "unfreeze", "unlock", "activate", "expire"):
        status = {"freeze": "FROZEN", "unfreeze": "ACTIVE", "unlock": "ACTIVE",
                  "activate": "ACTIVE", "expire": "EXPIRED"}[kind]
        bank.set_line_status(f["line"], status)
    elif kind == "lock":
        bank.set_line_status(f["line"], "LOCKED", f["until"], f.get("reason"))
    elif kind == "set-status":
        bank.set_line_status(f["line"], f["status"], f.get("until"), f.get("reason"))
    elif kind == "satisfy-precondition":
        bank.satisfy_precondition(f["line"], f["code"])
    elif kind == "policy":
        from harness.engine.world import policy_state

        bank.put_policy(policy_state(f["policy"]))
    elif kind == "remove-policy":
        bank.remove_policy(f["id"])
    elif kind == "fault":
        match = f["match"]
        delay: timedelta | None = f.get("delay")
        bank.inject_fault(f["kind"], match.operation, match.method, match.line,
                          int(f.get("times") or 1), int(f.get("status") or 500),
                          delay.total_seconds() if delay else 0.0)
    elif kind == "external-drawdown":
        bank.external_drawdown(f["line"], f["amount"].minor)
    elif kind == "settle":
        bank.settle_pending()
    elif kind == "advance":
        bank.advance_clock(f["by"])
    else:  # the loader only lets known kinds through; this guards the two tables drifting
        raise ValueError(f"the engine does not know event {kind!r}")


def operation_request(scenario: Scenario, op: Operation, state: dict[str, Any],
                      records: dict[str, OperationRecord], journal: list[dict[str, Any]],
                      ) -> dict[str, Any]:
    request: dict[str, Any] = {"op": op.kind, "step": op.name,
                               "intent": f"{scenario.id}.{op.intent}"}
    if op.line is not None:
        request["line"] = op.line
    if op.amount is not None:
        request["amount"] = {"minor": op.amount.minor, "currency": op.amount.currency,
                             "decimal": op.amount.yuan_string()}
    if op.kind == "draw-down":
        line = next(ln for ln in state["lines"] if ln["lineId"] == op.line)
        customer = next(c for c in state["customers"] if c["customerId"] == line["customerId"])
        request["account"] = customer["accountNo"]
        if op.purpose is not None:
            request["purpose"] = op.purpose
    if op.kind == "get-drawdown" and op.ref is not None:
        earlier = records.get(op.ref)
        drawdown_id = earlier.outcome.drawdown_id if earlier else None
        if drawdown_id is None:
            # The connector never learnt the id (e.g. the answer was lost): its caller would
            # look the drawdown up; the harness hands over what the bank booked for that step.
            drawdown_id = next((b for e in journal if e.get("operation") == op.ref
                                for b in e.get("bookings") or []), None)
        request["drawdownId"] = drawdown_id
    return request


def run_scenario(
    scenario: Scenario,
    version: str,
    bank: BankHandle,
    make_driver: DriverFactory,
    identity: Identity,
    options: RunOptions,
) -> RunResult:
    seed = run_seed(scenario, options)
    source = scenario.source.path if scenario.source else scenario.id
    result = RunResult(scenario.id, scenario.title, scenario.cause, version, source, seed,
                       identity)
    bank.reset(bank_config(scenario, version, options))
    state = initial_state(scenario.given, seed)
    bank.load_state(state)
    driver: Driver | None = None
    records: dict[str, OperationRecord] = {}
    journal = JournalCursor(bank)  # read on from where the last read ended, never again whole
    try:
        driver = make_driver()
        driver.start(bank.run_url(), version)  # fenced: a late request is refused
        # The scenario's own time starts once its connector is ready: waiting for a shared
        # service's turn, or for a container to come up, is not the scenario running long.
        running = time.monotonic()
        for step in scenario.timeline:
            if time.monotonic() - running > options.scenario_timeout:
                raise ScenarioAborted(f"scenario timeout: {options.scenario_timeout:g}s of wall "
                                      f"time passed before step {step.name}")
            if step.at > bank.now():
                bank.set_clock(step.at)
            if isinstance(step, Event):
                apply_event(bank, step)
                continue
            assert isinstance(step, Operation)
            records[step.name] = _perform(scenario, step, bank, journal, driver, state,
                                          records, options.op_timeout)
    except ScenarioAborted as exc:
        result.verdict, result.error = "error", str(exc)
        result.findings.append(Finding("scenario-timeout", str(exc)))
    finally:
        if driver is not None:
            driver.stop()
            result.notes = list(driver.notes.lines)
    result.operations = list(records.values())
    journal.read()
    result.journal = journal.entries
    result.snapshot = bank.snapshot()
    findings = evaluate(scenario, version, result)
    result.findings.extend(findings)
    if result.verdict != "error" and result.findings:
        result.verdict = "fail"
    return result


def _perform(scenario: Scenario, op: Operation, bank: BankHandle, journal: JournalCursor,
             driver: Driver, state: dict[str, Any], records: dict[str, OperationRecord],
             timeout: float) -> OperationRecord:
    journal.read()
    request = operation_request(scenario, op, state, records, journal.entries)
    at = bank.now().isoformat()
    first = len(journal.entries)
    bank.begin_operation(op.name)
    try:
        if op.kind == "get-drawdown" and request.get("drawdownId") is None:
            outcome = Outcome.failed(f"no drawdown to look up: step {op.ref} booked none")
        else:
            outcome = driver.perform(request, timeout)
    finally:
        bank.end_operation()
    entries = journal.read()
    last = first + len(entries)
    used = used_version(entries, op.name)
    chosen = step_expect_for(scenario, op.expect, used)
    return OperationRecord(op.name, op.kind, op.intent, at, request, outcome, first, last,
                           expect_dict(chosen.expect), version_used=used,
                           expect_basis=chosen.basis)


def expect_dict(expect: StepExpect | None) -> dict[str, Any] | None:
    """A step's expectation as the record keeps it (what expected-outcome reads)."""
    if expect is None:
        return None
    return {"outcomes": list(expect.outcomes), "reasons": list(expect.reasons),
            "lockedUntil": expect.locked_until.isoformat() if expect.locked_until else None}
