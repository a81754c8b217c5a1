"""Racing drawdowns on one line: never beyond the limit, one booking per key, no lost journal."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx

from fake_core_bank.domain.model import Refusal
from tests.fake_core_bank.bank_testkit import drawdown_body, make_core

KEYS = 40
TRIES_PER_KEY = 3  # 120 requests: each business intent is sent three times at once


def test_racing_http_drawdowns_keep_the_ledger_consistent(bank_server, bank):
    line = bank.core.get_line("CL000001")
    amount = line.limit // 20  # 40 intents of a twentieth each: only half can be booked
    account = bank.core.get_customer("ENT000001").account_no
    jobs = [(f"race-{k}", "v2" if k % 2 else "v1") for k in range(KEYS)] * TRIES_PER_KEY
    go = threading.Event()  # release the first wave together, so requests really overlap

    def send(job):
        key, version = job
        with httpx.Client(base_url=bank_server.base_url, timeout=10) as http:
            go.wait(timeout=5)
            answer = http.post(f"/{version}/credit-lines/CL000001/drawdowns",
                               json=drawdown_body(version, amount, account),
                               headers={"Idempotency-Key": key})
            return key, answer.status_code, answer.json()

    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = [pool.submit(send, job) for job in jobs]
        go.set()
        results = [f.result() for f in futures]

    assert {status for _, status, _ in results} <= {201, 422}
    booked = bank.core.drawdowns
    line = bank.core.get_line("CL000001")
    assert line.used <= line.limit
    assert line.used == sum(d.amount for d in booked.values())
    assert len(booked) == 20  # exactly what the limit allows
    # One booking per key, and every 201 for a key names that one drawdown.
    by_key: dict[str, set[str]] = {}
    for key, status, body in results:
        if status == 201:
            by_key.setdefault(key, set()).add(body["drawdownId"])
    assert all(len(ids) == 1 for ids in by_key.values())
    assert sorted(i for ids in by_key.values() for i in ids) == sorted(booked)
    # No journal entry lost: one per request, and the bookings they name are the ledger's.
    exchanges = [e for e in bank.journal.entries() if e.kind == "exchange"]
    assert len(exchanges) == len(jobs)
    assert sorted(e.seq for e in bank.journal.entries()) == list(
        range(1, len(bank.journal) + 1))
    assert sorted(b for e in exchanges for b in e.bookings) == sorted(booked)


def test_racing_domain_drawdowns_with_shared_keys_book_once_per_key():
    core = make_core(limit=100_000_00)
    errors: list[Exception] = []

    def worker(n: int) -> None:
        for i in range(25):
            key = f"k{(n * 25 + i) % 30}" if i % 2 else None
            try:
                core.bank.draw_down(core.request(1_000_00 + (0 if key else n), key))
            except Refusal:
                pass
            except Exception as exc:  # noqa: BLE001 -- anything but a refusal is a bug
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    line = core.line
    assert 0 < line.used <= line.limit
    assert line.used == sum(d.amount for d in core.bank.drawdowns.values())
    keyed = [drawdown_id for _, drawdown_id in core.bank.idempotency.values()]
    assert len(keyed) == len(set(keyed)) == len(core.bank.idempotency) <= 30
