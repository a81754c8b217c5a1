"""The oracles judge any core through its adapters' Evidence, never the built-in REST wire.

A tiny core in the style of a service gateway answers every business refusal as HTTP 200 with
``retStatus: F`` and a return code, and says how long to wait in its body, not in a header.
The same journal read by the built-in adapters would look like a string of successes: the
findings below prove the oracles asked the core's adapter what each answer meant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fake_core_bank import cores
from fake_core_bank.cores import CoreModel
from fake_core_bank.http.adapters.v2 import V2
from fake_core_bank.http.wire import Evidence
from fake_core_bank.lending import core as lending
from harness.evidence import Finding, Identity, OperationRecord, RunResult
from harness.oracles import (
    evaluate,
    faithful_read,
    reason_propagation,
    retry_discipline,
    successor_migration,
    truthful_outcome,
)
from harness.oracles.context import Context
from harness.outcome import Outcome
from harness.scenarios.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
RET_CODES = {"LN1003": "LINE_FROZEN", "SYS503": "MAINTENANCE"}
ACTIONS = {"loan.drawdown": "draw-down", "line.inquiry": "get-line"}
RET_CODES["GW4100"] = "VERSION_RETIRED"


class Envelope(V2):
    """Serves like v2 (the test never serves it); reads its exchanges as a gateway's."""

    version = "r1"

    def evidence(self, entry: dict[str, Any]) -> Evidence:
        head = (entry.get("response_body") or {}).get("sysHead", {})
        code = head.get("retCode")
        if entry.get("status") is None:
            outcome = "none"
        elif entry["status"] == 503:
            outcome = "unavailable"
        else:
            outcome = "success" if head.get("retStatus") == "S" else "refused"
        body = (entry.get("response_body") or {}).get("body") or {}
        if head.get("retStatus") == "R":  # this service version is retired
            outcome = "retired"
        line = {"limit": int(body["limitFen"]), "status": body.get("lineStatus")} \
            if "limitFen" in body else None
        return Evidence(
            outcome=outcome, reason=RET_CODES.get(code) if outcome != "success" else None,
            code=code, retry_after=head.get("waitSeconds"), successor=head.get("successor"),
            resource={"line": line} if line else ({} if outcome == "success" else None),
            said=f"{entry.get('status')} {head.get('retStatus')}/{code}",
            action=ACTIONS.get(str(entry.get("operation_id"))), code_field="retCode",
            idempotency_key=(entry.get("request_body") or {}).get("consumerSeqNo"))


GATEWAY = CoreModel(name="gateway-test", versions=("r1",),
                    contracts={"r1": lending.contracts["v2"]}, adapters={"r1": Envelope()},
                    library=False)


def exchange(seq: int, operation_id: str, ret: str, code: str, *, status: int = 200,
             wait: float | None = None, offset: float = 0.0, step: str = "draw",
             body: dict[str, Any] | None = None, **head: Any) -> dict[str, Any]:
    head = {"retStatus": ret, "retCode": code, **head}
    if wait is not None:
        head["waitSeconds"] = wait
    return {"seq": seq, "kind": "exchange", "operation": step, "version": "r1",
            "served_by": "r1", "operation_id": operation_id, "method": "POST",
            "path": "/gateway", "status": status, "response_headers": {},
            "response_body": {"sysHead": head, "body": body or {}}, "reason": None,
            "request_body": {"consumerSeqNo": f"S{seq}"}, "wall_offset": offset,
            "bookings": [], "request_violations": [], "response_violations": []}


def judged(journal: list[dict[str, Any]], outcome: Outcome, kind: str = "draw-down",
           model: CoreModel = GATEWAY) -> Context:
    scenario = load_scenario(ROOT / "scenarios" / "line-state" / "frozen-line.yaml")
    record = OperationRecord(step=journal[0]["operation"], kind=kind, intent="i", at="",
                             request={"amount": {"minor": 100, "currency": "CNY"}},
                             outcome=outcome, first_seq=0, last_seq=len(journal))
    result = RunResult(scenario_id="x", title="", cause="", version="r1", source="", seed=0,
                       connector=Identity("naive", contracts=("r1",)), operations=[record],
                       journal=journal, snapshot={"drawdowns": [], "lines": []})
    with cores.using(model):
        ctx = Context(scenario, "r1", result)
        for entry in journal:  # read while the model is active, as evaluate() does
            ctx.evidence(entry)
        return ctx


def messages(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings]


