"""The engine judges by the contract version the connector used, read from the journal.

A v3 core still serves v2: a connector speaking only v2 books synchronously there, so v3's
"pending, then rejected" is not what it can truthfully report (issue 13, part 2).
"""

from __future__ import annotations

import speaks_v2_only as v2
from engine_helpers import explain, oracles_fired, run_class

from examples.connectors.reference_py.connector import ReferenceConnector


def test_a_v2_only_connector_is_judged_by_v2s_expectations_on_a_v3_core() -> None:
    [result] = run_class(v2.SpeaksV2Only, ["v3"], ["frozen-before-settlement"])
    assert result.passed, explain([result])
    assert result.versions_used == ["v2"]
    assert {o.step: (o.version_used, o.expect_basis) for o in result.operations} == {
        "accepted": ("v2", "byVersion v2"), "settled-rejected": ("v2", "byVersion v2")}
    data = result.to_dict()
    assert data["versionsDeclared"] == ["v2"] and data["versionsUsed"] == ["v2"]
    assert data["operations"][0]["versionUsed"] == "v2"


def test_v2s_expectations_still_fail_what_v2_gets_wrong() -> None:
    # "pending" is what v3 expects of the first step; through v2 the answer is final.
    [result] = run_class(v2.V2OnlyReportsPendingForever, ["v3"], ["frozen-before-settlement"])
    assert result.verdict == "fail", explain([result])
    findings = {f.step: f.expected for f in result.findings if f.oracle == "expected-outcome"}
    assert findings == dict.fromkeys(("accepted", "settled-rejected"),
                                     "succeeded (the scenario's expectation for v2)")


def test_a_connector_speaking_v3_is_held_to_v3s_expectations() -> None:
    [result] = run_class(ReferenceConnector, ["v3"], ["frozen-before-settlement"])
    assert result.passed, explain([result])
    assert result.versions_used == ["v3"]
    assert all(o.expect_basis is None for o in result.operations)
    assert "expected-outcome" not in oracles_fired(result)
