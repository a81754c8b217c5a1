"""A bounded ledger keeps at most its limit of final bookings in memory and spills the older
ones, yet answers every query byte for byte as a bank that keeps everything in memory (issue 19).
"""

from __future__ import annotations

import gc
import json
import random
import sqlite3
from collections.abc import Callable
from dataclasses import astuple
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_core_bank.domain import model
from fake_core_bank.domain.bank import CoreBank, DrawdownRequest
from fake_core_bank.domain.ledger_codec import LedgerCodec
from fake_core_bank.domain.ledger_store import SPILL_BATCH, LedgerStore
from fake_core_bank.domain.model import Drawdown, Refusal, Repayment
from fake_core_bank.domain.state import drawdown_to_dict
from fake_core_bank.fake import BankConfig, FakeBank

LINES = ("CL000001", "CL000002")
KEYS = ("k1", "k2", "k3", "k4", "k5", "k6")
ACCOUNTS = ("ACCOUNT", "6222000099998888")  # ACCOUNT: the line's own customer's account


def banks(limit: int = 3) -> tuple[FakeBank, FakeBank]:
    """The same bank twice: every booking in memory, and at most ``limit`` of them."""
    return (FakeBank(BankConfig(seed=1, customers=2)),
            FakeBank(BankConfig(seed=1, customers=2, ledger_limit=limit)))


def rendered(value: Any) -> Any:
    if isinstance(value, Drawdown):
        rejection = value.rejection
        return {**drawdown_to_dict(value), "polls": value.polls, "rejectionText": None
                if rejection is None else [str(rejection), rejection.locked_until and
                                           rejection.locked_until.isoformat(),
                                           rejection.wording and astuple(rejection.wording)]}
    if isinstance(value, Repayment):
        return [*astuple(value)[:4], value.created_at.isoformat()]
    if isinstance(value, (list, tuple)):
        return [rendered(v) for v in value]
    if isinstance(value, dict):
        return {k: rendered(v) for k, v in value.items()}
    return value


def answer(call: Callable[[], Any]) -> bytes:
    """What the bank answered, as bytes: the value, or the refusal with every field."""
    try:
        value: Any = ["ok", rendered(call())]
    except Refusal as refusal:
        value = ["refused", str(refusal), refusal.field, list(refusal.extra)]
    return json.dumps(value, sort_keys=True, ensure_ascii=False).encode()


def apply(bank: FakeBank, op: tuple[Any, ...]) -> bytes:
    core = bank.core
    kind, *args = op
    if kind == "draw":
        line, amount, key, account, asynchronous, purpose = args
        if account == "ACCOUNT":
            account = core.get_customer(core.get_line(line).customer_id).account_no
        request = DrawdownRequest(line, amount, "CNY", account, purpose, key, asynchronous)
        return answer(lambda: core.draw_down(request))
    if kind == "repay":
        line, amount, key = args
        return answer(lambda: core.repay(line, amount, "CNY", key))
    if kind == "get":
        number, poll, settle = args
        return answer(lambda: core.get_drawdown(f"DD{number:08d}", poll=poll, settle=settle))
    if kind == "list":
        return answer(lambda: history(core, args[0]))
    if kind == "page":
        return answer(lambda: page(bank, *args))
    if kind == "settle":
        return answer(bank.settle_pending)
    if kind == "status":
        line, status = args
        return answer(lambda: bank.set_line_status(line, status))
    if kind == "external":
        line, amount = args
        return answer(lambda: bank.external_drawdown(line, amount))
    if kind == "snapshot":
        return answer(bank.snapshot)
    assert kind == "reset"
    return answer(bank.reset)


def history(core: CoreBank, line: str) -> list[Drawdown]:
    """A line's drawdowns in booking order, from every drawdown of the bank (kept and
    spilled, merged by the store); a refusal for an unknown line."""
    with core.lock:
        core.get_line(line)
        return [d for d in core.ledger.drawdowns() if d.line_id == line]


