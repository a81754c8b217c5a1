"""An idempotent replay answers in the asking version's vocabulary, whichever version booked.

Issue 13: the same key first booked through v3 (PENDING) and replayed through v2 answered
``"status": "PENDING"``, which v2 does not have (49 response violations in a mixed load).
"""

from __future__ import annotations

import itertools

from fake_core_bank.fake import FakeBank
from tests.fake_core_bank.bank_testkit import drawdown_body


def post(client, bank: FakeBank, version: str, amount: int, key: str):
    account = bank.core.get_customer("ENT000001").account_no
    body = {**drawdown_body(version, amount, account), "purposeCode": "WC01"}  # same intent
    return client.post(f"/{version}/credit-lines/CL000001/drawdowns", json=body,
                       headers={"Idempotency-Key": key})


def test_a_v3_booking_replayed_through_v2_answers_as_v2_does(client, bank):
    first = post(client, bank, "v3", 500_00, "erp-1")
    assert (first.status_code, first.json()["status"]) == (202, "PENDING")
    again = post(client, bank, "v2", 500_00, "erp-1")
    assert again.status_code == 201, again.text
    assert (again.json()["drawdownId"], again.json()["status"]) == (first.json()["drawdownId"],
                                                                   "DISBURSED")
    assert len(bank.core.drawdowns) == 1


def test_a_v3_drawdown_rejected_at_settlement_is_replayed_through_v2_as_its_refusal(client,
                                                                                   bank):
    post(client, bank, "v3", 500_00, "erp-1")
    bank.set_line_status("CL000001", "FROZEN")
    again = post(client, bank, "v2", 500_00, "erp-1")
    assert again.status_code == 409
    assert again.json()["reasonCode"] == "LINE_FROZEN"
    assert bank.core.get_line("CL000001").used == 0


def test_a_mixed_version_load_of_replays_answers_within_every_contract(client, bank):
    for i, (booked_by, replayed_by) in enumerate(itertools.permutations(("v2", "v3"), 2)):
        for j in range(6):
            key = f"mixed-{i}-{j}"
            post(client, bank, booked_by, 100_00 + j, key)
            if j % 3 == 2:
                bank.set_line_status("CL000001", "FROZEN")  # some settle REJECTED
            post(client, bank, replayed_by, 100_00 + j, key)
            post(client, bank, booked_by, 100_00 + j, key)
            bank.set_line_status("CL000001", "ACTIVE")
    exchanges = [e for e in bank.journal.entries() if e.kind == "exchange"]
    assert len(exchanges) == 36
    assert not [e.reason for e in exchanges if e.reason == "IDEMPOTENCY_CONFLICT"]
    assert [e.response_violations for e in exchanges if e.response_violations] == []
    # one booking per key, whatever asked
    assert len(bank.core.drawdowns) == 12
