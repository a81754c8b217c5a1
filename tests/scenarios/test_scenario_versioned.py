"""Expectations per version used: ``assumes`` and ``byVersion`` load, round-trip and choose.

The engine's half (the version used, read from the journal) is tested in
tests/engine/test_version_used.py.
"""

from __future__ import annotations

from harness.scenarios import dump_scenario
from harness.scenarios.loader import load_scenario_text
from harness.scenarios.model import Money, Scenario
from harness.scenarios.versioned import disbursed_for, step_expect_for

TEXT = """\
format: drawbridge/scenario@1
id: versioned-example
title: expectations per version (test)
cause: line-state
versions: [v3]
{assumes}
given:
  clock: "2026-03-02T09:00:00+08:00"
  customers: [{{id: ENT000001}}]
  lines: [{{id: CL000001, customer: ENT000001, limit: 300000.00 CNY}}]
timeline:
  - at: +1h
    do: draw-down
    name: accepted
    line: CL000001
    amount: 1000.00 CNY
    expect:
      outcome: pending
      byVersion:
        v2: {{outcome: succeeded}}
expect:
  disbursed: 0.00 CNY
  byVersion:
    v2: {{disbursed: 1000.00 CNY}}
"""


def load(assumes: str = "") -> Scenario:
    return load_scenario_text(TEXT.format(assumes=assumes), "<test>")


def test_by_version_loads_typed_and_round_trips() -> None:
    scenario = load("assumes: [v2, v3]")
    [op] = scenario.operations
    assert op.expect is not None
    assert op.expect.outcomes == ("pending",)
    assert op.expect.by_version["v2"].outcomes == ("succeeded",)
    assert scenario.assumes == ("v2", "v3")
    assert scenario.expect.disbursed_by_version["v2"] == Money(100000, "CNY")
    text = dump_scenario(scenario)
    assert "byVersion" in text and "assumes" in text
    assert load_scenario_text(text, "<dumped>") == scenario


def test_without_assumes_the_default_holds_for_every_version_used() -> None:
    scenario = load()
    assert scenario.assumes is None
    expect = scenario.operations[0].expect
    assert step_expect_for(scenario, expect, "v3").expect == expect
    assert step_expect_for(scenario, expect, "v1").expect == expect  # no byVersion for v1
    assert step_expect_for(scenario, expect, None).expect == expect  # sent nothing: default


def test_the_version_used_picks_its_own_expectation() -> None:
    scenario = load()
    expect = scenario.operations[0].expect
    assert expect is not None
    chosen = step_expect_for(scenario, expect, "v2")
    assert chosen.expect == expect.by_version["v2"] and chosen.basis == "byVersion v2"
    assert disbursed_for(scenario, ["v2"]) == (Money(100000, "CNY"), "byVersion v2")
    assert disbursed_for(scenario, ["v3"]) == (Money(0, "CNY"), None)
    # Draw-downs through two versions: no single version's total applies, the default does.
    assert disbursed_for(scenario, ["v2", "v3"])[0] == Money(0, "CNY")


def test_a_version_outside_assumes_is_not_judged_and_says_why() -> None:
    scenario = load("assumes: [v3]")
    expect = scenario.operations[0].expect
    chosen = step_expect_for(scenario, expect, "v1")
    assert chosen.expect is None
    assert chosen.basis == ("not judged: the expectations assume a connector speaking v3; "
                            "it used v1")
    assert disbursed_for(scenario, ["v1"])[0] is None
    # byVersion wins over assumes: v2 is stated explicitly.
    assert step_expect_for(scenario, expect, "v2").basis == "byVersion v2"