def page(bank: FakeBank, line: str, start: int, size: int, rejected: bool, settle: bool,
         after: int | None) -> Any:
    """A page of a line, newest first, with whether more follow and the line's total. The bank
    that keeps every booking in memory answers it the long way the adapters used to (the
    whole list, settled and filtered, then sliced); a bounded one pages in its store. Both
    must answer alike. ``after`` (the cursor) above 0 names the line's own ``after``-th
    newest drawdown, below 0 the bank's drawdown of that number."""
    core = bank.core
    cursor = None
    if after is not None and after > 0:  # the line's own: its `after`-th newest drawdown
        mine = history(core, line)
        cursor = mine[-after].drawdown_id if after <= len(mine) else "DD99999999"
    elif after is not None:  # any drawdown of the bank, perhaps another line's
        cursor = f"DD{-after:08d}"
    if core.ledger.limit is not None:
        with core.lock:
            found = core.drawdown_page(line, start=start, size=size, rejected=rejected,
                                       settle=settle, after=cursor)
            return found, core.drawdown_total(line, rejected=rejected)
    items = []
    for drawdown in reversed(history(core, line)):
        if settle and drawdown.status is model.DrawdownStatus.PENDING:
            drawdown = core.get_drawdown(drawdown.drawdown_id, settle=True)
        if rejected or drawdown.status is not model.DrawdownStatus.REJECTED:
            items.append(drawdown)
    if cursor is not None:
        at = next((i + 1 for i, d in enumerate(items) if d.drawdown_id == cursor), None)
        if at is None:
            return None, len(items)
        start += at
    return (items[start:start + size], start + size < len(items)), len(items)


AMOUNT = st.sampled_from([1, 1, 100_00, 5_000_00, 10**9])  # 10**9: beyond any line
DRAW = st.tuples(st.just("draw"), st.sampled_from(LINES), AMOUNT,
                 st.none() | st.sampled_from(KEYS), st.sampled_from(ACCOUNTS), st.booleans(),
                 st.sampled_from([None, "WC01"]))
REPAY = st.tuples(st.just("repay"), st.sampled_from(LINES), AMOUNT,
                  st.none() | st.sampled_from(KEYS))
QUERY = st.one_of(
    st.tuples(st.just("get"), st.integers(1, 30), st.booleans(), st.booleans()),
    st.tuples(st.just("list"), st.sampled_from(LINES)),
    st.tuples(st.just("page"), st.sampled_from(LINES), st.integers(0, 12), st.integers(1, 5),
              st.booleans(), st.booleans(), st.none() | st.integers(-30, 12)),
    st.tuples(st.just("settle")),
    st.tuples(st.just("status"), st.sampled_from(LINES), st.sampled_from(["ACTIVE", "FROZEN"])),
    st.tuples(st.just("external"), st.sampled_from(LINES), st.sampled_from([1, 100_00])),
    st.tuples(st.just("snapshot")),
)
#: bookings most of the time (so the bound is passed), a reset seldom
OPS = st.lists(st.one_of(DRAW, DRAW, DRAW, REPAY, QUERY, QUERY, st.tuples(st.just("reset"))),
               min_size=10, max_size=80).filter(lambda ops: ops.count(("reset",)) <= 1)


@pytest.mark.slow
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(ops=OPS)
def test_a_bounded_ledger_answers_every_query_as_an_unbounded_one(ops):
    full, bounded = banks(limit=3)
    try:
        for op in ops:
            assert apply(bounded, op) == apply(full, op), op
        for op in [("snapshot",), *(("list", line) for line in LINES), ("settle",),
                   *(("page", line, 0, 100, True, False, None) for line in LINES)]:
            assert apply(bounded, op) == apply(full, op), op
        assert dict(bounded.core.idempotency) == dict(full.core.idempotency)
        assert list(bounded.core.repayments) == list(full.core.repayments)
    finally:
        bounded.core.close()


@pytest.mark.parametrize("seed", range(4))
def test_a_seeded_random_run_answers_alike_and_spills_keys_of_both_kinds(seed):
    full, bounded = banks(limit=3)
    draw = random.Random(seed)
    for _ in range(400):
        op = _random_op(draw)
        assert apply(bounded, op) == apply(full, op), op
    ledger = bounded.core.ledger
    assert ledger.spilled_drawdowns and ledger.spilled_repayments and ledger.spilled_keys
    for op in [("snapshot",), *(("list", line) for line in LINES), ("settle",)]:
        assert apply(bounded, op) == apply(full, op), op
    bounded.core.close()


