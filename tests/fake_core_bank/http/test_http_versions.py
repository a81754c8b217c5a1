"""Every version answers for a seeded enterprise, in its own wire format, within its contract.

The autouse fixture in conftest.py fails any of these tests whose exchanges did not conform.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from fake_core_bank.domain.model import Precondition
from tests.fake_core_bank.bank_testkit import drawdown_body, repayment_body

VERSIONS = ("v1", "v2", "v3")
GUARANTEE = "实际控制人及股东提供连带责任保证"


def account(bank) -> str:
    return bank.core.get_customer("ENT000001").account_no


@pytest.mark.parametrize("version", VERSIONS)
def test_every_version_serves_the_seeded_enterprise(client, bank, version):
    customer = client.get(f"/{version}/customers/ENT000001")
    assert customer.status_code == 200
    assert customer.json()["creditCode"] == bank.core.get_customer("ENT000001").credit_code
    lines = client.get(f"/{version}/customers/ENT000001/credit-lines").json()["items"]
    assert [ln["lineId"] for ln in lines] == ["CL000001"]
    line = client.get(f"/{version}/credit-lines/CL000001").json()
    limit = bank.core.get_line("CL000001").limit
    assert line["limit"] == (f"{limit // 100}.00" if version == "v1" else limit)
    assert line["status"] == "ACTIVE"
    assert ("expiresOn" in line) == (version == "v3")
    status = client.get(f"/{version}/system/status").json()
    assert status["status"] == "UP" and status["now"].startswith("2026-03-02T09:00:00")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_drawdown_books_once_and_a_repayment_revolves_in_every_version(client, bank, version):
    headers = {"Idempotency-Key": f"erp-{version}-1"}
    body = drawdown_body(version, 1234_56, account(bank))
    first = client.post(f"/{version}/credit-lines/CL000001/drawdowns", json=body, headers=headers)
    assert first.status_code == (202 if version == "v3" else 201), first.text
    again = client.post(f"/{version}/credit-lines/CL000001/drawdowns", json=body, headers=headers)
    assert again.json()["drawdownId"] == first.json()["drawdownId"]
    assert bank.core.get_line("CL000001").used == 1234_56
    assert len(bank.core.drawdowns) == 1

    drawdown = client.get(f"/{version}/drawdowns/{first.json()['drawdownId']}").json()
    assert drawdown["status"] == "DISBURSED"
    listed = client.get(f"/{version}/credit-lines/CL000001/drawdowns").json()
    assert [d["drawdownId"] for d in listed["items"]] == [drawdown["drawdownId"]]

    repaid = client.post(f"/{version}/credit-lines/CL000001/repayments",
                         json=repayment_body(version, 1000_00))
    assert repaid.status_code == 201, repaid.text
    assert bank.core.get_line("CL000001").used == 234_56


def test_v3_answers_202_with_a_location_to_poll(client, bank):
    created = client.post("/v3/credit-lines/CL000001/drawdowns",
                          json=drawdown_body("v3", 500_00, account(bank)),
                          headers={"Idempotency-Key": "k1"})
    assert created.status_code == 202
    assert created.json()["status"] == "PENDING"
    polled = client.get(created.headers["location"])
    assert polled.json()["status"] == "DISBURSED" and "settledAt" in polled.json()


def test_v3_rejects_at_settlement_when_the_line_froze_in_between(client, bank):
    created = client.post("/v3/credit-lines/CL000001/drawdowns",
                          json=drawdown_body("v3", 500_00, account(bank)),
                          headers={"Idempotency-Key": "k1"})
    bank.set_line_status("CL000001", "FROZEN")
    polled = client.get(created.headers["location"]).json()
    assert polled["status"] == "REJECTED"
    assert polled["rejection"]["reasonCode"] == "LINE_FROZEN"
    assert bank.core.get_line("CL000001").used == 0


STATES = [
    ("FROZEN", {"v1": "E1003", "v2": "LINE_FROZEN", "v3": "LINE_FROZEN"}),
    ("SUSPENDED", {"v1": "E1003", "v2": "LINE_FROZEN", "v3": "LINE_SUSPENDED"}),
    ("PENDING_ACTIVATION", {"v1": "E1003", "v2": "LINE_PENDING_ACTIVATION",
                            "v3": "LINE_PENDING_ACTIVATION"}),
    ("LOCKED", {"v1": "E1003", "v2": "LINE_LOCKED", "v3": "LINE_LOCKED"}),
    ("EXPIRED", {"v1": "E1005", "v2": "LINE_EXPIRED", "v3": "LINE_EXPIRED"}),
]
SHOWN = {"v1": {"SUSPENDED": "FROZEN", "PENDING_ACTIVATION": "FROZEN", "LOCKED": "FROZEN"},
         "v2": {"SUSPENDED": "FROZEN"}, "v3": {}}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("status", "codes"), STATES, ids=[s for s, _ in STATES])
def test_a_blocked_line_is_shown_and_refused_in_each_versions_words(client, bank, version,
                                                                     status, codes):
    until = bank.clock.now() + timedelta(days=2)
    bank.set_line_status("CL000001", status, locked_until=until if status == "LOCKED" else None,
                         reason="特殊业务锁定期" if status == "LOCKED" else None)
    line = client.get(f"/{version}/credit-lines/CL000001").json()
    assert line["status"] == SHOWN[version].get(status, status)
    refused = client.post(f"/{version}/credit-lines/CL000001/drawdowns",
                          json=drawdown_body(version, 100_00, account(bank)),
                          headers={"Idempotency-Key": "k1"})
    assert refused.status_code == 409
    body = refused.json()
    assert body.get("code" if version == "v1" else "reasonCode") == codes[version]
    if version != "v1":
        assert refused.headers["content-type"] == "application/problem+json"
    if status == "LOCKED" and version != "v1":
        assert line["lockedUntil"] == body["lockedUntil"]
        assert (line.get("lockReason") == "特殊业务锁定期") == (version == "v3")


@pytest.mark.parametrize("version", VERSIONS)
def test_rules_and_policies_refuse_with_422_in_every_version(client, bank, version):
    line = bank.core.get_line("CL000001")
    line.preconditions.append(Precondition("SHAREHOLDER_GUARANTEE", GUARANTEE))
    url = f"/{version}/credit-lines/CL000001/drawdowns"
    shown = client.get(f"/{version}/credit-lines/CL000001").json()
    if version == "v1":
        assert shown["conditions"] == [GUARANTEE]
    else:
        assert shown["preconditions"][0] == {"code": "SHAREHOLDER_GUARANTEE", "satisfied": False,
                                              "description": GUARANTEE}
    unmet = client.post(url, json=drawdown_body(version, 100_00, account(bank)),
                        headers={"Idempotency-Key": "k1"})
    assert unmet.status_code == 422
    bank.satisfy_precondition("CL000001", "SHAREHOLDER_GUARANTEE")
    bank.put_policy({"id": "CAP", "region": "*", "effective": bank.clock.now().isoformat(),
                     "maxDrawdown": 50_00})
    capped = client.post(url, json=drawdown_body(version, 100_00, account(bank)),
                         headers={"Idempotency-Key": "k2"})
    assert capped.status_code == 422
    assert capped.json().get("reasonCode", capped.json().get("code")) in (
        "POLICY_LIMIT_EXCEEDED", "E1007")
    over = client.post(url, json=drawdown_body(version, line.limit + 1, account(bank)),
                       headers={"Idempotency-Key": "k3"})
    assert over.status_code == 422
    assert len(bank.core.drawdowns) == 0


def test_activation_moves_a_pending_line_to_active_and_refuses_a_frozen_one(client, bank):
    bank.set_line_status("CL000001", "PENDING_ACTIVATION")
    activated = client.post("/v2/credit-lines/CL000001/activation")
    assert activated.status_code == 200 and activated.json()["status"] == "ACTIVE"
    bank.set_line_status("CL000001", "FROZEN")
    refused = client.post("/v3/credit-lines/CL000001/activation")
    assert refused.status_code == 409
    assert refused.json()["reasonCode"] == "ACTIVATION_NOT_ALLOWED"


@pytest.mark.parametrize("version", VERSIONS)
def test_unknown_resources_are_404_in_the_versions_format(client, bank, version):
    for path in ("/customers/ENT999999", "/credit-lines/CL999999", "/drawdowns/DD99999999"):
        answer = client.get(f"/{version}{path}")
        assert answer.status_code == 404, path
        assert answer.json().get("code", answer.json().get("reasonCode")) in ("E1002",
                                                                               "NOT_FOUND")


def test_older_versions_carry_deprecation_sunset_and_successor_headers(client, bank):
    for version in ("v1", "v2"):
        answer = client.get(f"/{version}/credit-lines/CL000001")
        assert answer.headers["deprecation"].startswith("@")
        assert answer.headers["sunset"].endswith(" GMT")
        assert answer.headers["link"] == '</v3>; rel="successor-version"'
    newest = client.get("/v3/credit-lines/CL000001")
    assert not {"deprecation", "sunset", "link"} & set(newest.headers)


def test_a_retired_version_answers_410_and_the_successor_still_serves(client, bank):
    bank.serve_versions(("v1", "v2"))
    assert client.get("/v3/credit-lines/CL000001").status_code == 404
    bank.upgrade("v3", retire=("v1",))
    gone = client.get("/v1/credit-lines/CL000001")
    assert gone.status_code == 410 and gone.json()["code"] == "E9002"
    assert client.get("/v2/credit-lines/CL000001").headers["link"] == (
        '</v3>; rel="successor-version"')
    assert client.get("/v3/credit-lines/CL000001").status_code == 200
    bank.rollback("v2")
    assert client.get("/v3/credit-lines/CL000001").status_code == 404
    assert "deprecation" not in client.get("/v2/credit-lines/CL000001").headers


def test_a_rolling_upgrade_serves_the_new_version_on_some_nodes_only(client, bank):
    bank.serve_versions(("v2",))
    bank.rolling_upgrade("v2", "v3", 0.5, seed=3)
    statuses = [client.get("/v3/credit-lines/CL000001").status_code for _ in range(40)]
    assert set(statuses) == {200, 503}
    nodes = {e.served_by for e in bank.journal.entries() if e.kind == "exchange"}
    assert nodes == {"old-node", "new-node"}
    bank.complete_rollout()
    assert client.get("/v3/credit-lines/CL000001").status_code == 200