def test_a_refusal_inside_http_200_reported_as_success_is_caught() -> None:
    refused = [exchange(1, "loan.drawdown", "F", "LN1003")]
    ctx = judged(refused, Outcome("succeeded"))
    assert messages(truthful_outcome.check(ctx)) == [
        "draw: reported success the bank never confirmed"]
    # ... and the bank's reason, read from the return code, did not reach the caller
    [finding] = reason_propagation.check(ctx)
    assert finding.expected == "rejected LINE_FROZEN"
    assert finding.observed == ("succeeded (bank answered 200 F/LN1003 via r1, which the harness "
                                "reads as LINE_FROZEN)")


def test_a_confirmed_drawdown_inside_http_200_passes() -> None:
    done = [exchange(1, "loan.drawdown", "S", "000000")]
    ctx = judged(done, Outcome("succeeded"))
    assert truthful_outcome.check(ctx) == [] and reason_propagation.check(ctx) == []


def test_the_same_journal_read_as_the_built_in_wire_would_be_a_success() -> None:
    """The control: read by the lending core's v2 adapter, a 200 to a drawdown confirms it."""
    refused = [dict(exchange(1, "createDrawdown", "F", "LN1003"), version="v2", served_by="v2")]
    ctx = judged(refused, Outcome("succeeded"), model=lending)
    assert truthful_outcome.check(ctx) == []


def test_retry_discipline_reads_refusals_and_waits_from_evidence() -> None:
    hammered = [exchange(n, "line.inquiry", "F", "LN1003", step="read", offset=n * 0.01)
                for n in range(1, 6)]
    ctx = judged(hammered, Outcome("rejected", "LINE_FROZEN"), kind="get-line")
    assert messages(retry_discipline.check(ctx)) == [
        "read: asked 5 times for what the bank refused (200 LINE_FROZEN)"]
    early = [exchange(1, "line.inquiry", "F", "SYS503", status=503, wait=30, step="read"),
             exchange(2, "line.inquiry", "S", "000000", step="read", offset=1.0)]
    ctx = judged(early, Outcome("succeeded"), kind="get-line")
    [finding] = retry_discipline.check(ctx)
    assert finding.message == "read: retried before the advertised Retry-After"
    assert finding.expected == "next request at least 30s after #1"


def test_evaluate_reads_every_entry_through_the_active_core() -> None:
    """A core without the built-in wire: every oracle runs on it without reading the wire (an
    oracle that read a REST body or header here would find nothing or crash)."""
    refused = [exchange(1, "loan.drawdown", "F", "LN1003")]
    ctx = judged(refused, Outcome("succeeded"))
    with cores.using(GATEWAY):
        found = evaluate(ctx.scenario, "r1", ctx.result)
    assert {f.oracle for f in found} >= {"truthful-outcome", "reason-propagation"}


@pytest.mark.parametrize("status", [None, 503])
def test_no_answer_and_unavailable_are_not_refusals(status: int | None) -> None:
    troubled = [exchange(n, "loan.drawdown", "F", "SYS503", status=status or 0) for n in
                range(1, 10)]
    for entry in troubled:
        entry["status"] = status
    ctx = judged(troubled, Outcome("failed", detail="down"))
    assert messages(retry_discipline.check(ctx)) == [
        "draw: 9 attempts against an unavailable bank"]


def test_faithful_read_compares_with_the_resource_the_adapter_read() -> None:
    """The envelope says the limit in fen as a string: the adapter reads it, the oracle compares."""
    answer = [exchange(1, "line.inquiry", "S", "000000", step="read",
                       body={"limitFen": "30000000", "lineStatus": "ACTIVE"})]
    misread = Outcome("succeeded", data={"line": {"limit": 300000, "status": "ACTIVE"}})
    [finding] = faithful_read.check(judged(answer, misread, kind="get-line"))
    assert finding.observed == ("limit 3000.00 CNY (300000 minor units) (bank: 300000.00 CNY "
                                "(30000000 minor units))")
    right = Outcome("succeeded", data={"line": {"limit": 30000000, "status": "ACTIVE"}})
    assert faithful_read.check(judged(answer, right, kind="get-line")) == []


def test_successor_migration_reads_a_retired_service_from_evidence() -> None:
    gone = [exchange(1, "loan.drawdown", "R", "GW4100", successor="r2")]
    ctx = judged(gone, Outcome("failed", detail="?"))
    [finding] = successor_migration.check(ctx)
    assert finding.expected == "rejected VERSION_RETIRED"  # the connector does not declare r2