def test_a_spill_binds_every_value_as_it_is_never_through_sqlite3s_adapters():
    """sqlite3 offers a value that is not an int, float, str or bytearray (bytes, a bool,
    None) to its adapters first, raising and clearing an AttributeError each time: a third of
    a spilled row's cost. A spy adapter for each of those types must never be asked, in a run
    that spills keyed and keyless drawdowns and repayments and reads them back alike."""
    offered: list[type] = []
    kinds = (bytes, bool, type(None))
    for kind in kinds:
        sqlite3.register_adapter(kind, lambda value: offered.append(type(value)) or value)
    try:
        full, bounded = banks(limit=3)
        draw = random.Random(7)
        ops = [_random_op(draw) for _ in range(300)]
        ops += [("draw", line, 1, None, "ACCOUNT", False, None) for line in LINES * 4]
        ops += [("repay", line, 1, None) for line in LINES * 4]
        ops += [("draw", line, 1, "z1", "ACCOUNT", False, None) for line in LINES] * 4
        for op in ops:
            assert apply(bounded, op) == apply(full, op), op
        store = bounded.core.ledger
        counts = store._db.execute(  # the spill database's own rows
            "SELECT (SELECT count(*) FROM drawdown WHERE key IS NULL), "
            "(SELECT count(*) FROM drawdown WHERE key IS NOT NULL), "
            "(SELECT count(*) FROM repayment WHERE key IS NULL), "
            "(SELECT count(*) FROM repayment WHERE key IS NOT NULL)").fetchone()
        assert all(counts), counts  # each kind spilled, with and without a key
        assert offered == []
        bounded.core.close()
    finally:
        for kind in kinds:
            del sqlite3.adapters[(kind, sqlite3.PrepareProtocol)]


def _random_op(draw: random.Random) -> tuple[Any, ...]:
    line, key = draw.choice(LINES), draw.choice([None, *KEYS, *(f"u{n}" for n in range(40))])
    amount = draw.choice([1, 1, 100_00, 5_000_00, 10**9])
    return draw.choice([
        ("draw", line, amount, key, draw.choice(ACCOUNTS), draw.random() < 0.3,
         draw.choice([None, "WC01"])),
        ("draw", line, amount, key, "ACCOUNT", False, None),
        ("repay", line, amount, key),
        ("get", draw.randint(1, 60), draw.random() < 0.5, draw.random() < 0.2),
        ("list", line), ("settle",), ("snapshot",),
        ("page", line, draw.randint(0, 30), draw.randint(1, 7), draw.random() < 0.5,
         draw.random() < 0.5,
         draw.choice([None, 1, 2, 3, draw.randint(1, 20), draw.randint(-60, 0)])),
        ("status", line, draw.choice(["ACTIVE", "ACTIVE", "FROZEN"])),
    ])


def _book(bank: FakeBank, ops: list[tuple[Any, ...]]) -> list[bytes]:
    return [apply(bank, op) for op in ops]


def test_spilled_keys_replay_and_conflict_as_kept_ones_and_lists_keep_booking_order():
    full, bounded = banks(limit=3)
    ops: list[tuple[Any, ...]] = [
        ("draw", "CL000001", 100_00, "k1", "ACCOUNT", False, None),
        ("draw", "CL000001", 100_00, "k2", "ACCOUNT", True, None),  # PENDING: stays in memory
        ("repay", "CL000001", 100_00, "k3"),
        ("draw", "CL000002", 100_00, None, "ACCOUNT", False, "WC01"),
        ("status", "CL000001", "FROZEN"),
        ("draw", "CL000001", 1, "k4", "ACCOUNT", True, None),  # refused: the line is frozen
        ("status", "CL000001", "ACTIVE"),
        *[("draw", "CL000001", 1, f"n{n}", "ACCOUNT", False, None) for n in range(8)],
        *[("repay", "CL000002", 1, f"r{n}") for n in range(4)],
    ]
    assert _book(bounded, ops) == _book(full, ops)
    ledger = bounded.core.ledger
    assert ledger.spilled_drawdowns and ledger.spilled_repayments and ledger.spilled_keys
    assert ledger.drawdown("DD00000001") is not None and "DD00000001" not in ledger._drawdowns
    again: list[tuple[Any, ...]] = [
        ("draw", "CL000001", 100_00, "k1", "ACCOUNT", False, None),  # replay of a spilled key
        ("draw", "CL000001", 200_00, "k1", "ACCOUNT", False, None),  # conflict
        ("draw", "CL000001", 100_00, "k3", "ACCOUNT", False, None),  # a repayment's key
        ("repay", "CL000001", 100_00, "k3"),  # replay of a spilled repayment
        ("repay", "CL000001", 1, "k3"),  # conflict
        ("repay", "CL000001", 100_00, "k1"),  # a drawdown's key
        ("get", 1, True, False), ("get", 2, False, False), ("get", 99, False, False),
        ("list", "CL000001"), ("list", "CL000002"),
        ("status", "CL000001", "FROZEN"), ("settle",),  # the old PENDING one is rejected
        ("get", 2, False, False), ("list", "CL000001"), ("snapshot",),
        ("draw", "CL000001", 100_00, "k2", "ACCOUNT", True, None),  # its replay: refused
        ("reset",), ("snapshot",), ("get", 1, False, False),
        ("draw", "CL000001", 100_00, "k1", "ACCOUNT", False, None),  # books afresh after reset
    ]
    for op in again:
        assert apply(bounded, op) == apply(full, op), op
    assert json.loads(apply(bounded, ("get", 1, False, False)))[0] == "ok"
    assert bounded.core.ledger.spilled == 0  # the reset emptied the spill database too
    bounded.core.close()


