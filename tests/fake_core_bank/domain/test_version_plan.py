"""Versions: serve, upgrade (older ones deprecated), retire, rollback, rolling upgrades."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from fake_core_bank.domain.versions import DEFAULT_SUNSET_AFTER, VersionPlan
from tests.fake_core_bank.bank_testkit import START


def test_a_single_version_is_served_undeprecated_and_unknown_ones_are_unknown():
    plan = VersionPlan(("v2",))
    plan.serve(("v2",), START)
    route = plan.route("v2", START)
    assert (route.outcome, route.deprecated, route.successor) == ("serve", None, None)
    assert plan.route("v3", START).outcome == "unknown"


def test_upgrade_deprecates_the_older_versions_with_a_sunset_and_a_successor():
    plan = VersionPlan(("v1", "v2"))
    plan.serve(("v1", "v2"), START)
    assert plan.route("v2", START).deprecated is None
    since, sunset = plan.route("v1", START).deprecated
    assert (since, sunset) == (START, START + DEFAULT_SUNSET_AFTER)

    upgraded_at = START + timedelta(days=1)
    chosen_sunset = START + timedelta(days=30)
    plan.upgrade("v3", upgraded_at, sunset=chosen_sunset)
    v2 = plan.route("v2", upgraded_at)
    assert v2.deprecated == (upgraded_at, chosen_sunset)
    assert v2.successor == "v3"
    assert plan.route("v1", upgraded_at).deprecated == (START, START + DEFAULT_SUNSET_AFTER)
    assert plan.route("v3", upgraded_at).deprecated is None


def test_a_retired_version_routes_to_retired_with_the_newest_as_successor():
    plan = VersionPlan(("v1", "v2"))
    plan.upgrade("v3", START, retire=("v1",))
    route = plan.route("v1", START)
    assert (route.outcome, route.successor) == ("retired", "v3")
    assert plan.snapshot()["retired"] == ["v1"]
    assert "v1" not in plan.snapshot()["deprecated"]


def test_rollback_removes_newer_versions_and_undeprecates_the_target():
    plan = VersionPlan(("v2",))
    plan.upgrade("v3", START)
    assert plan.route("v2", START).deprecated is not None
    plan.rollback("v2")
    assert plan.route("v3", START).outcome == "unknown"
    route = plan.route("v2", START)
    assert (route.outcome, route.deprecated) == ("serve", None)


def _routes(seed: int, n: int) -> list[str]:
    plan = VersionPlan(("v2",))
    plan.start_rollout("v2", "v3", 0.3, seed)
    return [plan.route("v3", START).outcome for _ in range(n)]


def test_a_rolling_upgrade_routes_deterministically_for_a_seed_and_roughly_by_share():
    first, again = _routes(7, 1000), _routes(7, 1000)
    assert first == again
    assert first != _routes(8, 1000)
    counts = Counter(first)
    assert set(counts) == {"serve", "unavailable"}
    assert 250 <= counts["serve"] <= 350  # share 0.3 of 1000


def test_during_a_rollout_the_old_version_is_served_by_both_kinds_of_node():
    plan = VersionPlan(("v2",))
    plan.start_rollout("v2", "v3", 0.5, 1)
    nodes = Counter(plan.route("v2", START).node for _ in range(200))
    assert set(nodes) == {"old-node", "new-node"}
    assert all(plan.route("v2", START).outcome == "serve" for _ in range(50))


def test_completing_a_rollout_upgrades_the_whole_fleet():
    plan = VersionPlan(("v2",))
    plan.start_rollout("v2", "v3", 0.1, 1)
    plan.complete_rollout(START)
    assert plan.rollout is None
    assert all(plan.route("v3", START).outcome == "serve" for _ in range(20))
    assert plan.route("v2", START).successor == "v3"


def test_a_sunset_retires_the_version_when_the_virtual_clock_reaches_it():
    plan = VersionPlan(("v2",))
    sunset = START + timedelta(days=30)
    plan.upgrade("v3", START, sunset=sunset)
    before = plan.route("v2", sunset - timedelta(seconds=1))
    assert (before.outcome, before.deprecated) == ("serve", (START, sunset))
    after = plan.route("v2", sunset)
    assert (after.outcome, after.successor) == ("retired", "v3")
    assert after.deprecated == (START, sunset)  # its 410 still says when and where to go
    assert plan.snapshot()["retired"] == ["v2"]
    assert plan.snapshot()["retiredAt"] == {"v2": sunset.isoformat()}
    assert plan.route("v3", sunset).outcome == "serve"


def test_a_sunset_already_past_at_start_up_retires_at_once():
    plan = VersionPlan(("v2",))
    plan.serve(("v2",), START)
    past = START - timedelta(days=1)
    plan.upgrade("v3", START, sunset=past)
    assert plan.snapshot()["retired"] == ["v2"]  # before any request asks
    route = plan.route("v2", START)
    assert (route.outcome, route.deprecated, route.successor) == ("retired", (START, past),
                                                                  "v3")


def test_a_version_retired_by_an_upgrade_keeps_when_it_was_deprecated():
    plan = VersionPlan(("v1", "v2"))
    plan.serve(("v1", "v2"), START)
    later = START + timedelta(days=3)
    plan.upgrade("v2", later, retire=("v1",))
    assert plan.route("v1", later).deprecated == (START, later)


def test_rollback_brings_a_retired_target_back_undeprecated():
    plan = VersionPlan(("v2",))
    plan.upgrade("v3", START, sunset=START)
    assert plan.route("v2", START).outcome == "retired"
    plan.rollback("v2")
    route = plan.route("v2", START + timedelta(days=400))
    assert (route.outcome, route.deprecated) == ("serve", None)
