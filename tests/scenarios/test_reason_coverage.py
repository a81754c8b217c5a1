"""Every reason a connector can be refused with at v2 and v3 is one a MUST scenario demands.

A connector whose table of reason codes lacks one passes every scenario that never makes it
report that reason: the gate cannot see the gap (a table without POLICY_FIELD_REQUIRED passed
the default gate until purpose-code-required refused a purpose the policy does not allow). A
step demands a reason when ``rejected`` is the only outcome it accepts; a step that also
accepts ``succeeded`` (a maintenance window a connector may wait out) does not. The reasons no
MUST scenario demands are named below with why, so a new one cannot slip in unseen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.certify.profiles import load_profile, resolve_profile
from harness.scenarios.library import load_library
from harness.scenarios.model import Operation, StepExpect
from harness.scenarios.vocabulary import REASON_CODES

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"

NOT_DEMANDED = {
    "NOT_FOUND": "a scenario names only lines it declares (the loader's guard against typos), so "
                 "no step can address a line the bank does not have",
    "MAINTENANCE": "every window ends within the references' patience: a connector may wait it "
                   "out and succeed, so no step can demand that it give up",
    "READ_ONLY": "as MAINTENANCE",
    "VERSION_RETIRED": "judged by successor-migration: a connector that declares the successor "
                       "moves on; one that does not must report it (sunset-retires-version)",
}


def _demanded(operation: Operation, version: str) -> tuple[str, ...]:
    expect: StepExpect = operation.expect.by_version.get(version, operation.expect)
    return expect.reasons if expect.outcomes == ("rejected",) else ()


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_every_reason_but_the_named_few_is_demanded_by_a_must_scenario(version: str) -> None:
    library = load_library([SCENARIOS])
    must = set(load_profile(resolve_profile(version), list(library)).must)
    demanded = {reason for scenario in library if scenario.id in must
                and version in scenario.versions for op in scenario.operations
                for reason in _demanded(op, version)}
    assert demanded.isdisjoint(NOT_DEMANDED), sorted(demanded & set(NOT_DEMANDED))
    banks = set(REASON_CODES) - {"UNKNOWN"}  # UNKNOWN: the connector's word, not the bank's
    assert banks - demanded == set(NOT_DEMANDED)
