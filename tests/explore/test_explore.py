"""Exploration finds a planted defect within a small budget, deterministically, and the scenario
it writes reproduces the defect (and nothing else)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings

from harness.cli.main import cli
from harness.drivers import driver_factory
from harness.engine.runner import RunOptions
from harness.explore import Judge, explore, scenarios
from harness.playback import ResponsesBank
from harness.scenarios import load_scenario
from harness.scenarios.loader import reload_scenario
from harness.scenarios.model import Event, Operation

ROOT = Path(__file__).resolve().parents[2]
PLANTED = "python:tests.explore.planted:BlindRetryConnector"
REFERENCE = "python:examples.connectors.reference_py:ReferenceConnector"


@settings(max_examples=60, database=None, deadline=None, phases=[Phase.generate],
          suppress_health_check=list(HealthCheck))
@given(scenarios("v2", max_steps=8))
def test_generated_scenarios_are_valid_by_construction(scenario) -> None:
    loaded = reload_scenario(scenario)  # raises InputError for anything the loader would refuse
    assert len(loaded.timeline) == len(scenario.timeline)
    drawdowns = set()
    for step in loaded.timeline:
        if isinstance(step, Operation):
            if step.kind == "get-drawdown":
                assert step.ref in drawdowns
            if step.kind == "draw-down":
                drawdowns.add(step.name)
        if isinstance(step, Event) and step.kind == "lock":
            assert step.fields["until"] > step.at


def run(spec: str, tmp: Path, budget: int = 30, seed: int = 0):
    make_driver, identity = driver_factory(spec)
    with Judge("v2", make_driver, identity, RunOptions(seed=seed),
               bank_factory=ResponsesBank) as judge:
        return explore(judge, budget=budget, seed=seed, out=tmp)


def test_a_blind_retry_is_found_within_30_examples_and_the_file_reproduces_it(
        tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    found = run(PLANTED, tmp_path / "a")
    keys = [(d.oracle, d.kind) for d in found]
    assert ("no-double-disbursement", "draw-down") in keys
    discovery = found[keys.index(("no-double-disbursement", "draw-down"))]
    assert discovery.path is not None and discovery.path.exists()
    written = load_scenario(discovery.path)
    # minimal: the fault that loses the answer, and the drawdown that meets it
    assert [getattr(s, "kind", None) for s in written.timeline] == ["fault", "draw-down"]
    make_driver, identity = driver_factory(PLANTED)
    with Judge("v2", make_driver, identity, RunOptions(),
               bank_factory=ResponsesBank) as judge:
        assert "no-double-disbursement" in {f.oracle for f in judge.run(written).findings}
    make_driver, identity = driver_factory(REFERENCE)
    with Judge("v2", make_driver, identity, RunOptions(),
               bank_factory=ResponsesBank) as judge:
        assert judge.run(written).passed  # the defect is the connector's, not the scenario's


def test_the_same_seed_finds_the_same_failures_and_writes_the_same_files(
        tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    first = run(PLANTED, tmp_path / "a", budget=15, seed=4)
    second = run(PLANTED, tmp_path / "b", budget=15, seed=4)
    assert [(d.oracle, d.kind, d.example) for d in first] == \
        [(d.oracle, d.kind, d.example) for d in second]
    assert first, "the planted defect should show within 15 examples"
    for a, b in zip(first, second, strict=True):
        assert a.path is not None and b.path is not None
        assert a.path.read_text() == b.path.read_text()


def test_explore_cli_exits_1_and_names_what_it_wrote(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "explore"
    result = CliRunner().invoke(cli, ["explore", "--connector", PLANTED, "--budget", "10",
                                      "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "no-double-disbursement on draw-down" in result.output
    assert (out / "explore-no-double-disbursement-draw-down.yaml").exists()


def test_explore_accepts_python_in_process_specs_for_the_responses_transport(
        tmp_path: Path, monkeypatch) -> None:
    """Issue 15 follow-up: ``--transport responses`` refused ``python-in-process:`` (it checked
    for ``python:`` only), and ``auto`` picked loopback for it."""
    monkeypatch.chdir(ROOT)
    spec = PLANTED.replace("python:", "python-in-process:", 1)
    for transport in ("responses", "auto"):
        out = tmp_path / transport
        result = CliRunner().invoke(cli, ["explore", "--connector", spec, "--budget", "3",
                                          "--transport", transport, "--out", str(out),
                                          "--no-progress"])
        assert result.exit_code in (0, 1), result.output
        assert "responses" in result.output.splitlines()[0], result.output
