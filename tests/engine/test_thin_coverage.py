"""Each rule is covered by more than one shape of its defect, on more than one step.

amount-precision books short under every float-truncation shape on at least two draw-downs;
pending-activation-flow reads the line, so a connector that reports a pending line as ACTIVE
fails it (faithful-read), whatever the reason it says ACTIVE. All at v2 and v3, on MUST
scenarios, while the reference passes the same runs.
"""

from __future__ import annotations

from typing import Any

import pytest
import thin_coverage as t
from engine_helpers import explain, library, run_class

from examples.connectors.reference_py.connector import ReferenceConnector
from harness.certify.profiles import load_profile, resolve_profile

VERSIONS = ("v2", "v3")
FLOATS = [t.MinorRoundTrip, t.FloatFromDecimalText, t.CentFactor, t.DecimalOfFloat]
PENDING = [t.PendingLineAsActive, t.StatusFromAvailable]


def steps_fired(connector: type[Any], scenario: str, oracle: str) -> list[set[str]]:
    for version in VERSIONS:
        assert scenario in load_profile(resolve_profile(version), list(library())).must
    results = run_class(connector, VERSIONS, [scenario])
    assert [r.version for r in results] == list(VERSIONS)
    assert all(r.verdict == "fail" for r in results), explain(results)
    return [{f.step for f in r.findings if f.oracle == oracle} for r in results]


@pytest.mark.parametrize("connector", FLOATS, ids=[c.__name__ for c in FLOATS])
def test_every_float_truncation_shape_books_short_on_several_steps(connector: type[Any],
                                                                   ) -> None:
    for steps in steps_fired(connector, "amount-precision", "amount-fidelity"):
        assert len(steps) >= 2, steps
        assert steps <= {"odd-cents", "small", "float-trap-1024", "float-trap-20971",
                         "float-trap-cents"}


@pytest.mark.parametrize("connector", PENDING, ids=[c.__name__ for c in PENDING])
def test_a_pending_line_reported_active_fails_the_must_activation_flow(connector: type[Any],
                                                                       ) -> None:
    for steps in steps_fired(connector, "pending-activation-flow", "faithful-read"):
        assert steps == {"read-pending"}


def test_the_reference_passes_both_scenarios() -> None:
    results = run_class(ReferenceConnector, VERSIONS,
                        ["amount-precision", "pending-activation-flow"])
    assert len(results) == 4 and all(r.passed for r in results), explain(results)
