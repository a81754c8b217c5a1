"""`drawbridge diff OLD NEW --emit-scenarios DIR`: one scenario per operation that client-breaking
changes reach, listing every change it covers.

The scenarios put a connector built for OLD in front of a core that upgrades to NEW in place
(OLD's URLs answer with NEW's contract), and ask the operation the change sits in to succeed.
A connector that speaks NEW passes them. The legacy v1 connector fails them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from diff_helpers import load, write

from harness.cli.main import main
from harness.contracts import Audience, Severity, diff_files, load_contract
from harness.contracts.document import compare_contracts
from harness.contracts.emit import client_breaking, emit_scenarios
from harness.scenarios import load_scenario
from harness.scenarios.model import Event, Operation

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts" / "core-banking"
LEGACY = "python:examples.connectors.legacy_v1.connector:LegacyV1Connector"
REFERENCE = "python:examples.connectors.reference_py.connector:ReferenceConnector"


def emit(old: str, new: str, out: Path):
    a, b = load_contract(CONTRACTS / f"{old}.yaml"), load_contract(CONTRACTS / f"{new}.yaml")
    changes = compare_contracts(a, b)
    return changes, *emit_scenarios(changes, a, b, out)


@pytest.fixture(scope="module")
def v1_v2(tmp_path_factory):
    """v1 -> v2 emitted once for the module."""
    out = tmp_path_factory.mktemp("v1-v2")
    return out, *emit("v1", "v2", out)


def cli(capsys, *args) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in args])
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(exit_info.value.code or 0), out.out, out.err


@pytest.mark.parametrize(("old", "new"), [("v1", "v2"), ("v2", "v3")])
def test_every_client_breaking_change_is_in_one_loadable_scenario(tmp_path, v1_v2, old, new):
    if old == "v1":
        tmp_path, changes, written, skipped = v1_v2
    else:
        changes, written, skipped = emit(old, new, tmp_path)
    breaking = [c for c in changes if c.severity is Severity.BREAKING
                and c.audience in (Audience.CLIENTS, Audience.BOTH)]
    assert sorted(tmp_path.iterdir()) == sorted(written)  # nothing else is written
    # only the operations no scenario operation can call are skipped
    assert {s.change.operation for s in skipped} <= {
        "GET /credit-lines/{lineId}/drawdowns", "GET /customers/{customerId}", "GET /system/status"}
    covered = []
    for path in written:
        scenario = load_scenario(path)
        assert scenario.id == path.stem and scenario.id.startswith(f"diff-{old}-{new}-")
        assert scenario.versions == (new,)
        assert scenario.given.serve == (old, new)
        assert scenario.cause == "integration"
        upgrades = [s for s in scenario.timeline if isinstance(s, Event)]
        assert len(upgrades) == 1 and upgrades[0].kind == "upgrade"
        assert upgrades[0].fields["to"] == new and upgrades[0].fields["inPlace"] is True
        assert upgrades[0].fields["retire"] == ()
        exercise = scenario.step("exercise")
        assert exercise.at > upgrades[0].at  # set-up on OLD, the exercise on the new core
        assert [c.id for c in scenario.given.customers] == ["ENT000001"]
        assert str(scenario.given.line("CL000001").limit) == "300000.00 CNY"
        covered += [c for c in breaking if f"- {c.rule} (breaking, breaks {c.audience.value}) "
                    f"at {c.location}" in (scenario.description or "")]
    # each client-breaking change is either listed by exactly one scenario or skipped, with
    # its reason; none is lost and none is listed twice
    assert len(covered) + len(skipped) == len(breaking) > 0
    assert {id(c) for c in covered} | {id(s.change) for s in skipped} == {id(c) for c in breaking}


def test_one_scenario_per_operation_the_changes_reach(tmp_path, v1_v2):
    _, _, written12, _ = v1_v2
    assert [p.name for p in written12] == [
        "diff-v1-v2-get-line.yaml", "diff-v1-v2-draw-down.yaml", "diff-v1-v2-get-drawdown.yaml",
        "diff-v1-v2-repay.yaml"]  # activate is new in v2: no v1 change sits in it
    _, written, skipped = emit("v2", "v3", tmp_path)
    exercised = {}
    for path in written:
        scenario = load_scenario(path)
        op = scenario.step("exercise")
        assert isinstance(op, Operation)
        exercised[scenario.id] = (op.kind, scenario.tags[2:])
    assert exercised == {
        # every operation meets the new prefix; expiryDate -> expiresOn, also in the list
        "diff-v2-v3-get-line": ("get-line", ("base-path-changed", "response-property-renamed")),
        # purposeCode became required; 202 instead of 201
        "diff-v2-v3-draw-down": ("draw-down", ("request-property-became-required",
                                               "success-status-added")),
        # expiryDate -> expiresOn in the activation answer
        "diff-v2-v3-activate": ("activate", ("response-property-renamed",)),
    }
    draw = load_scenario(tmp_path / "diff-v2-v3-draw-down.yaml")
    assert "(2 breaking changes)" in draw.title
    assert "- request-property-became-required (breaking, breaks clients) at POST " \
           "/credit-lines/{lineId}/drawdowns request body .purposeCode (schema " \
           "DrawdownRequest.purposeCode): property 'purposeCode' became required" in (
               draw.description or "")
    activation = load_scenario(tmp_path / "diff-v2-v3-activate.yaml")
    assert activation.given.line("CL000001").status == "PENDING_ACTIVATION"
    assert sorted(str(s.change.pointer) for s in skipped) == [
        "response 200 .page", "response 200 .size", "response 200 .total"]


def test_repay_and_get_drawdown_draw_down_first(v1_v2):
    _, _, written, _ = v1_v2
    kinds = {}
    for path in written:
        scenario = load_scenario(path)
        kinds[scenario.step("exercise").kind] = [
            s.kind for s in scenario.timeline if isinstance(s, Operation)]
    assert kinds["repay"] == ["draw-down", "get-drawdown", "repay"]
    assert kinds["get-drawdown"] == ["draw-down", "get-drawdown"]
    assert kinds["get-line"] == ["get-line"]


def test_the_same_diff_writes_identical_files(tmp_path, v1_v2):
    emit("v1", "v2", tmp_path / "b")
    a = {p.name: p.read_bytes() for p in v1_v2[0].iterdir()}
    b = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert a == b and len(a) == 4


def test_cli_keeps_stdout_for_the_report_and_lists_skipped_changes(capsys, tmp_path):
    code, out, err = cli(capsys, "diff", CONTRACTS / "v2.yaml", CONTRACTS / "v3.yaml",
                         "--format", "json", "--emit-scenarios", tmp_path / "emitted")
    assert code == 1  # breaking changes: diff's own exit code is unchanged
    report = json.loads(out)
    assert any(c["schemas"] == ["DrawdownRequest.purposeCode"] for c in report["changes"])
    assert "emitted 3 scenario(s)" in err and "skipped 3 client-breaking change(s)" in err
    assert "skipped response-property-removed at GET /credit-lines/{lineId}/drawdowns " \
           "response 200 .page: listDrawdowns" in err
    assert len(list((tmp_path / "emitted").glob("*.yaml"))) == 3


def test_two_drafts_of_one_version_are_refused(capsys, tmp_path):
    new = load()
    new["components"]["schemas"]["Drawdown"]["required"].append("purposeCode")
    code, _, err = cli(capsys, "diff", write(tmp_path / "old.json", load()),
                       write(tmp_path / "new.json", new), "--emit-scenarios", tmp_path / "x")
    assert code == 2
    assert "OLD and NEW are both v1" in err and err.count("\n") == 1


def test_client_breaking_means_breaking_for_clients_or_both():
    changes = diff_files(CONTRACTS / "v2.yaml", CONTRACTS / "v3.yaml")
    picked = client_breaking(changes)
    assert {c.audience for c in picked} <= {Audience.CLIENTS, Audience.BOTH}
    assert all(c.severity is Severity.BREAKING for c in picked)
    # a provider-only break (v3's required Location header on 202) is not a client scenario
    assert not any(c.audience is Audience.PROVIDERS for c in picked)


@pytest.mark.slow
def test_the_legacy_v1_connector_fails_what_a_v2_connector_passes(capsys, tmp_path, v1_v2):
    _, _, written, _ = v1_v2
    chosen = sorted(written)  # get-line, draw-down, get-drawdown, repay
    assert len(chosen) == 4
    legacy = cli(capsys, "run", *chosen, "--connector", LEGACY, "--versions", "v2",
                 "--out", tmp_path / "legacy", "--no-progress")
    reference = cli(capsys, "run", *chosen, "--connector", REFERENCE, "--versions", "v2",
                    "--out", tmp_path / "reference", "--no-progress")
    assert legacy[0] == 1
    results = json.loads((tmp_path / "legacy" / "results.json").read_text(encoding="utf-8"))
    assert len(results["results"]) == 4
    assert all(r["findings"] for r in results["results"])  # every scenario caught it
    assert reference[0] == 0  # the scenarios are passable: the failure is the old connector's
