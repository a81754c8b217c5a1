"""The gateway on the wire: envelopes, refusals inside HTTP 200, gateway codes, signing, the
idempotency of consumerSeqNo, and the two releases' drawdown service versions. Every answer is
checked against the release's own contract at teardown (conftest)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from examples.cores.gateway_lending import envelope as env
from examples.cores.gateway_lending.adapters import Release2
from fake_core_bank.domain.bank import BANK_TZ
from fake_core_bank.domain.faults import Fault
from fake_core_bank.domain.model import MaintenanceWindow, Reason
from tests.cores.gateway.gateway_kit import KEYS, START, add_line, head, ret_code

ROTATION = datetime(2026, 4, 1, 9, 0, tzinfo=BANK_TZ)


def test_a_done_service_answers_an_envelope_with_retstatus_s_and_the_line_in_yuan(bank, gateway):
    line = add_line(bank, used=1_234_567)
    answer = gateway.call("CL0101", {"lineNo": line}, seq="Q7")
    assert answer.status_code == 200
    assert head(answer)["retStatus"] == "S" and ret_code(answer) == env.SUCCESS
    assert head(answer)["consumerSeqNo"] == "Q7" and head(answer)["sysDate"] == "20260302"
    assert answer.json()["body"] | {} == {
        "lineNo": "CL000001", "custNo": "ENT000001", "ccy": "CNY", "lineAmt": "300000.00",
        "usedAmt": "12345.67", "availAmt": "287654.33", "lineStatus": "01",
        "expireDate": "20270301"}


@pytest.mark.parametrize(("status", "code"), [
    ("FROZEN", "LN1001"), ("LOCKED", "LN1002"), ("PENDING_ACTIVATION", "LN1003"),
    ("SUSPENDED", "LN1004"), ("EXPIRED", "LN1005")])
def test_a_business_refusal_is_http_200_with_retstatus_f_and_its_own_retcode(
        bank, gateway, status, code):
    until = START + timedelta(days=14) if status == "LOCKED" else None
    line = add_line(bank, status=status, locked_until=until)
    answer = gateway.draw(line)
    assert answer.status_code == 200
    assert head(answer)["retStatus"] == "F" and ret_code(answer) == code
    assert bank.core.drawdowns == {}
    if status == "LOCKED":
        assert (head(answer)["lockEndDate"], head(answer)["lockEndTime"]) == ("20260316",
                                                                              "090000")


def test_every_domain_reason_has_a_retcode_of_its_own_that_reads_back():
    codes = [env.RET_CODES[r.value] for r in Reason]
    assert len(set(codes)) == len(codes)
    assert all(env.REASONS[env.RET_CODES[r.value]] == r.value for r in Reason)


def test_retmsg_is_chinese_and_varies_from_one_request_to_the_next(bank, gateway):
    line = add_line(bank, status="FROZEN")
    texts = [head(gateway.draw(line, seq=f"D{n}"))["ret"][0]["retMsg"] for n in range(4)]
    assert len(set(texts)) == 4
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in texts)


def test_maintenance_is_503_with_a_gateway_code_and_retry_after(bank, gateway):
    line = add_line(bank)
    bank.core.calendar.schedule(MaintenanceWindow("w1", START, START + timedelta(hours=1), "FULL"))
    answer = gateway.call("CL0101", {"lineNo": line})
    assert answer.status_code == 503 and ret_code(answer) == "GW9001"
    assert int(answer.headers["retry-after"]) == head(answer)["retryAfter"] > 0


def test_a_read_only_window_serves_inquiries_posted_and_refuses_drawdowns(bank, gateway):
    line = add_line(bank)
    bank.core.calendar.schedule(MaintenanceWindow("w1", START, START + timedelta(hours=1),
                                                  "READ_ONLY"))
    assert head(gateway.call("CL0101", {"lineNo": line}))["retStatus"] == "S"
    answer = gateway.draw(line)
    assert answer.status_code == 503 and ret_code(answer) == "GW9002"


def test_overload_is_503_with_the_gateway_busy_code(bank, gateway):
    line = add_line(bank)
    bank.faults.add(Fault("f1", "error", operation_id="createDrawdown", status=503))
    answer = gateway.draw(line)
    assert answer.status_code == 503 and ret_code(answer) == "GW9999"
    assert bank.core.drawdowns == {}


@pytest.mark.parametrize("raw", [b"not json", b'{"sysHead": {}, "body": {}}',
                                 b'{"body": {"lineNo": "CL000001"}}'])
def test_garbage_is_400_gw4000_naming_the_problem(bank, gateway, raw):
    answer = gateway.http.post("/esb/CL0101", content=raw,
                               headers={"content-type": "application/json"})
    assert answer.status_code == 400 and ret_code(answer) == env.GARBAGE
    assert "（" in head(answer)["ret"][0]["retMsg"]


def test_a_bad_signature_is_refused_with_its_own_retcode(bank, gateway):
    line = add_line(bank)
    answer = gateway.call("CL0101", {"lineNo": line}, signature="0" * 64)
    assert answer.status_code == 200 and ret_code(answer) == env.BAD_SIGNATURE
    tampered = gateway.call("CL0101", {"lineNo": line},
                            signature=env.sign({"lineNo": "CL999999"}, KEYS["K1"].secret))
    assert ret_code(tampered) == env.BAD_SIGNATURE
    assert ret_code(gateway.call("CL0101", {"lineNo": line}, consumer="NOBODY")) == \
        env.UNKNOWN_CONSUMER


def test_the_key_rotates_on_its_announced_date(bank, gateway):
    line = add_line(bank)
    before = gateway.call("CL0101", {"lineNo": line})
    assert head(before)["keyId"] == "K1"
    assert head(before)["keyRotation"] == {"keyId": "K2", "effectiveDate": "20260401"}
    assert ret_code(gateway.call("CL0101", {"lineNo": line}, key="K2")) == env.KEY_NOT_IN_FORCE
    bank.reset(start=ROTATION)
    line = add_line(bank)
    old = gateway.call("CL0101", {"lineNo": line})
    assert old.status_code == 200 and ret_code(old) == env.KEY_NOT_IN_FORCE
    assert head(old)["keyId"] == "K2" and "keyRotation" not in head(old)
    assert head(gateway.call("CL0101", {"lineNo": line}, key="K2"))["retStatus"] == "S"


def test_no_journal_entry_keeps_a_signature_or_a_secret(bank, gateway):
    line = add_line(bank)
    signed = gateway.draw(line).request.read()
    signature = json.loads(signed)["sysHead"]["signature"]
    gateway.call("CL0101", {"lineNo": line}, signature="f" * 64)
    journal = json.dumps([e.to_dict() for e in bank.journal.entries()], ensure_ascii=False)
    assert signature not in journal and "f" * 64 not in journal
    assert not any(k.secret in journal for k in KEYS.values())
    assert journal.count('"signature": "[masked]"') == 2


def test_consumer_seq_no_is_the_idempotency_key_of_a_drawdown(bank, gateway):
    line = add_line(bank)
    first, again = gateway.draw(line, seq="ERP-1"), gateway.draw(line, seq="ERP-1")
    assert first.json()["body"]["drawdownNo"] == again.json()["body"]["drawdownNo"]
    assert len(bank.core.drawdowns) == 1
    other = gateway.draw(line, "2000.00", seq="ERP-1")
    assert other.status_code == 200 and ret_code(other) == "GW0409"
    assert len(bank.core.drawdowns) == 1


def test_release_1_offers_drawdown_1_0_only(bank, gateway):
    bank.reset(versions=("r1",))
    line = add_line(bank)
    assert ret_code(gateway.draw(line, "1234.56", version="2.0")) == env.NO_SUCH_SERVICE_VERSION
    answer = gateway.draw(line, "123.45")
    assert head(answer)["retStatus"] == "S" and "deprecation" not in head(answer)
    assert answer.json()["body"]["amount"] == "123.45"


def test_a_release_1_node_refuses_a_newer_service_version_in_the_envelope_not_as_garbage(
        bank, gateway):
    """A mixed fleet: a consumer that met r2 sends drawdown 2.0 (fen, purposeCode) to an r1
    node, which says it has no such service version (GW0404, HTTP 200), not that the body is
    malformed (400 GW4000) as it would if it read it as 1.0's; nothing is booked."""
    bank.reset(versions=("r1",))
    line = add_line(bank)
    answer = gateway.draw(line, "12345", version="2.0")
    assert answer.status_code == 200 and head(answer)["retStatus"] == "F"
    assert ret_code(answer) == env.NO_SUCH_SERVICE_VERSION and bank.core.drawdowns == {}
    assert gateway.draw(line, "12345", seq="D2").status_code == 400  # 1.0's body is still read


