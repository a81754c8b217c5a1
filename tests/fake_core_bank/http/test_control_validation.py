"""Every control body is checked whole, ranges included, before anything changes (issue 15
item 11), and the control API refuses cross-site requests (item 12).

Each bad body of the issue is sent to the real server: 400 naming the field, the bank's state,
clock and journal unchanged, and the bank still answers normally afterwards. The hypothesis
fuzz over every control route is tests/reliability/http/test_control_fuzz.py.
"""

from __future__ import annotations

import pytest

BAD = [
    ("POST", "/_control/reset", {"customers": -5}, "customers"),
    ("POST", "/_control/reset", {"customers": 10**9}, "customers"),
    ("POST", "/_control/reset", {"timeScale": 1e308}, "timeScale"),
    ("POST", "/_control/reset", {"timeScale": 0}, "timeScale"),
    ("POST", "/_control/reset", {"versions": ["v9"]}, "versions.0"),
    ("POST", "/_control/reset", {"versions": []}, "versions"),
    ("POST", "/_control/reset", {"start": "9999-12-31T23:59:59+14:00"}, "start"),
    ("POST", "/_control/reset", {"seed": -1}, "seed"),
    ("POST", "/_control/lines/CL000001/external-drawdowns", {"amount": -500}, "amount"),
    ("POST", "/_control/lines/CL000001/external-drawdowns", {"amount": "5"}, "amount"),
    ("POST", "/_control/maintenance", {"durationSeconds": 60, "mode": "BOGUS"}, "mode"),
    ("POST", "/_control/maintenance", {"durationSeconds": 1e300}, "durationSeconds"),
    ("POST", "/_control/maintenance", {"start": "2026-03-02T10:00:00+08:00",
                                       "end": "2026-03-02T09:00:00+08:00"}, "end"),
    ("POST", "/_control/maintenance", {"mode": "FULL"}, "(body)"),
    ("POST", "/_control/versions/rolling-upgrade", {"from": "v2", "to": "v3", "share": 5},
     "share"),
    ("POST", "/_control/versions/rolling-upgrade", {"from": "v2", "to": "v9", "share": 0.5},
     "to"),
    ("PUT", "/_control/versions", {"serve": ["v9"]}, "serve.0"),
    ("POST", "/_control/versions/upgrade", {"to": "v7"}, "to"),
    ("PUT", "/_control/clock", {"now": "9999-12-31T00:00:00+00:00"}, "now"),
    ("PUT", "/_control/clock", {"now": "0001-01-01T00:00:00-12:00"}, "now"),
    ("PUT", "/_control/clock", {"now": "yesterday"}, "now"),
    ("POST", "/_control/clock/advance", {"seconds": 3_000_000 * 86400}, "seconds"),
    ("POST", "/_control/clock/advance", {"seconds": 1e308}, "seconds"),
    ("POST", "/_control/faults", {"kind": "latency", "delaySeconds": 1e308}, "delaySeconds"),
    ("POST", "/_control/faults", {"kind": "error", "status": 99}, "status"),
    ("POST", "/_control/faults", {"kind": "error", "status": 1000}, "status"),
    ("POST", "/_control/faults", {"kind": "error", "times": 0}, "times"),
    ("PUT", "/_control/lines/CL000001/status", {"status": "ACTIVE", "reason": 5}, "reason"),
    ("POST", "/_control/operations/begin", {"name": ["x"]}, "name"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), BAD,
                         ids=[f"{m} {p.rsplit('/', 1)[-1]} {f}" for m, p, _, f in BAD])
def test_a_bad_control_body_is_400_naming_the_field_and_changes_nothing(
        client, bank, method, path, body, field):
    before = (bank.snapshot(), bank.clock.now(), len(bank.journal), bank.config)
    answer = client.request(method, path, json=body)
    assert answer.status_code == 400, answer.text
    assert f"bad control request: {field}: " in answer.json()["error"]
    assert (bank.snapshot(), bank.clock.now(), len(bank.journal), bank.config) == before
    assert client.get("/v2/credit-lines/CL000001").status_code == 200
    assert client.post("/_control/reset", json={"customers": 2}).status_code == 200


def test_a_reset_that_cannot_build_a_bank_keeps_the_previous_configuration(bank) -> None:
    before = bank.config
    with pytest.raises(TypeError):
        bank.reset(customers="many")  # past every schema: the bank itself must stay usable
    assert bank.config == before
    bank.reset()


@pytest.mark.parametrize(("headers", "content", "status"), [
    ({"Content-Type": "text/plain"}, b'{"seconds": 60}', 415),  # a cross-site "simple" POST
    ({"Content-Type": "application/x-www-form-urlencoded"}, b"seconds=60", 415),
    ({}, b'{"seconds": 60}', 415),
    ({"Content-Type": "application/json", "Origin": "http://evil.example"}, b'{"seconds": 60}',
     403),
    ({"Content-Type": "application/json", "Origin": "null"}, b'{"seconds": 60}', 403),
])
def test_a_cross_site_control_request_is_refused_and_moves_nothing(
        client, bank, headers, content, status):
    now = bank.clock.now()
    answer = client.post("/_control/clock/advance", content=content, headers=headers)
    assert answer.status_code == status, answer.text
    assert bank.clock.now() == now


def test_the_banks_own_origin_and_a_json_type_with_parameters_are_served(client, bank):
    origin = str(client.base_url).rstrip("/")
    answer = client.post("/_control/clock/advance", json={"seconds": 60},
                         headers={"Origin": origin,
                                  "Content-Type": "application/json; charset=utf-8"})
    assert answer.status_code == 200, answer.text