def test_settle_pending_settles_old_pending_drawdowns_among_spilled_ones_in_booking_order():
    full, bounded = banks(limit=2)
    ops: list[tuple[Any, ...]] = []
    for n in range(12):
        ops.append(("draw", LINES[n % 2], 1, None, "ACCOUNT", n % 3 == 0, None))
    ops += [("repay", "CL000001", 1, None), ("settle",), ("list", "CL000001"), ("snapshot",)]
    assert _book(bounded, ops) == _book(full, ops)
    settled = json.loads(apply(bounded, ("snapshot",)))[1]["drawdowns"]
    assert [d["drawdownId"] for d in settled] == [f"DD{n:08d}" for n in range(1, 13)]
    bounded.core.close()


def _in_memory(store: LedgerStore) -> dict[str, int]:
    return {"drawdowns": len(store._drawdowns), "repayments": len(store._repayments),
            "keys": len(store._keys), "pending": len(store._pending),
            "by_line": sum(len(ids) for ids in store._by_line.values())}


def _live_bookings() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o) in (Drawdown, Repayment))


@pytest.mark.parametrize("limit", [1, 3, 50])
def test_memory_holds_at_most_the_limit_however_many_bookings(limit):
    bank = FakeBank(BankConfig(seed=1, customers=2, ledger_limit=limit))
    core = bank.core
    account = core.get_customer("ENT000001").account_no
    before = _live_bookings()
    peaks = []
    for rounds in (500, 1500):
        for n in range(rounds):
            core.draw_down(DrawdownRequest("CL000001", 1, "CNY", account, None, f"d{rounds}-{n}"))
            core.repay("CL000001", 1, "CNY", f"r{rounds}-{n}")
        counts = _in_memory(core.ledger)
        assert core.ledger.in_memory <= limit and counts["keys"] <= limit
        assert counts["by_line"] == counts["drawdowns"]
        peaks.append(_live_bookings() - before)
    assert len(core.drawdowns) == len(core.repayments) == len(core.idempotency) / 2 == 2000
    # counted in the interpreter, not by a store's word: no booking object outlives its spill
    assert peaks[0] <= limit and peaks[1] <= limit
    core.close()


def test_pending_drawdowns_stay_in_memory_beyond_the_limit_and_leave_once_settled():
    bank = FakeBank(BankConfig(seed=1, customers=2, ledger_limit=2, settle_after_polls=0))
    core = bank.core
    account = core.get_customer("ENT000001").account_no
    for _ in range(6):
        core.draw_down(DrawdownRequest("CL000001", 1, "CNY", account, None, None, True))
    assert core.ledger.in_memory == 6 and core.ledger.spilled == 0
    bank.settle_pending()
    for _ in range(3):
        core.draw_down(DrawdownRequest("CL000001", 1, "CNY", account))
    assert core.ledger.in_memory <= 2 and len(core.drawdowns) == 9
    core.close()


