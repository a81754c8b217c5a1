"""Adapter.evidence: what each journaled exchange with the gateway meant, in domain words (the
oracles read this on the evidence branch, never the envelope)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from examples.cores.gateway_lending import envelope as env
from fake_core_bank.domain.faults import Fault
from fake_core_bank.domain.model import LineStatus, MaintenanceWindow
from fake_core_bank.http.wire import Evidence
from tests.cores.gateway.gateway_kit import MODEL, START, add_line


def last_evidence(bank: Any) -> Evidence:
    entry = [e for e in bank.journal.entries() if e.kind == "exchange"][-1].to_dict()
    return MODEL.adapters[entry["version"]].evidence(entry)


def test_a_line_inquiry_is_a_success_showing_the_line_in_fen(bank, gateway):
    line = add_line(bank, used=1_234_567)
    gateway.call("CL0101", {"lineNo": line}, seq="Q9")
    found = last_evidence(bank)
    assert (found.outcome, found.code, found.idempotency_key) == ("success", "000000", "Q9")
    assert found.resource == {"line": {"status": "ACTIVE", "limit": 30_000_000,
                                       "used": 1_234_567, "available": 28_765_433,
                                       "currency": "CNY"}}
    assert found.said == "200 S/000000"


def test_a_drawdown_shows_its_amount_in_fen_from_either_service_version(bank, gateway):
    line = add_line(bank)
    gateway.draw(line, "123.45", seq="A")
    assert last_evidence(bank).resource == {"drawdown": {
        "drawdownId": "DD00000001", "amount": 12345, "status": "DISBURSED"}}
    gateway.draw(line, "12345", version="2.0", seq="B")
    accepted = last_evidence(bank)
    assert accepted.resource == {"drawdown": {"drawdownId": "DD00000002", "amount": 12345,
                                              "status": "PENDING"}}
    assert accepted.outcome == "accepted"  # 2.0 settles later: an acceptance, no confirmation
    gateway.call("DD0202", {"drawdownNo": "DD00000002"})
    polled = last_evidence(bank)
    assert polled.outcome == "success" and polled.resource == {
        "drawdown": {"drawdownId": "DD00000002", "amount": 12345, "status": "DISBURSED"}}


def test_a_drawdown_rejected_at_settlement_shows_its_reason(bank, gateway):
    line = add_line(bank)
    bank.core.settle_after_polls = 0  # only the settlement run settles
    gateway.draw(line, "12345", version="2.0", seq="B")
    bank.core.lines[line].status = LineStatus.FROZEN  # risk control, before settlement
    bank.core.settle_pending()
    gateway.call("DD0202", {"drawdownNo": "DD00000001"})
    found = last_evidence(bank)
    assert (found.outcome, found.reason) == ("success", "LINE_FROZEN")
    assert found.resource == {"drawdown": {"drawdownId": "DD00000001", "amount": 12345,
                                           "status": "REJECTED"}}


def test_a_refusal_inside_http_200_is_refused_with_the_domain_reason(bank, gateway):
    line = add_line(bank, status="LOCKED", locked_until=START + timedelta(days=14))
    gateway.draw(line, seq="ERP-7")
    found = last_evidence(bank)
    assert (found.outcome, found.reason, found.code) == ("refused", "LINE_LOCKED", "LN1002")
    assert found.locked_until == "2026-03-16T09:00:00+08:00"
    assert found.idempotency_key == "ERP-7" and found.said == "200 F/LN1002" and found.text


def test_maintenance_and_overload_are_unavailable_with_their_wait(bank, gateway):
    line = add_line(bank)
    bank.core.calendar.schedule(MaintenanceWindow("w1", START, START + timedelta(hours=1), "FULL"))
    gateway.draw(line)
    found = last_evidence(bank)
    assert (found.outcome, found.reason, found.code) == ("unavailable", "MAINTENANCE", "GW9001")
    assert found.retry_after is not None and found.retry_after > 0
    bank.reset()
    line = add_line(bank)
    bank.faults.add(Fault("f1", "error", operation_id="createDrawdown", status=503))
    gateway.draw(line)
    assert (last_evidence(bank).outcome, last_evidence(bank).code) == ("unavailable", "GW9999")


def test_garbage_and_bad_signatures_are_invalid(bank, gateway):
    gateway.http.post("/esb/CL0101", content=b"{", headers={"content-type": "application/json"})
    assert (last_evidence(bank).outcome, last_evidence(bank).code) == ("invalid", env.GARBAGE)
    line = add_line(bank)
    gateway.call("CL0101", {"lineNo": line}, signature="0" * 64)
    found = last_evidence(bank)
    assert (found.outcome, found.reason, found.code) == ("invalid", "INVALID_REQUEST",
                                                         env.BAD_SIGNATURE)


def test_a_retired_service_version_is_retired_naming_its_successor(bank, gateway):
    from datetime import datetime

    from examples.cores.gateway_lending.adapters import Release2

    bank.reset(start=datetime.combine(Release2.retires, START.timetz()))
    line = add_line(bank)
    gateway.draw(line, key="K2")
    found = last_evidence(bank)
    assert (found.outcome, found.reason, found.successor) == ("retired", "VERSION_RETIRED", "2.0")


def test_an_exchange_without_answer_is_none_and_keeps_its_sequence_number():
    entry = {"version": "r2", "operation_id": "createDrawdown", "status": None,
             "request_body": {"sysHead": {"consumerSeqNo": "ERP-9"}, "body": {}}}
    assert MODEL.adapters["r2"].evidence(entry) == Evidence("none", idempotency_key="ERP-9",
                                                            said="no answer")


def test_evidence_never_fails_on_a_body_that_is_no_envelope():
    for body in (None, "text", [], {"sysHead": "x"}, {"sysHead": {"ret": "x"}}):
        entry = {"version": "r1", "status": 200, "request_body": body, "response_body": body}
        assert MODEL.adapters["r1"].evidence(entry).outcome == "refused"
