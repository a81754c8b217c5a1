"""In-process playback through `responses`: the fake bank and recordings, no sockets."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest
import requests
import responses

from examples.connectors.reference_py.connector import ReferenceConnector
from fake_core_bank.errors import InputError
from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.server import BankServer
from harness.drivers import driver_factory
from harness.engine.bank import LocalBank
from harness.engine.runner import RunOptions
from harness.engine.session import plan, run_plan
from harness.playback import ResponsesBank, mount, mount_recording
from harness.playback.measure import per_exchange
from harness.playback.recorded import UnexpectedRequests
from harness.recording.store import Exchange
from harness.scenarios import load_library, load_scenario

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = "python:examples.connectors.reference_py:ReferenceConnector"
LEGACY = "python:examples.connectors.legacy_v1:LegacyV1Connector"


def test_a_connectors_unit_test_runs_against_the_mounted_fake_bank() -> None:
    bank = FakeBank(BankConfig(seed=1, customers=1))
    with mount(bank) as url:
        assert url == "http://fake-bank.invalid"
        connector = ReferenceConnector(url, version="v2")
        assert connector.get_credit_line("CL000001")["outcome"] == "succeeded"
        outcome = connector.draw_down("CL000001", 100_00, "CNY", account="x", purpose="WC01",
                                      intent="unit-test")
        assert outcome["outcome"] == "rejected"  # the beneficiary is not the customer's account
    assert [e.path for e in bank.journal.entries() if e.kind == "exchange"] == [
        "/v2/credit-lines/CL000001", "/v2/credit-lines/CL000001/drawdowns"]
    with pytest.raises(requests.ConnectionError):  # unmounted: the fake host is gone
        requests.get(url + "/v2/credit-lines/CL000001", timeout=1)


def test_a_lost_response_raises_connection_error_after_the_booking() -> None:
    bank = FakeBank(BankConfig(seed=1, customers=1))
    account = bank.snapshot()["customers"][0]["accountNo"]
    bank.inject_fault("lost-response", operation_id="createDrawdown")
    with mount(bank) as url, pytest.raises(requests.ConnectionError, match="broke off"):
        requests.post(url + "/v2/credit-lines/CL000001/drawdowns",
                      json={"amount": 100_00, "currency": "CNY", "beneficiaryAccount": account,
                            "purposeCode": "WC01"},
                      headers={"Idempotency-Key": "lost-once"}, timeout=5)
    lost = [e for e in bank.journal.entries() if e.kind == "exchange"][-1]
    assert lost.fault is not None and lost.fault.startswith("lost-response")
    assert lost.bookings  # booked, and the client never heard


def test_mounts_coexist_with_real_traffic_and_with_a_users_own_mock() -> None:
    with BankServer(BankConfig(seed=1, customers=1)) as server, \
            mount(FakeBank(BankConfig(seed=1, customers=1))) as first, \
            mount(FakeBank(BankConfig(seed=2, customers=1))) as second:
        assert first != second
        real = requests.get(server.base_url + "/v2/credit-lines/CL000001", timeout=5)
        assert real.status_code == 200  # not intercepted: passes through to the socket
        assert requests.get(second + "/v2/system/status", timeout=5).status_code == 200
    with responses.RequestsMock() as rsps, \
            mount(FakeBank(BankConfig(customers=1)), mock=rsps) as url:
        assert requests.get(url + "/v2/credit-lines/CL000001", timeout=5).status_code == 200
        requests.get(url + "/v2/system/status", timeout=5)
        # A user's own mock keeps its call log for the test to assert on.
        assert [c.request.path_url for c in rsps.calls] == [
            "/v2/credit-lines/CL000001", "/v2/system/status"]


def test_a_long_in_process_run_does_not_keep_every_answer_alive() -> None:
    # The shared mock's call log is nobody's to read; it must not hold each request and
    # response of a whole in-process library run (memory, and garbage-collector time).
    with mount(FakeBank(BankConfig(seed=1, customers=1))) as url, requests.Session() as http:
        first = weakref.ref(http.get(url + "/v2/credit-lines/CL000001", timeout=5))
        for _ in range(3):
            assert http.get(url + "/v2/system/status", timeout=5).status_code == 200
        gc.collect()
        assert first() is None


def test_the_library_gives_the_same_verdicts_in_responses_mode_as_over_loopback() -> None:
    library = load_library([ROOT / "scenarios"])
    make_driver, identity = driver_factory(REFERENCE)
    items = plan(library, ["v2"])
    over_loopback, _ = run_plan(items, make_driver, identity, RunOptions(), jobs=2)
    in_process, _ = run_plan(items, make_driver, identity, RunOptions(), jobs=2,
                             bank_factory=ResponsesBank)
    key = [(r.key, r.verdict, sorted({f.oracle for f in r.findings})) for r in over_loopback]
    assert key == [(r.key, r.verdict, sorted({f.oracle for f in r.findings}))
                   for r in in_process]
    assert len(in_process) >= 20 and all(r.passed for r in in_process)


def test_failures_are_the_same_failures_in_responses_mode() -> None:
    scenarios = [load_scenario(ROOT / "scenarios" / p) for p in (
        "fault/lost-response-after-commit.yaml", "line-state/lock-period-case-study.yaml")]
    make_driver, identity = driver_factory(LEGACY)
    items = plan(scenarios, ["v2"])
    looped, _ = run_plan(items, make_driver, identity, RunOptions(), bank_factory=LocalBank)
    mounted, _ = run_plan(items, make_driver, identity, RunOptions(),
                          bank_factory=ResponsesBank)
    assert [(r.verdict, {f.oracle for f in r.findings}) for r in looped] == \
        [(r.verdict, {f.oracle for f in r.findings}) for r in mounted]
    assert all(r.verdict == "fail" for r in mounted)
    assert all(e["request_headers"].get("host") == "fake-bank.invalid"
               for r in mounted for e in r.journal if e["kind"] == "exchange")


def test_a_recording_answers_in_order_and_unexpected_requests_fail_the_test() -> None:
    recorded = [
        Exchange(seq=1, method="GET", path="/v2/credit-lines/CL000001", status=503,
                 response_headers=[("retry-after", "1")], response_body={"reasonCode": "X"}),
        Exchange(seq=2, method="GET", path="/v2/credit-lines/CL000001", status=200,
                 response_headers=[("content-type", "application/json")],
                 response_body={"lineId": "CL000001"}),
        Exchange(seq=3, method="POST", path="/v2/credit-lines/CL000001/drawdowns",
                 status=None, error="connection lost"),
    ]
    used_up = r"GET /v2/drawdowns/DD1: every recorded exchange has been used"
    with pytest.raises(UnexpectedRequests, match=used_up), mount_recording(recorded) as url:
        first = requests.get(url + "/v2/credit-lines/CL000001", timeout=1)
        second = requests.get(url + "/v2/credit-lines/CL000001", timeout=1)
        assert (first.status_code, second.json()) == (503, {"lineId": "CL000001"})
        with pytest.raises(requests.ConnectionError):
            requests.post(url + "/v2/credit-lines/CL000001/drawdowns", json={}, timeout=1)
        assert requests.get(url + "/v2/drawdowns/DD1", timeout=1).status_code == 599
    other_method = (r"no unused POST /v2/credit-lines/CL000001 in the recording "
                    r"\(same path, other method")
    with pytest.raises(UnexpectedRequests, match=other_method), \
            mount_recording(recorded[:1]) as url:
        requests.post(url + "/v2/credit-lines/CL000001", timeout=1)


def test_per_exchange_times_every_transport_for_the_benchmark() -> None:
    for mode in ("loopback", "responses", "instant"):
        assert 0 < per_exchange(mode, 3) < 5
    with pytest.raises(InputError, match="unknown transport"):
        per_exchange("carrier-pigeon", 1)
