"""The core-model interface itself: declaring, finding and routing (docs/core-models.md)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from fake_core_bank import cores, lending
from fake_core_bank.cores import CoreModel, Routing
from fake_core_bank.domain.versions import VersionPlan
from fake_core_bank.errors import InputError
from harness.scenarios import vocabulary as v

NOW = datetime(2026, 3, 2, 9, 0)


def test_the_built_in_core_is_found_by_spec_and_by_entry_point_name() -> None:
    assert cores.load("fake_core_bank.lending:core") is lending.core
    assert cores.load("lending") is lending.core  # pyproject's drawbridge.cores entry point
    assert cores.active().name == "lending"


def test_the_built_in_core_names_every_scenario_operation_by_an_operation_of_its_contracts(
) -> None:
    """The one table of operations is tied to the scenario format and to every contract."""
    model = lending.core
    assert sorted(model.operations) == sorted(v.OPERATIONS)
    lacking = {}
    for version in model.versions:
        ids = {op.operation_id for op in model.contract(version).operations}
        lacking[version] = set(model.operations.values()) - ids
    # v1 has no activation (its lines are never pending it); every other one is everywhere
    assert lacking == {"v1": {"activateCreditLine"}, "v2": set(), "v3": set()}


def test_versions_contracts_and_adapters_of_the_built_in_core_agree() -> None:
    model = lending.core
    assert model.versions == ("v1", "v2", "v3")
    for version in model.versions:
        assert model.adapters[version].version == version
        assert model.contract_path(version).name == f"{version}.yaml"
        assert model.contract_name(version) == f"contracts/core-banking/{version}.yaml"


@pytest.mark.parametrize(("change", "message"), [
    ({"versions": ("v2", "v2")}, "lists a version twice"),
    ({"versions": ()}, "declares no version"),
    ({"name": ""}, "has no name"),
    ({"versions": ("v2", "v3", "v9")}, "has no contract for v9"),
    ({"versions": ("v2",)}, r"has a contract for undeclared version\(s\) v1, v3"),
])
def test_a_model_that_does_not_hold_together_is_one_line(change: dict[str, object],
                                                        message: str) -> None:
    fields: dict[str, object] = {
        "name": "x", "versions": lending.core.versions, "contracts": lending.core.contracts,
        "adapters": lending.core.adapters} | change
    with pytest.raises(InputError, match=message):
        CoreModel(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(("spec", "message"), [
    ("v2", "'v2' is a version, not a core model; fix: write --core-version v2"),
    ("no spec", "'no spec' names no core model; fix: give module:attribute"),
    ("no_such_module_xyz:core", "cannot import no_such_module_xyz"),
    ("fake_core_bank.lending:ADAPTERS", "fake_core_bank.lending:ADAPTERS is not a CoreModel"),
])
def test_a_spec_that_names_no_model_is_one_line(spec: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        cores.load(spec)
    assert str(caught.value).startswith("--core: ")


def test_using_restores_the_model_active_before() -> None:
    other = CoreModel(name="other", versions=("v2",),
                      contracts={"v2": lending.core.contracts["v2"]},
                      adapters={"v2": lending.core.adapters["v2"]})
    with cores.using(other):
        assert cores.active() is other
    assert cores.active() is lending.core


def test_a_contract_name_is_the_same_wherever_the_files_live(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "contracts" / "gw" / "r1.yaml"
    model = CoreModel(name="gw", versions=("r1",), contracts={"r1": path},
                      adapters={"r1": lending.core.adapters["v2"]})
    assert model.contract_name("r1") == "contracts/gw/r1.yaml"
    loose = CoreModel(name="gw", versions=("r1",), contracts={"r1": tmp_path / "r1.yaml"},
                      adapters={"r1": lending.core.adapters["v2"]})
    assert loose.contract_name("r1") == "r1.yaml"


def test_a_missing_contract_is_named_before_anything_is_served(tmp_path: Path) -> None:
    model = CoreModel(name="gw", versions=("r1",), contracts={"r1": tmp_path / "r1.yaml"},
                      adapters={"r1": lending.core.adapters["v2"]})
    with pytest.raises(InputError, match=r"r1\.yaml: the contract of version r1 of core gw "
                                         r"is missing"):
        model.require_contracts()


def test_prefix_routing_splits_the_version_and_none_leaves_the_path_whole() -> None:
    known = frozenset({"v2"})
    assert Routing().split("/v2/credit-lines/CL1", known) == ("v2", "/credit-lines/CL1")
    assert Routing("none").split("/services/LN01", known) == (None, "/services/LN01")


def test_a_request_that_names_no_version_meets_the_newest_live_on_its_node() -> None:
    plan = VersionPlan(("r1", "r2"), ("r1",))
    assert plan.route(None, NOW).contract == "r1"
    plan.upgrade("r2", NOW)
    assert plan.route(None, NOW).contract == "r2"
    plan = VersionPlan(("r1", "r2"), ("r1",))
    plan.start_rollout("r1", "r2", 0.5, seed=1)
    served = {plan.route(None, NOW).contract for _ in range(64)}
    assert served == {"r1", "r2"}  # old and new nodes both take requests during the rollout
    plan.upgrade("r2", NOW, retire=("r1",))
    plan.live.discard("r2")
    plan.retired.add("r2")
    assert plan.route(None, NOW).outcome == "retired"


def test_the_scenario_loader_names_versions_by_the_active_core(tmp_path: Path) -> None:
    from harness.scenarios.loader import load_scenario

    source = (Path(__file__).resolve().parents[2] / "scenarios" / "line-state" /
              "frozen-line.yaml").read_text()
    path = tmp_path / "s.yaml"
    path.write_text(source)
    assert load_scenario(path).versions == ("v1", "v2", "v3")
    two = CoreModel(name="two", versions=("v2", "v3"),
                    contracts={k: lending.core.contracts[k] for k in ("v2", "v3")},
                    adapters={k: lending.core.adapters[k] for k in ("v2", "v3")})
    with cores.using(two), pytest.raises(InputError, match="unknown version 'v1'"):
        load_scenario(path)


def test_a_library_scenario_whose_story_the_core_cannot_live_does_not_apply() -> None:
    """A core that never upgrades in place has no in-place upgrade failure to meet: the
    library's scenario for it is not for that core (left out of the library, one line when
    named), while the rest of the library still loads."""
    from harness.paths import scenarios_root
    from harness.scenarios.library import load_library
    from harness.scenarios.loader import load_scenario
    from harness.scenarios.translate import NotForThisCore

    strict = CoreModel(name="strict", versions=lending.core.versions,
                       contracts=lending.core.contracts, adapters=lending.core.adapters,
                       evolution=cores.Evolution(in_place=False, rollback=False))
    root = scenarios_root()
    with cores.using(strict):
        with pytest.raises(NotForThisCore, match="needs the core to upgrade in place"):
            load_scenario(root / "integration" / "in-place-upgrade.yaml")
        with pytest.raises(NotForThisCore, match="needs the core to roll back"):
            load_scenario(root / "integration" / "rollback-v3-to-v2.yaml")
        ids = {s.id for s in load_library([root])}
    assert "in-place-upgrade" not in ids and "rollback-v3-to-v2" not in ids
    assert {"frozen-line", "rolling-upgrade-v2-v3"} <= ids
    assert "in-place-upgrade" in {s.id for s in load_library([root])}


def test_a_library_profile_on_such_a_core_leaves_out_what_does_not_apply() -> None:
    from harness.certify.profiles import load_profile, resolve_profile
    from harness.paths import scenarios_root
    from harness.scenarios.library import load_library

    strict = CoreModel(name="strict", versions=lending.core.versions,
                       contracts=lending.core.contracts, adapters=lending.core.adapters,
                       evolution=cores.Evolution(in_place=False))
    full = load_profile(resolve_profile("v2"), load_library([scenarios_root()]))
    assert "in-place-upgrade" in full.must + full.should
    with cores.using(strict):
        profile = load_profile(resolve_profile("v2"), load_library([scenarios_root()]))
    assert "in-place-upgrade" not in profile.must + profile.should
    assert set(profile.must) == set(full.must) - {"in-place-upgrade"}
