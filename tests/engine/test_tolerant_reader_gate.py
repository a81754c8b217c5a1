"""The tolerant-reader rule is a MUST at every version (issue 13, part 3; docs/certification.md).

Each connector crashes on one thing a minor release adds; each fails a MUST scenario of the
default gate at v2 and at v3, with a tolerant-reader finding that names the step where it
crashed, while the reference connector passes the very same runs.
"""

from __future__ import annotations

from typing import Any

import pytest
import strict_readers as s
from engine_helpers import explain, library, run_class

from examples.connectors.reference_py.connector import ReferenceConnector
from harness.certify.profiles import load_profile, resolve_profile

MINOR = "tolerant-reader-minor-release"
CASES: list[tuple[type[Any], str, tuple[str, ...], str]] = [
    # connector, MUST scenario, versions, the step whose answer it could not read
    (s.CrashesOnUnknownEnumValue, MINOR, ("v2", "v3"), "read-unknown-enum-value"),
    (s.CrashesOnUnknownEnumValue, "additive-suspended-v2", ("v2",), "read-suspended"),
    (s.CrashesOnUnknownField, MINOR, ("v2", "v3"), "read-unknown-fields"),
    (s.CrashesOnUnknownNestedField, MINOR, ("v2", "v3"), "read-unknown-fields"),
    (s.CrashesOnUnknownHeaderValue, MINOR, ("v2", "v3"), "read-unknown-fields"),
    (s.CrashesOnProblemExtensions, MINOR, ("v2", "v3"), "refused-with-extensions"),
    # at v3 its closed table is the one it wrote for v2: LINE_SUSPENDED (v3-09) is the code
    # it cannot know (docs/certification.md, "An unknown reason code at v3")
    (s.CrashesOnUnknownReasonCode, "additive-suspended-v2", ("v2", "v3"), "draw-suspended"),
]


@pytest.mark.parametrize(("connector", "scenario", "versions", "step"), CASES,
                         ids=[f"{c[0].__name__}-{c[1]}" for c in CASES])
def test_a_connector_that_crashes_on_an_addition_fails_a_must_scenario(
        connector: type[Any], scenario: str, versions: tuple[str, ...], step: str) -> None:
    for version in versions:
        assert scenario in load_profile(resolve_profile(version), list(library())).must
    results = run_class(connector, versions, [scenario])
    assert [r.version for r in results] == list(versions)
    for result in results:
        assert result.verdict == "fail", explain([result])
        steps = {f.step for f in result.findings if f.oracle == "tolerant-reader"}
        assert step in steps, explain([result])
    references = run_class(ReferenceConnector, versions, [scenario])
    assert all(r.passed for r in references), explain(references)
