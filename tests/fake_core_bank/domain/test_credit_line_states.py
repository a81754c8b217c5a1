"""Credit-line states and the reason each gives; activation; preconditions; lock and expiry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fake_core_bank.domain.model import LineStatus, Precondition, Reason, Refusal
from tests.fake_core_bank.bank_testkit import START, make_core

BLOCKED = [
    (LineStatus.FROZEN, Reason.LINE_FROZEN),
    (LineStatus.PENDING_ACTIVATION, Reason.LINE_PENDING_ACTIVATION),
    (LineStatus.SUSPENDED, Reason.LINE_SUSPENDED),
    (LineStatus.EXPIRED, Reason.LINE_EXPIRED),
]


@pytest.mark.parametrize(("status", "reason"), BLOCKED, ids=[s for s, _ in BLOCKED])
def test_a_blocked_line_refuses_a_drawdown_with_its_states_reason(status, reason):
    core = make_core()
    core.bank.set_status(core.line_id, status)
    with pytest.raises(Refusal) as refused:
        core.bank.draw_down(core.request(100_00))
    assert refused.value.reason is reason
    assert core.line.used == 0
    assert core.bank.drawdowns == {}


def test_a_locked_line_refuses_with_lock_end_and_reason_then_unlocks_when_the_clock_passes_it():
    core = make_core()
    until = START + timedelta(days=3)
    core.bank.set_status(core.line_id, LineStatus.LOCKED, locked_until=until,
                         lock_reason="特殊业务锁定期")
    with pytest.raises(Refusal) as refused:
        core.bank.draw_down(core.request(100_00))
    assert refused.value.reason is Reason.LINE_LOCKED
    assert refused.value.locked_until == until
    assert ("lockReason", "特殊业务锁定期") in refused.value.extra

    core.clock.set(until - timedelta(seconds=1))
    assert core.line.status is LineStatus.LOCKED

    core.clock.set(until)
    line = core.line
    assert line.status is LineStatus.ACTIVE
    assert line.locked_until is None and line.lock_reason is None
    drawdown, replayed = core.bank.draw_down(core.request(100_00))
    assert not replayed and drawdown.amount == 100_00


def test_locking_without_an_end_is_refused_naming_the_field():
    core = make_core()
    with pytest.raises(Refusal, match="lockedUntil") as refused:
        core.bank.set_status(core.line_id, LineStatus.LOCKED)
    assert refused.value.field == "lockedUntil"
    assert core.line.status is LineStatus.ACTIVE


def test_a_line_expires_by_date_on_the_bank_clock():
    # The contracts: "EXPIRED: past expiryDate" -- the expiry date itself is still usable.
    expiry = date(2026, 3, 10)
    core = make_core(expires_on=expiry)
    core.clock.advance(timedelta(days=8))  # 2026-03-10 09:00 in Beijing
    assert core.line.status is LineStatus.ACTIVE
    core.clock.advance(timedelta(days=1))  # 2026-03-11
    assert core.line.status is LineStatus.EXPIRED
    with pytest.raises(Refusal) as refused:
        core.bank.draw_down(core.request(1))
    assert refused.value.reason is Reason.LINE_EXPIRED


def test_expiry_follows_the_business_date_in_beijing_not_utc():
    # 2026-03-09 17:00 UTC is already 2026-03-10 01:00 in Beijing.
    core = make_core(expires_on=date(2026, 3, 9))
    core.clock.set(START.replace(day=9, hour=23))
    assert core.line.status is LineStatus.ACTIVE
    core.clock.set(START.replace(day=10, hour=1))
    assert core.line.status is LineStatus.EXPIRED


def test_an_expired_status_set_by_the_bank_moves_the_expiry_date_to_the_past():
    core = make_core()
    core.bank.set_status(core.line_id, LineStatus.EXPIRED)
    line = core.line
    assert line.status is LineStatus.EXPIRED
    assert line.expires_on < core.bank.business_date()


def test_activation_turns_a_pending_line_active_and_is_idempotent():
    core = make_core(status=LineStatus.PENDING_ACTIVATION)
    assert core.bank.activate(core.line_id).status is LineStatus.ACTIVE
    assert core.bank.activate(core.line_id).status is LineStatus.ACTIVE
    drawdown, _ = core.bank.draw_down(core.request(100_00))
    assert drawdown.amount == 100_00


@pytest.mark.parametrize("status", [LineStatus.FROZEN, LineStatus.SUSPENDED, LineStatus.EXPIRED])
def test_only_a_pending_line_can_be_activated(status):
    core = make_core()
    core.bank.set_status(core.line_id, status)
    with pytest.raises(Refusal) as refused:
        core.bank.activate(core.line_id)
    assert refused.value.reason is Reason.ACTIVATION_NOT_ALLOWED
    assert core.line.status is status


def test_unmet_preconditions_refuse_until_each_is_satisfied():
    core = make_core(preconditions=[
        Precondition("SHAREHOLDER_GUARANTEE", "实际控制人及股东提供连带责任保证"),
        Precondition("REVENUE_TARGET", "营业收入不低于500万元", due_date=date(2026, 6, 30)),
    ])
    with pytest.raises(Refusal) as refused:
        core.bank.draw_down(core.request(100_00))
    assert refused.value.reason is Reason.PRECONDITION_UNMET
    assert ("unmet", "SHAREHOLDER_GUARANTEE,REVENUE_TARGET") in refused.value.extra

    core.bank.satisfy_precondition(core.line_id, "SHAREHOLDER_GUARANTEE")
    with pytest.raises(Refusal, match="REVENUE_TARGET") as refused:
        core.bank.draw_down(core.request(100_00))
    assert ("unmet", "REVENUE_TARGET") in refused.value.extra

    core.bank.satisfy_precondition(core.line_id, "REVENUE_TARGET")
    drawdown, _ = core.bank.draw_down(core.request(100_00))
    assert drawdown.amount == 100_00


def test_satisfying_an_unknown_precondition_lists_the_known_ones():
    core = make_core(preconditions=[Precondition("SHAREHOLDER_GUARANTEE", "担保")])
    with pytest.raises(Refusal, match=r"no precondition NOPE \(it has: SHAREHOLDER_GUARANTEE\)"):
        core.bank.satisfy_precondition(core.line_id, "NOPE")


def test_the_state_is_checked_before_the_preconditions():
    # A frozen line says "frozen", not "precondition unmet": the state is what to fix first.
    core = make_core(preconditions=[Precondition("SHAREHOLDER_GUARANTEE", "担保")])
    core.bank.set_status(core.line_id, LineStatus.FROZEN)
    with pytest.raises(Refusal) as refused:
        core.bank.draw_down(core.request(100_00))
    assert refused.value.reason is Reason.LINE_FROZEN


def test_unknown_line_and_customer_are_not_found():
    core = make_core()
    with pytest.raises(Refusal) as refused:
        core.bank.get_line("CL999999")
    assert refused.value.reason is Reason.NOT_FOUND
    with pytest.raises(Refusal) as refused:
        core.bank.lines_of("ENT999999")
    assert refused.value.reason is Reason.NOT_FOUND
