"""The ledger under load: 32 threads x 1,000 operations, and 32 keep-alive HTTP clients.

Drawdowns, repayments and random reuse of idempotency keys (with the same body: a retry; with
another body: a conflict) race on one revolving line. Whatever the interleaving:
- ``used`` never exceeds the limit, sampled all along by a watcher thread;
- one booking per key, and every answer for a key names that booking;
- ``used == sum(bookings) - sum(repayments)``;
- nothing is lost: every accepted operation is in the ledger, every request in the journal.

The thread switch interval is cut to a microsecond while the threads run, so the interpreter
interleaves them far more often than it would by default (5 ms).
"""

from __future__ import annotations

import json
import random
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from reliability_rawhttp import RawConnection, request_bytes

from fake_core_bank.domain.bank import DrawdownRequest
from fake_core_bank.domain.model import Reason, Refusal
from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.server import BankServer

pytestmark = pytest.mark.slow

THREADS = 32
OPERATIONS = 1_000  # per thread on the core
HTTP_REQUESTS = 100  # per thread over HTTP
KEYS = 400  # shared drawdown keys: each is reused by many threads
LINE = "CL000001"
DRAWS = f"/v2/credit-lines/{LINE}/drawdowns".encode()
REPAYS = f"/v2/credit-lines/{LINE}/repayments".encode()
READ = f"/v2/credit-lines/{LINE}".encode()


