"""The scenario library on a core that names its versions and operations otherwise.

A temporary core model calls the built-in v2 and v3 ``r1`` and ``r2`` and books drawdowns with
``loan.drawdown``: the library's scenarios load in its names (versions, assumes, byVersion keys,
served versions, upgrade events, fault targets), those that need v1 do not apply, and the
library's profiles are the profiles of the mapped versions.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fake_core_bank import cores
from fake_core_bank.cores import CoreModel
from fake_core_bank.errors import InputError
from fake_core_bank.http.adapters.v2 import V2
from fake_core_bank.http.adapters.v3 import V3
from fake_core_bank.lending import core as lending
from harness.certify.profiles import load_profile, resolve_profile
from harness.scenarios.library import load_library
from harness.scenarios.loader import load_scenario
from harness.scenarios.model import Event
from harness.scenarios.translate import NotForThisCore, to_core

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "scenarios"


class R1(V2):
    version = "r1"


class R2(V3):
    version = "r2"


def renamed(**extra: Any) -> CoreModel:
    return CoreModel(name="renamed", versions=("r1", "r2"),
                     contracts={"r1": lending.contracts["v2"], "r2": lending.contracts["v3"]},
                     adapters={"r1": R1(), "r2": R2()},
                     library_versions={"v2": "r1", "v3": "r2"},
                     operation_names={"createDrawdown": "loan.drawdown"}, **extra)


@pytest.fixture
def core() -> Iterator[CoreModel]:
    with cores.using(renamed()) as model:
        yield model


@pytest.mark.usefixtures("core")
def test_versions_and_by_version_keys_are_the_cores() -> None:
    scenario = load_scenario(LIBRARY / "line-state" / "frozen-before-settlement.yaml")
    assert scenario.versions == ("r2",)
    accepted = next(s for s in scenario.timeline if s.name == "accepted")
    assert sorted(accepted.expect.by_version) == ["r1"]  # type: ignore[attr-defined]
    assert sorted(scenario.expect.disbursed_by_version) == ["r1"]


@pytest.mark.usefixtures("core")
def test_fault_targets_are_the_cores_operation_ids() -> None:
    scenario = load_scenario(LIBRARY / "fault" / "dropped-before-processing.yaml")
    [fault] = [s for s in scenario.timeline if isinstance(s, Event) and s.kind == "fault"]
    assert fault.fields["match"].operation == "loan.drawdown"


@pytest.mark.usefixtures("core")
def test_upgrade_events_are_translated() -> None:
    scenario = load_scenario(LIBRARY / "integration" / "rolling-upgrade-v2-v3.yaml")
    [rolling] = [s for s in scenario.timeline
                 if isinstance(s, Event) and s.kind == "rolling-upgrade"]
    assert (rolling.fields["from"], rolling.fields["to"]) == ("r1", "r2")


@pytest.mark.usefixtures("core")
def test_a_scenario_that_needs_an_unmapped_version_does_not_apply() -> None:
    with pytest.raises(NotForThisCore) as caught:
        load_scenario(LIBRARY / "integration" / "upgrade-retires-v1.yaml")
    assert "which core renamed does not map" in str(caught.value)
    assert "library_versions" in str(caught.value)
    # ... and loading the library leaves it out, keeping the rest in the core's names
    scenarios = load_library([LIBRARY])
    ids = {s.id for s in scenarios}
    assert "upgrade-retires-v1" not in ids and "frozen-before-settlement" in ids
    assert all(set(s.versions) <= {"r1", "r2"} for s in scenarios)
    assert all(set(s.given.serve or ()) <= {"r1", "r2"} for s in scenarios)


def test_a_library_profile_is_the_profile_of_the_mapped_version(core: CoreModel) -> None:
    library = load_library([LIBRARY])
    profile = load_profile(resolve_profile("v2"), library)
    assert profile.version == "r1"
    listed = {*profile.must, *profile.should}
    assert "frozen-line" in listed and "upgrade-retires-v1" not in listed
    with pytest.raises(InputError, match="version v1, which core renamed does not map"):
        load_profile(resolve_profile("v1"), library)


def test_the_built_in_core_reads_the_library_as_written() -> None:
    data = {"versions": ["v1", "v2"], "timeline": []}
    assert to_core(data, lending, "x") is data
    assert lending.library_version("v2") == "v2" and lending.library_version("r1") is None
    assert lending.operation_name("createDrawdown") == "createDrawdown"


def test_a_mapping_to_a_version_the_core_lacks_is_refused() -> None:
    with pytest.raises(InputError, match="maps library versions to undeclared version"):
        CoreModel(name="bad", versions=("r1",), contracts={"r1": lending.contracts["v2"]},
                  adapters={"r1": R1()}, library_versions={"v2": "r9"})


def test_a_fault_target_follows_the_scenario_operation_without_a_second_table() -> None:
    """A core that names its operations (``operations``) needs no ``operation_names`` for them:
    the library's createDrawdown is the operation that draws down on the core."""
    from fake_core_bank import lending
    from fake_core_bank.cores import CoreModel
    from harness.scenarios.translate import operation_on

    renamed = CoreModel(name="renamed", versions=lending.core.versions,
                        contracts=lending.core.contracts, adapters=lending.core.adapters,
                        operations={**lending.core.operations, "draw-down": "loan.drawdown"},
                        operation_names={"getCustomer": "party.read"})
    assert operation_on(renamed, "createDrawdown") == "loan.drawdown"
    assert operation_on(renamed, "getCreditLine") == "getCreditLine"
    assert operation_on(renamed, "getCustomer") == "party.read"
    assert operation_on(renamed, "listDrawdowns") == "listDrawdowns"
