"""The control API under /_control: token, reset, state round trip, clock, versions, faults."""

from __future__ import annotations

import httpx
import pytest

from fake_core_bank.fake import BankConfig
from fake_core_bank.server import BankServer


@pytest.fixture(scope="module")
def guarded():
    with BankServer(BankConfig(seed=2, customers=1), token="s3cret-token") as server:
        yield server


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", "s3cret-token",
                                           "Bearer s3cret-toke"])
def test_with_a_token_set_every_control_call_needs_the_bearer_token(guarded, authorization):
    headers = {"authorization": authorization} if authorization else {}
    for method, path in (("GET", "/_control/health"), ("POST", "/_control/reset"),
                         ("GET", "/_control/journal")):
        answer = httpx.request(method, guarded.base_url + path, headers=headers)
        assert answer.status_code == 401, (method, path)
        assert "bearer token" in answer.json()["error"]


def test_the_right_token_is_accepted_and_the_lending_api_needs_none(guarded):
    answer = httpx.get(guarded.base_url + "/_control/health",
                       headers={"authorization": "Bearer s3cret-token"})
    assert answer.status_code == 200 and answer.json()["status"] == "ok"
    assert httpx.get(guarded.base_url + "/v2/credit-lines/CL000001").status_code == 200


def test_reset_starts_over_with_overrides(client, bank):
    client.post("/_control/lines/CL000001/external-drawdowns", json={"amount": 100})
    answer = client.post("/_control/reset", json={"seed": 9, "customers": 2,
                                                  "start": "2026-06-01T08:00:00+08:00"})
    assert answer.status_code == 200
    state = client.get("/_control/state").json()
    assert [c["customerId"] for c in state["customers"]] == ["ENT000001", "ENT000002"]
    assert state["drawdowns"] == []
    assert state["clock"] == "2026-06-01T08:00:00+08:00"


def test_state_snapshot_and_load_round_trip(client, bank):
    client.post("/_control/lines/CL000001/external-drawdowns", json={"amount": 12345})
    repaid = client.post("/v2/credit-lines/CL000001/repayments",
                         json={"amount": 345, "currency": "CNY"}, headers={"Idempotency-Key": "r1"})
    assert repaid.status_code == 201, repaid.text
    client.put("/_control/lines/CL000002/status",
               json={"status": "LOCKED", "lockedUntil": "2026-03-05T00:00:00+08:00",
                     "reason": "锁定期"})
    client.post("/_control/maintenance", json={"durationSeconds": 600, "mode": "read-only"})
    client.post("/_control/policies", json={"id": "CAP", "region": "*", "maxDrawdown": 100,
                                            "effective": "2026-03-03T00:00:00+08:00"})
    saved = client.get("/_control/state").json()
    assert [(p["lineId"], p["amount"]) for p in saved["repayments"]] == [("CL000001", 345)]
    client.post("/_control/reset", json={"customers": 0})
    assert client.get("/_control/state").json()["lines"] == []
    assert client.post("/_control/state", json=saved).status_code == 200
    loaded = client.get("/_control/state").json()
    saved.pop("versions"), loaded.pop("versions")
    assert loaded == saved
    line = client.get("/v3/credit-lines/CL000002").json()
    assert (line["status"], line["lockReason"]) == ("LOCKED", "锁定期")


@pytest.mark.parametrize(("item", "says"), [
    ({"lineId": "CL000001", "amount": 1}, "KeyError: 'repaymentId'"),
    ({"repaymentId": "RP9", "lineId": "CL000001", "amount": 1, "createdAt": "nope"},
     "Invalid isoformat string: 'nope'"),
])
def test_a_bad_repayment_in_a_loaded_state_is_400_and_the_bank_keeps_its_state(
        client, bank, item, says):
    saved = client.get("/_control/state").json()
    answer = client.post("/_control/state", json=saved | {"repayments": [item]})
    assert answer.status_code == 400 and says in answer.json()["error"], answer.text
    assert client.get("/_control/state").json()["lines"] == saved["lines"]


def test_clock_set_and_advance(client, bank):
    assert client.put("/_control/clock", json={"now": "2026-04-01T10:00:00+08:00"}).status_code \
        == 200
    assert client.post("/_control/clock/advance", json={"seconds": 5400}).status_code == 200
    assert client.get("/_control/clock").json()["now"] == "2026-04-01T11:30:00+08:00"
    assert client.get("/v2/system/status").json()["now"] == "2026-04-01T11:30:00+08:00"


@pytest.mark.parametrize(("method", "path", "body", "status", "says"), [
    ("PUT", "/_control/clock", {"now": "2026-04-01T10:00:00"}, 400, "no UTC offset"),
    ("PUT", "/_control/clock", {}, 400, "now"),
    ("POST", "/_control/clock/advance", {"seconds": -1}, 400, "backwards"),
    ("PUT", "/_control/lines/CL999999/status", {"status": "FROZEN"}, 404, "CL999999"),
    ("PUT", "/_control/lines/CL000001/status", {"status": "LOCKED"}, 400, "lockedUntil"),
    ("PUT", "/_control/lines/CL000001/status", {"status": "MELTED"}, 400, "MELTED"),
    ("POST", "/_control/faults", {"kind": "explode"}, 400, "valid: latency"),
    ("POST", "/_control/lines/CL000001/external-drawdowns", {"amount": 10**12}, 409,
     "overdraws"),
])
def test_bad_control_requests_say_what_is_wrong(client, bank, method, path, body, status, says):
    answer = client.request(method, path, json=body)
    assert answer.status_code == status, answer.text
    assert says in answer.json()["error"]


def test_a_non_object_or_non_json_control_body_is_400(client, bank):
    json_type = {"Content-Type": "application/json"}
    assert client.post("/_control/reset", content=b"[1]", headers=json_type).status_code == 400
    assert client.post("/_control/reset", content=b"{", headers=json_type).status_code == 400


def test_control_actions_are_journaled_between_exchanges(client, bank):
    client.get("/v2/credit-lines/CL000001")
    client.post("/_control/faults", json={"kind": "drop", "operationId": "getCustomer"})
    journal = client.get("/_control/journal").json()
    assert [(e["kind"], e["note"]) for e in journal] == [("exchange", None), ("control", "fault")]
    assert client.get("/_control/journal", params={"since": 1}).json() == journal[1:]
    assert client.delete("/_control/faults").status_code == 200
    assert client.get("/v2/customers/ENT000001").status_code == 200


def test_versions_switch_through_the_control_api(client, bank):
    client.put("/_control/versions", json={"serve": ["v2"]})
    assert client.get("/v3/credit-lines/CL000001").status_code == 404
    client.post("/_control/versions/upgrade", json={"to": "v3", "retire": ["v2"]})
    assert client.get("/v2/credit-lines/CL000001").status_code == 410
    assert client.get("/v3/credit-lines/CL000001").status_code == 200
