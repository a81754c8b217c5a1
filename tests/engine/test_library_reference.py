"""The scenario library against the reference connectors: every scenario passes, v2 and v3.

This is the library's own test as much as the connectors': a scenario whose expectations a
correct connector cannot meet is a broken scenario.
"""

from __future__ import annotations

import shutil
from collections import Counter

import pytest
from engine_helpers import NODE, REFERENCE, explain, library, run

CAUSES = ("integration", "business-rule", "policy", "line-state", "maintenance", "fault")


def test_the_library_covers_every_cause_of_the_article() -> None:
    scenarios = library()
    assert len(scenarios) >= 22
    by_cause = Counter(s.cause for s in scenarios)
    assert set(by_cause) == set(CAUSES), by_cause
    for s in scenarios:
        assert s.source is not None
        assert s.source.path.endswith(f"scenarios/{s.cause}/{s.id}.yaml"), s.source.path
        assert s.description and "(" in s.title, f"{s.id}: title needs Chinese and English"


def test_every_scenario_that_moves_money_states_the_exact_total() -> None:
    for s in library():
        draws = [step for step in s.timeline if getattr(step, "kind", None) == "draw-down"]
        if draws:
            assert s.expect.disbursed is not None, f"{s.id} draws but has no expect.disbursed"
        for step in s.timeline:
            if hasattr(step, "expect"):
                assert step.expect is not None, f"{s.id}: {step.name} has no expectation"


@pytest.mark.slow
def test_reference_python_connector_passes_the_whole_library_at_v2_and_v3() -> None:
    results = run(REFERENCE, ["v2", "v3"])
    assert len(results) == sum(("v2" in s.versions) + ("v3" in s.versions) for s in library())
    assert all(r.passed for r in results), explain(results)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js 20+ on PATH")
def test_reference_node_connector_passes_the_whole_library_at_v2_and_v3() -> None:
    results = run(NODE, ["v2", "v3"])
    assert {r.connector.name for r in results} == {"reference-node"}
    assert all(r.passed for r in results), explain(results)