def test_a_full_disk_keeps_bookings_in_memory_and_says_so():
    full, bounded = banks(limit=2)
    ops: list[tuple[Any, ...]] = [("draw", "CL000001", 1, f"a{n}", "ACCOUNT", False, None)
                                  for n in range(4)]
    assert _book(bounded, ops) == _book(full, ops)
    ledger = bounded.core.ledger
    assert ledger._db is not None and ledger.spilled
    # the database may not grow by a single page: the next spill fails as on a full disk
    pages = ledger._db.execute("PRAGMA page_count").fetchone()[0]
    ledger._db.execute(f"PRAGMA max_page_count = {pages}")
    more: list[tuple[Any, ...]] = [("draw", "CL000001", 1, f"b{n}", "ACCOUNT", False, None)
                                   for n in range(300)]
    more += [("draw", "CL000001", 1, "a0", "ACCOUNT", False, None), ("list", "CL000001"),
             ("snapshot",)]
    assert _book(bounded, more) == _book(full, more)
    assert ledger.spill_error is not None and "full" in ledger.spill_error
    assert ledger.in_memory > 2  # kept, not lost
    health = bounded.core.ledger
    assert health.spilled + health.in_memory == 304
    bounded.core.close()


def test_a_bank_without_a_bound_never_opens_a_spill_database():
    bank = FakeBank(BankConfig(seed=1, customers=2))
    account = bank.core.get_customer("ENT000001").account_no
    for n in range(200):
        bank.core.draw_down(DrawdownRequest("CL000001", 1, "CNY", account, None, f"k{n}"))
    assert bank.core.ledger._db is None and bank.core.ledger.in_memory == 200


def test_a_limit_below_one_is_refused():
    with pytest.raises(ValueError, match="ledger limit must be at least 1"):
        LedgerStore(0)


def test_the_codec_brings_back_every_field_and_the_very_time_zone():
    zone = timezone(timedelta(hours=8), "CST")
    at = datetime(2026, 3, 2, 9, 30, 1, 250, tzinfo=zone)
    refusal = Refusal(model.Reason.LINE_LOCKED, "locked", field="amount", locked_until=at,
                      retry_after=at, extra=(("lockReason", "fraud"),),
                      wording=model.Wording("gesperrt", "de"))
    drawdown = Drawdown("DD00000007", "CL000001", 5, "CNY", "6222", "WC01",
                        model.DrawdownStatus.REJECTED, at, at, refusal, "draw", "external", 3)
    codec = LedgerCodec()
    back = codec.from_drawdown(codec.drawdown(drawdown))
    assert rendered(back) == rendered(drawdown)
    assert back.created_at.tzname() == "CST" and back.rejection is not None
    assert (back.rejection.field, back.rejection.extra, back.rejection.retry_after) == (
        "amount", (("lockReason", "fraud"),), at)
    repayment = Repayment("RP00000001", "CL000001", 5, "CNY", at.astimezone(UTC))
    assert codec.from_repayment(codec.repayment(repayment)) == repayment


def test_a_loaded_drawdown_replaces_a_spilled_one_with_the_same_id_where_it_stands():
    full, bounded = banks(limit=2)
    ops: list[tuple[Any, ...]] = [("draw", "CL000001", 100_00, f"k{n}", "ACCOUNT", False, None)
                                  for n in range(8)]
    assert _book(bounded, ops) == _book(full, ops)
    assert "DD00000001" not in bounded.core.ledger._drawdowns  # spilled
    loaded = {"drawdowns": [
        {"drawdownId": "DD00000001", "lineId": "CL000002", "amount": 7, "status": "PENDING",
         "createdAt": "2026-03-02T10:00:00+08:00"},
        {"drawdownId": "DD00000050", "lineId": "CL000001", "amount": 9, "status": "DISBURSED",
         "createdAt": "2026-03-02T10:00:00+08:00"}]}
    for bank in (full, bounded):
        bank.load_state(loaded)
    after: list[tuple[Any, ...]] = [
        ("get", 1, False, False), ("list", "CL000001"), ("list", "CL000002"), ("snapshot",),
        # pages with the lines' totals: the replaced one left CL000001's spilled count
        *[("page", line, 0, 100, rejected, False, None) for line in LINES
          for rejected in (True, False)],
        ("draw", "CL000001", 100_00, "k0", "ACCOUNT", False, None),  # its key: now a conflict
        *[("draw", "CL000002", 1, f"m{n}", "ACCOUNT", False, None) for n in range(6)],
        ("settle",), ("snapshot",), ("draw", "CL000001", 100_00, "k0", "ACCOUNT", False, None)]
    for op in after:
        assert apply(bounded, op) == apply(full, op), op
    assert dict(bounded.core.idempotency) == dict(full.core.idempotency)
    bounded.core.close()