def test_release_2_drawdown_2_0_takes_fen_and_requires_purpose_code(bank, gateway):
    line = add_line(bank)
    answer = gateway.draw(line, "12345", version="2.0")
    assert head(answer)["retStatus"] == "S" and "deprecation" not in head(answer)
    assert answer.json()["body"]["amount"] == "12345"
    assert bank.core.get_line(line).used == 12345
    assert gateway.draw(line, "12345", version="2.0", purpose=None, seq="D2").status_code == 400
    assert gateway.draw(line, "123.45", version="2.0", seq="D3").status_code == 400


def test_release_2_serves_drawdown_1_0_deprecated_until_its_retirement_date(bank, gateway):
    line = add_line(bank)
    served = gateway.draw(line, "123.45")
    assert head(served)["retStatus"] == "S" and bank.core.get_line(line).used == 12345
    notice = {"serviceVersion": "1.0", "retireDate": "20260701", "successor": "2.0"}
    assert head(served)["deprecation"] == notice
    bank.reset(start=datetime.combine(Release2.retires, START.timetz()), customers=0)
    line = add_line(bank)
    retired = gateway.draw(line, "123.45", key="K2")
    assert retired.status_code == 200 and ret_code(retired) == env.SERVICE_VERSION_RETIRED
    assert head(retired)["deprecation"] == notice and bank.core.drawdowns == {}
    assert head(gateway.draw(line, "12345", version="2.0", key="K2"))["retStatus"] == "S"


def test_the_inquiry_services_answer_alike_in_both_releases(bank, gateway):
    answers = []
    for release in ("r1", "r2"):
        bank.reset(versions=(release,))
        line = add_line(bank)
        drawn = gateway.draw(line, "100.00")
        number = drawn.json()["body"]["drawdownNo"]
        answers.append((gateway.call("CL0101", {"lineNo": line}).json(),
                        gateway.call("DD0202", {"drawdownNo": number}).json()))
    assert answers[0] == answers[1]


def test_sign_on_tells_the_date_and_key_even_during_maintenance(bank, gateway):
    bank.core.calendar.schedule(MaintenanceWindow("w1", START, START + timedelta(hours=1), "FULL"))
    answer = gateway.http.post("/esb/SY0001", json={"sysHead": {
        "serviceCode": "SY0001", "serviceVersion": "1.0", "consumerId": "DRAWBRIDGE",
        "consumerSeqNo": "S1", "signature": env.sign({}, KEYS["K1"].secret)}, "body": {}})
    assert answer.status_code == 200 and answer.json()["body"] == {"workDate": "20260302"}
    assert (head(answer)["sysDate"], head(answer)["sysTime"], head(answer)["keyId"]) == (
        "20260302", "090000", "K1")
