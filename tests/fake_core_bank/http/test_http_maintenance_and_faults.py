"""Maintenance windows over HTTP (503 + scaled Retry-After) and injected faults."""

from __future__ import annotations

import time
from datetime import timedelta

import httpx
import pytest

from tests.fake_core_bank.bank_testkit import drawdown_body

ACCOUNT = "6222000011112222"


def draw(client, version="v2", key="k1", amount=100_00):
    return client.post(f"/{version}/credit-lines/CL000001/drawdowns",
                       json=drawdown_body(version, amount, ACCOUNT),
                       headers={"Idempotency-Key": key})


@pytest.mark.parametrize("version", ["v1", "v2", "v3"])
def test_a_full_window_answers_503_with_retry_after_scaled_to_wall_seconds(client, bank, version):
    now = bank.clock.now()
    bank.schedule_maintenance(now - timedelta(minutes=10), now + timedelta(minutes=30))
    for answer in (client.get(f"/{version}/credit-lines/CL000001"), draw(client, version)):
        assert answer.status_code == 503
        assert answer.headers["retry-after"] == "1"  # 30 bank minutes at 3600x: under 1 s
        if version != "v1":
            assert answer.json()["reasonCode"] == "MAINTENANCE"
            assert answer.json()["retryAfterSeconds"] == 1
    status = client.get(f"/{version}/system/status")
    assert status.status_code == 200 and status.json()["status"] == "MAINTENANCE"
    assert bank.core.drawdowns == {}


def test_retry_after_follows_the_time_scale(client, bank):
    bank.reset(time_scale=60.0)
    now = bank.clock.now()
    bank.schedule_maintenance(now, now + timedelta(minutes=30))
    answer = client.get("/v2/credit-lines/CL000001")
    assert answer.headers["retry-after"] == "30"  # 1800 bank seconds / 60
    bank.advance_clock(timedelta(minutes=29, seconds=1))
    assert client.get("/v2/credit-lines/CL000001").headers["retry-after"] == "1"
    bank.advance_clock(timedelta(seconds=59))
    assert client.get("/v2/credit-lines/CL000001").status_code == 200


def test_read_only_lets_reads_through_and_refuses_writes(client, bank):
    now = bank.clock.now()
    bank.schedule_maintenance(now, now + timedelta(hours=2), "READ_ONLY")
    assert client.get("/v2/credit-lines/CL000001").status_code == 200
    assert client.get("/v1/credit-lines/CL000001").status_code == 200
    refused = draw(client, "v2")
    assert refused.status_code == 503
    assert refused.json()["reasonCode"] == "READ_ONLY"
    assert refused.headers["retry-after"] == "2"
    assert client.get("/v2/system/status").json()["status"] == "READ_ONLY"
    assert client.get("/v1/system/status").json()["status"] == "MAINTENANCE"
    assert bank.core.drawdowns == {}


def test_a_connector_that_honours_retry_after_gets_through_after_the_window(client, bank):
    now = bank.clock.now()
    bank.schedule_maintenance(now, now + timedelta(minutes=30))
    bank.begin_operation("pay-supplier")
    try:
        first = draw(client)
        assert first.status_code == 503
        time.sleep(int(first.headers["retry-after"]))
        second = draw(client)
    finally:
        bank.end_operation()
    assert second.status_code == 201, second.text
    entries = [e for e in bank.journal.entries() if e.kind == "exchange"]
    assert [e.at for e in entries] == [now.isoformat(), (now + timedelta(minutes=30)).isoformat()]
    assert {e.operation for e in entries} == {"pay-supplier"}


def test_a_dropped_connection_books_nothing(client, bank):
    bank.inject_fault("drop", operation_id="createDrawdown")
    with pytest.raises(httpx.TransportError):
        draw(client)
    assert bank.core.drawdowns == {}
    entry = bank.journal.entries()[-1]
    assert entry.fault == "drop#1" and entry.status is None and entry.bookings == []
    assert draw(client).status_code == 201  # consumed once


def test_a_lost_response_books_then_drops_and_the_journal_shows_both(client, bank):
    bank.inject_fault("lost-response", operation_id="createDrawdown", times=1)
    with pytest.raises(httpx.TransportError):
        draw(client, key="erp-lost-1")
    assert bank.core.get_line("CL000001").used == 100_00
    entry = bank.journal.entries()[-1]
    assert entry.fault == "lost-response#1"
    assert entry.status is None
    assert entry.bookings == ["DD00000001"]
    # A retry with the same key is safe: the first booking comes back, nothing more is booked.
    retry = draw(client, key="erp-lost-1")
    assert retry.status_code == 201 and retry.json()["drawdownId"] == "DD00000001"
    assert bank.journal.entries()[-1].bookings == []
    assert bank.core.get_line("CL000001").used == 100_00


def test_an_injected_error_answers_its_status_without_processing(client, bank):
    bank.inject_fault("error", operation_id="createDrawdown", status=500, times=2)
    for _ in range(2):
        answer = draw(client)
        assert answer.status_code == 500
        assert answer.json()["reasonCode"] == "INTERNAL"
    assert bank.core.drawdowns == {}
    assert draw(client).status_code == 201


def test_latency_delays_the_answer_in_wall_time(client, bank):
    bank.inject_fault("latency", operation_id="getCreditLine", delay_seconds=0.3)
    started = time.monotonic()
    assert client.get("/v2/credit-lines/CL000001").status_code == 200
    assert time.monotonic() - started >= 0.3
    assert bank.journal.entries()[-1].fault == "latency#1"