def test_a_page_of_a_long_spilled_line_reads_and_decodes_only_the_page(monkeypatch):
    """A connector that lists a busy line of a bank left running for days pays for the page,
    not for the line's whole history: before, every list call decoded every spilled booking."""
    bank = FakeBank(BankConfig(seed=1, customers=2, ledger_limit=10))
    core = bank.core
    account = core.get_customer(core.get_line("CL000001").customer_id).account_no
    for n in range(600):  # every 7th PENDING, then rejected at settlement on a frozen line
        core.draw_down(DrawdownRequest("CL000001", 1, "CNY", account, None, f"long-{n}",
                                       n % 7 == 0))
        if n % 50 == 49 or n == 599:
            bank.set_line_status("CL000001", "FROZEN")
            bank.settle_pending()
            bank.set_line_status("CL000001", "ACTIVE")
    assert core.ledger.spilled_drawdowns >= 580
    decoded: list[bytes] = []
    real = core.ledger._codec.from_drawdown
    monkeypatch.setattr(core.ledger._codec, "from_drawdown",
                        lambda data: decoded.append(data) or real(data))
    items, more = core.drawdown_page("CL000001", start=500, size=20) or ([], False)
    assert [d.drawdown_id for d in items] == [f"DD{n:08d}" for n in range(100, 80, -1)]
    assert more and len(decoded) == 20
    decoded.clear()
    visible, _ = core.drawdown_page("CL000001", start=0, size=5, rejected=False) or ([], False)
    assert all(d.status is model.DrawdownStatus.DISBURSED for d in visible) and len(decoded) <= 5
    # a total reads nothing: the walk of the line's index it was cost 22 ms per list call at a
    # million spilled bookings
    real_db = core.ledger._db
    asked: list[str] = []

    class Spy:
        def execute(self, sql: str, *args: Any) -> Any:
            asked.append(sql)
            return real_db.execute(sql, *args)

    core.ledger._db = Spy()  # type: ignore[assignment]
    assert core.drawdown_total("CL000001") == 600
    assert core.drawdown_total("CL000001", rejected=False) == 600 - len(range(0, 600, 7))
    assert core.drawdown_total("CL000002") == 0
    core.ledger._db = real_db
    assert not decoded and not asked
    # cursors walk the whole line, newest first, once each, from the kept into the spilled
    for rejected, size in ((True, 3), (False, 3), (True, 23), (False, 23)):
        walked: list[str] = []
        after = None
        while True:
            found = core.drawdown_page("CL000001", start=0, size=size, rejected=rejected,
                                       after=after)
            assert found is not None
            walked += [d.drawdown_id for d in found[0]]
            if not found[1]:
                break
            after = walked[-1]
        assert walked == [d.drawdown_id for d in reversed(history(core, "CL000001"))
                          if rejected or d.status is not model.DrawdownStatus.REJECTED]
    core.close()


@pytest.mark.parametrize(("limit", "batch"), [(3, 1), (10, 5), (1000, 500), (10_000, 500)])
def test_a_spill_moves_a_batch_of_the_oldest_never_more_than_spill_batch(limit, batch):
    """A batch is one pause of the served bank's event loop: half the bound moved at once was
    34 ms median at the default; the batch is SPILL_BATCH, or half the bound when smaller."""
    assert SPILL_BATCH == 500
    store = LedgerStore(limit)
    made = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(limit + 1):
        store.add_drawdown(Drawdown(f"DD{n:08d}", "CL000001", 1, "CNY", "A", None,
                                    model.DrawdownStatus.DISBURSED, made), key=f"k{n}")
    assert store.spilled_drawdowns == batch and store.in_memory == limit + 1 - batch
    assert store.drawdown("DD00000000") is not None  # the oldest, spilled and still answered
    assert list(store._by_line["CL000001"]) == [f"DD{n:08d}" for n in range(batch, limit + 1)]
    store.close()