@contextmanager
def fine_grained_switching() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@dataclass
class Record:
    """What the threads saw: every accepted operation and the answers per key."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    key_answers: dict[str, set[str]] = field(default_factory=dict)
    new_drawdowns: list[str] = field(default_factory=list)
    new_repayments: list[str] = field(default_factory=list)
    refusals: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    peak: int = 0


def watch(bank: FakeBank, limit: int, stop: threading.Event, record: Record) -> None:
    line = bank.core.lines[LINE]
    while not stop.is_set():
        used = line.used
        record.peak = max(record.peak, used)
        if used > limit or used < 0:
            record.errors.append(f"used {used} outside 0..{limit}")


def key_amount(key: int) -> int:
    return 10_000_00 + 1_000 * key  # the key's own body; another amount is a conflict


def test_thirty_two_threads_times_a_thousand_operations_keep_the_ledger_exact() -> None:
    bank = FakeBank(BankConfig(seed=11, customers=1))
    core = bank.core
    line = core.get_line(LINE)
    limit = line.limit
    account = core.get_customer(line.customer_id).account_no
    record = Record()

    def worker(n: int) -> None:
        rng = random.Random(n)
        for i in range(OPERATIONS):
            roll = rng.random()
            try:
                if roll < 0.45:  # drawdown with a shared key, mostly its own body
                    k = rng.randrange(KEYS)
                    amount = key_amount(k) if rng.random() < 0.9 else key_amount(k) + 1
                    drawdown, replay = core.draw_down(DrawdownRequest(
                        LINE, amount, "CNY", account, "WC01", f"dd-{k}", False))
                    with record.lock:
                        record.key_answers.setdefault(f"dd-{k}", set()).add(drawdown.drawdown_id)
                        if not replay:
                            record.new_drawdowns.append(drawdown.drawdown_id)
                elif roll < 0.6:  # drawdown without a key: every call is its own intent
                    drawdown, replay = core.draw_down(DrawdownRequest(
                        LINE, rng.randrange(1, 500_000_00), "CNY", account, "WC01", None, False))
                    assert not replay
                    with record.lock:
                        record.new_drawdowns.append(drawdown.drawdown_id)
                else:  # repayment, sometimes retried with the same key
                    j = i if rng.random() < 0.7 else i - 1  # sometimes a retry of the last one
                    key, amount = f"rp-{n}-{j}", 1_000_00 * (1 + (n + j) % 50)
                    repayment, replayed = core.repay(LINE, amount, "CNY", idempotency_key=key)
                    with record.lock:
                        # a replay names the repayment its key booked, and books nothing
                        assert replayed == (repayment.repayment_id in record.new_repayments)
                        if not replayed:
                            record.new_repayments.append(repayment.repayment_id)
            except Refusal as refusal:
                with record.lock:
                    name = refusal.reason.value
                    record.refusals[name] = record.refusals.get(name, 0) + 1
            except Exception as exc:  # noqa: BLE001 -- anything but a refusal is a bug
                with record.lock:
                    record.errors.append(f"{type(exc).__name__}: {exc}")

    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(bank, limit, stop, record))
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    with fine_grained_switching():
        watcher.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stop.set()
        watcher.join()

    assert record.errors == []
    # The run really raced on the limit, and exercised conflicts and retries.
    assert record.refusals.get(Reason.INSUFFICIENT_AVAILABLE.value, 0) > 100, record.refusals
    assert record.refusals.get(Reason.IDEMPOTENCY_CONFLICT.value, 0) > 100, record.refusals
    assert record.peak > limit * 0.9
    line = core.get_line(LINE)
    assert 0 <= line.used <= limit
    # One booking per key, and every answer for a key named it.
    assert all(len(ids) == 1 for ids in record.key_answers.values())
    keyed = [drawdown_id for key, (_, drawdown_id) in core.idempotency.items()
             if key.startswith("dd-")]
    assert len(keyed) == len(set(keyed)) == len(record.key_answers)
    # Nothing lost, nothing invented: the ledger is exactly what the threads were told.
    assert sorted(record.new_drawdowns) == sorted(core.drawdowns)
    assert sorted(record.new_repayments) == sorted(core.repayments)
    booked = sum(d.amount for d in core.drawdowns.values())
    repaid = sum(r.amount for r in core.repayments.values())
    assert line.used == booked - repaid


def test_thirty_two_http_clients_lose_no_journal_entry_and_book_once_per_key() -> None:
    with BankServer(BankConfig(seed=12, customers=1)) as server:
        bank = server.bank
        line = bank.core.get_line(LINE)
        account = bank.core.get_customer(line.customer_id).account_no
        record = Record()
        sent = [0] * THREADS
        go = threading.Event()

        def client(n: int) -> None:
            rng = random.Random(1000 + n)
            connection = RawConnection(server.port)
            go.wait(5)
            try:
                for i in range(HTTP_REQUESTS):
                    roll = rng.random()
                    if roll < 0.6:
                        k = rng.randrange(KEYS // 4)
                        amount = key_amount(k) * 20 + (0 if rng.random() < 0.9 else 1)
                        body = {"amount": amount, "currency": "CNY", "beneficiaryAccount": account}
                        data = request_bytes(b"POST", DRAWS,
                                             [(b"Content-Type", b"application/json"),
                                              (b"Idempotency-Key", f"h-{k}".encode())],
                                             json.dumps(body).encode())
                    elif roll < 0.85:
                        body = {"amount": 50_000_00, "currency": "CNY"}
                        data = request_bytes(b"POST", REPAYS,
                                             [(b"Content-Type", b"application/json"),
                                              (b"Idempotency-Key", f"r-{n}-{i}".encode())],
                                             json.dumps(body).encode())
                    else:
                        data = request_bytes(b"GET", READ, [], b"")
                    status, _, answer = connection.exchange(data)
                    sent[n] += 1
                    if status >= 500:
                        record.errors.append(f"{status}: {answer[:200]!r}")
                    elif status == 201 and roll < 0.6:
                        with record.lock:
                            record.key_answers.setdefault(f"h-{k}", set()).add(
                                json.loads(answer)["drawdownId"])
                    elif status == 201 and roll < 0.85:
                        with record.lock:
                            record.new_repayments.append(json.loads(answer)["repaymentId"])
            finally:
                connection.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in range(THREADS)]
        with fine_grained_switching():
            for thread in threads:
                thread.start()
            go.set()
            for thread in threads:
                thread.join()

        assert record.errors == []
        assert sum(sent) == THREADS * HTTP_REQUESTS
        core = bank.core
        line = core.get_line(LINE)
        assert 0 <= line.used <= line.limit
        assert all(len(ids) == 1 for ids in record.key_answers.values())
        assert sorted(i for ids in record.key_answers.values() for i in ids) == sorted(
            core.drawdowns)
        assert line.used == (sum(d.amount for d in core.drawdowns.values())
                             - sum(r.amount for r in core.repayments.values()))
        assert record.new_repayments  # repayments really happened, and each one is booked
        assert sorted(record.new_repayments) == sorted(core.repayments)
        # No journal entry lost: one per request, numbered without a gap, and the bookings
        # the entries name (drawdowns and repayments) are exactly the ledger's.
        entries = bank.journal.entries()
        exchanges = [e for e in entries if e.kind == "exchange"]
        assert len(exchanges) == sum(sent)
        assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
        journaled = sorted(b for e in exchanges for b in e.bookings)
        assert journaled == sorted([*core.drawdowns, *core.repayments])
