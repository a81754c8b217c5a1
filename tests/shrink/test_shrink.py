"""Shrinking: a padded failing scenario is cut down to the steps that make it fail."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from harness.bundles import build_bundle, write_bundle
from harness.cli.main import cli
from harness.drivers import driver_factory
from harness.engine.runner import RunOptions
from harness.explore.judge import Judge
from harness.playback import ResponsesBank
from harness.scenarios import load_scenario
from harness.shrink import shrink, without

ROOT = Path(__file__).resolve().parents[2]
LEGACY = "python:examples.connectors.legacy_v1:LegacyV1Connector"

PADDED = """\
format: drawbridge/scenario@1
id: padded-lost-response
title: a lost answer buried in noise
cause: fault
versions: [v2]
given:
  clock: "2026-03-02T09:00:00+08:00"
  customers:
    - {id: ENT000001, region: "330100"}
    - {id: ENT000002, region: "330100"}
  lines:
    - {id: CL000001, customer: ENT000001, limit: 300000.00 CNY}
    - id: CL000002
      customer: ENT000002
      limit: 50000.00 CNY
      preconditions: [{code: SHAREHOLDER_GUARANTEE}]
  policies:
    - {id: zj-soft, region: "330000", effective: "2026-03-01T00:00:00+08:00",
       maxDrawdown: 250000.00 CNY}
timeline:
  - {at: +10m, event: freeze, line: CL000002}
  - {at: +20m, do: get-line, name: look-first, line: CL000001}
  - {at: +30m, event: unfreeze, line: CL000002}
  - {at: +40m, event: satisfy-precondition, line: CL000002, code: SHAREHOLDER_GUARANTEE}
  - {at: +50m, do: draw-down, name: other-line, line: CL000002, amount: 1000.00 CNY,
     purpose: WC01}
  - {at: +55m, do: get-drawdown, name: other-status, ref: other-line}
  - {at: +1h, event: fault, kind: lost-response, match: {operation: createDrawdown,
     line: CL000001}}
  - {at: +1h, do: draw-down, name: answer-lost, line: CL000001, amount: 100000.00 CNY,
     purpose: WC01, expect: {outcome: [succeeded, pending]}}
  - {at: +2h, event: advance, by: 1h}
  - {at: +4h, do: get-line, name: read-after, line: CL000001, expect: {outcome: succeeded}}
  - {at: +5h, event: remove-policy, id: zj-soft}
expect:
  disbursed: 101000.00 CNY
"""


def padded(tmp_path: Path):
    path = tmp_path / "padded.yaml"
    path.write_text(PADDED, encoding="utf-8")
    return load_scenario(path)


def test_removing_a_unit_takes_what_depends_on_it(tmp_path: Path) -> None:
    scenario = padded(tmp_path)
    no_line = without(scenario, {("line", "CL000002")})
    assert no_line is not None
    assert [s.name for s in no_line.timeline] == ["look-first", "step-6", "answer-lost",
                                                  "step-8", "read-after", "step-10"]
    no_draw = without(scenario, {("step", "other-line")})
    assert no_draw is not None and "other-status" not in [s.name for s in no_draw.timeline]
    # a policy removal without its policy would not load: the candidate is refused
    assert without(scenario, {("policy", "zj-soft")}) is None
    assert without(scenario, {("step", s.name) for s in scenario.timeline}) is None


def test_shrink_cuts_a_padded_failure_down_to_the_fault_and_the_drawdown(tmp_path: Path) -> None:
    scenario = padded(tmp_path)
    make_driver, identity = driver_factory(LEGACY)
    with Judge("v2", make_driver, identity, RunOptions(),
               bank_factory=ResponsesBank) as judge:
        fails = judge.fails("no-double-disbursement")
        assert fails(scenario)
        result = shrink(scenario, fails)
    small = result.scenario
    assert [(type(s).__name__, getattr(s, "kind", None)) for s in small.timeline] == [
        ("Event", "fault"), ("Operation", "draw-down")]
    assert [ln.id for ln in small.given.lines] == ["CL000001"]
    assert [c.id for c in small.given.customers] == ["ENT000001"]
    assert small.given.policies == () and small.expect.disbursed is None
    assert result.runs < 60


def test_shrink_cli_writes_a_minimal_scenario_that_still_fails(tmp_path: Path,
                                                               monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    scenario = padded(tmp_path)
    make_driver, identity = driver_factory(LEGACY)
    with Judge("v2", make_driver, identity, RunOptions()) as judge:
        result = judge.run(scenario)
    bundle = write_bundle(build_bundle(scenario, result, RunOptions()), tmp_path)
    out = tmp_path / "min.yaml"
    runner = CliRunner().invoke(cli, ["shrink", str(bundle), "--out", str(out)])
    assert runner.exit_code == 0, runner.output
    assert "11 steps -> 2 (still fails no-double-disbursement" in runner.output
    small = load_scenario(out)
    assert len(small.timeline) == 2 and small.seed == 0 and small.versions == ("v2",)
    with Judge("v2", make_driver, identity, RunOptions()) as judge:
        assert "no-double-disbursement" in {f.oracle for f in judge.run(small).findings}
