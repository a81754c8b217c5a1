"""Regional policies with effective times, and the maintenance calendar (FULL vs READ_ONLY)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fake_core_bank.domain.calendar import MaintenanceCalendar
from fake_core_bank.domain.model import LineStatus, MaintenanceWindow, Policy, Reason, Refusal
from tests.fake_core_bank.bank_testkit import REGION, START, later, make_core


def test_a_tightened_cap_refuses_after_its_effective_time_and_allows_before():
    core = make_core()
    core.bank.put_policy(Policy("HZ-CAP", REGION, later(days=1), max_drawdown=100_000_00))
    drawdown, _ = core.bank.draw_down(core.request(200_000_00))  # yesterday's rules
    assert drawdown.amount == 200_000_00
    core.bank.repay(core.line_id, 200_000_00, "CNY")

    core.clock.set(later(days=1))  # exactly the effective time: in force
    with pytest.raises(Refusal) as refused:
        core.bank.draw_down(core.request(200_000_00))
    assert (refused.value.reason, refused.value.field) == (Reason.POLICY_LIMIT_EXCEEDED, "amount")
    assert "HZ-CAP" in refused.value.detail
    core.bank.draw_down(core.request(100_000_00))  # at the cap: allowed


def test_a_policy_of_another_region_does_not_apply_and_a_star_policy_applies_everywhere():
    core = make_core()
    core.bank.put_policy(Policy("SZ-CAP", "440300", START, max_drawdown=1))
    core.bank.draw_down(core.request(100_00))
    core.bank.put_policy(Policy("NATIONAL", "*", START, require_purpose_code=True))
    with pytest.raises(Refusal) as refused:
        core.bank.draw_down(core.request(100_00))
    assert (refused.value.reason, refused.value.field) == (
        Reason.POLICY_FIELD_REQUIRED, "purposeCode")
    core.bank.draw_down(core.request(100_00, purpose="WC01"))


def test_allowed_purposes_refuse_other_purposes_and_removal_lifts_the_policy():
    core = make_core()
    core.bank.put_policy(Policy("TRADE-ONLY", REGION, START, allowed_purposes=("TR01",)))
    with pytest.raises(Refusal, match="allows purposes TR01, not EQ01"):
        core.bank.draw_down(core.request(100_00, purpose="EQ01"))
    core.bank.draw_down(core.request(100_00, purpose="TR01"))
    core.bank.remove_policy("TRADE-ONLY")
    core.bank.draw_down(core.request(100_00, purpose="EQ01"))
    with pytest.raises(Refusal) as refused:
        core.bank.remove_policy("TRADE-ONLY")
    assert refused.value.reason is Reason.NOT_FOUND


def test_policies_apply_in_effective_order_the_earliest_refusal_wins():
    core = make_core()
    core.bank.put_policy(Policy("B-LATER", REGION, later(hours=1), max_drawdown=1))
    core.bank.put_policy(Policy("A-EARLIER", REGION, START, require_purpose_code=True))
    core.clock.set(later(hours=2))
    with pytest.raises(Refusal) as refused:
        core.bank.draw_down(core.request(100_00))
    assert refused.value.reason is Reason.POLICY_FIELD_REQUIRED


def test_a_full_window_refuses_everything_and_read_only_refuses_only_writes():
    core = make_core()
    full = core.bank.schedule_maintenance(later(hours=1), later(hours=2), "FULL")
    read_only = core.bank.schedule_maintenance(later(hours=3), later(hours=4), "READ_ONLY")
    assert core.bank.maintenance_refusal(write=True) is None

    core.clock.set(later(hours=1, minutes=30))
    for write in (False, True):
        refusal = core.bank.maintenance_refusal(write=write)
        assert refusal is not None and refusal.reason is Reason.MAINTENANCE
        assert refusal.retry_after == full.end

    core.clock.set(later(hours=3))
    assert core.bank.maintenance_refusal(write=False) is None
    refusal = core.bank.maintenance_refusal(write=True)
    assert refusal is not None and refusal.reason is Reason.READ_ONLY
    assert refusal.retry_after == read_only.end

    core.clock.set(later(hours=4))  # the end is exclusive
    assert core.bank.maintenance_refusal(write=True) is None


def test_overlapping_windows_full_wins_over_read_only():
    calendar = MaintenanceCalendar()
    calendar.schedule(MaintenanceWindow("MW0001", START, later(hours=4), "READ_ONLY"))
    calendar.schedule(MaintenanceWindow("MW0002", later(hours=1), later(hours=2), "FULL"))
    active = calendar.active(later(hours=1, minutes=30))
    assert active is not None and active.window_id == "MW0002"
    assert [w.window_id for w in calendar.upcoming(later(hours=3))] == ["MW0001"]


def test_a_window_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="end after it starts"):
        MaintenanceCalendar().schedule(MaintenanceWindow("MW0001", START, START, "FULL"))


def test_boundaries_list_window_edges_lock_ends_and_policy_times():
    core = make_core()
    core.bank.schedule_maintenance(later(hours=1), later(hours=2), "FULL")
    core.bank.put_policy(Policy("P", "*", later(hours=5), max_drawdown=1))
    core.bank.set_status(core.line_id, LineStatus.LOCKED, locked_until=later(hours=7))
    edges = sorted(core.bank.boundaries(START, later(days=1)))
    assert edges == [later(hours=h) for h in (1, 2, 5, 7)]
    assert list(core.bank.boundaries(later(hours=1), later(hours=2))) == [later(hours=2)]
    assert core.bank.boundaries(START, START + timedelta(minutes=59)) == []
