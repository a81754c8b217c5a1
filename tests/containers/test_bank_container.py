"""The fake bank image under testcontainers: the lending API and the control helpers."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from fake_core_bank.fake import BankConfig
from harness.engine.containers import ContainerStartError, FakeCoreBankContainer

pytestmark = pytest.mark.docker

CONFIG = BankConfig(seed=4, customers=2, versions=("v1", "v2", "v3"))


@pytest.fixture
def bank(bank_container: FakeCoreBankContainer) -> FakeCoreBankContainer:
    bank_container.reset(CONFIG)
    return bank_container


def test_a_v2_credit_line_get_answers_what_the_bank_holds(bank):
    line = bank.snapshot()["lines"][0]
    answer = httpx.get(f"{bank.base_url}/v2/credit-lines/{line['lineId']}")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["lineId"], body["limit"], body["used"], body["available"], body["status"]) == (
        line["lineId"], line["limit"], 0, line["limit"], "ACTIVE")
    assert bank.base_url.startswith("http://127.0.0.1:")  # host networking, loopback only


def test_locking_a_line_through_the_control_helpers_refuses_a_drawdown(bank):
    state = bank.snapshot()
    line, customer = state["lines"][0], state["customers"][0]
    until = bank.now() + timedelta(days=30)
    bank.set_line_status(line["lineId"], "LOCKED", until, "锁定期")
    shown = httpx.get(f"{bank.base_url}/v2/credit-lines/{line['lineId']}").json()
    assert shown["status"] == "LOCKED"
    refused = httpx.post(
        f"{bank.base_url}/v2/credit-lines/{line['lineId']}/drawdowns",
        json={"amount": 100_000, "currency": "CNY", "beneficiaryAccount": customer["accountNo"]},
        headers={"Idempotency-Key": "container-test-1"})
    assert refused.status_code >= 400
    assert refused.json()["reasonCode"] == "LINE_LOCKED"
    assert bank.snapshot()["drawdowns"] == [] or all(
        d["status"] != "DISBURSED" for d in bank.snapshot()["drawdowns"])


def test_the_journal_records_exchanges_and_controls_and_reset_clears_it(bank):
    line = bank.snapshot()["lines"][0]["lineId"]
    bank.set_line_status(line, "FROZEN")
    httpx.get(f"{bank.base_url}/v2/credit-lines/{line}")
    journal = bank.journal()
    assert [(e["kind"], e.get("note")) for e in journal][-2:] == [
        ("control", "line-status"), ("exchange", None)]
    exchange = journal[-1]
    assert (exchange["method"], exchange["path"], exchange["status"], exchange["version"]) == (
        "GET", f"/v2/credit-lines/{line}", 200, "v2")
    bank.reset(CONFIG)
    assert bank.journal() == []
    assert bank.snapshot()["lines"][0]["status"] == "ACTIVE"


def test_the_clock_helpers_move_the_virtual_clock_in_the_container(bank):
    start = bank.now()
    bank.advance_clock(timedelta(hours=2))
    assert bank.now() - start == timedelta(hours=2)


def test_the_control_api_needs_the_containers_token(bank):
    """Host networking shares loopback with every process on the machine: the token guards it."""
    anonymous = httpx.post(f"{bank.base_url}/_control/reset", json={})
    assert anonymous.status_code == 401
    assert httpx.get(f"{bank.base_url}/_control/health",
                     headers={"authorization": f"Bearer {bank.token}"}).status_code == 200


def test_a_missing_image_is_a_clear_start_error(bank_image):
    missing = FakeCoreBankContainer("drawbridge-no-such-image:never", startup_timeout=5)
    with pytest.raises(ContainerStartError, match="drawbridge-no-such-image:never"):
        missing.start()
