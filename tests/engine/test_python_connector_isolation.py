"""``python:`` connectors run in a child process per scenario run, and each run's bank is
fenced (issue 15 item 2).

``os._exit`` in a connector fails its operation with the reason and the run goes on; an
operation that times out cannot book later (its process is killed, or, in process, its late
request is refused by the bank as belonging to an earlier run and journaled as such).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from engine_helpers import REPO, scenarios
from test_connector_processes import bounded

from harness.drivers import driver_factory
from harness.engine.bank import LocalBank
from harness.engine.runner import RunOptions, bank_config
from harness.engine.session import plan, run_plan
from harness.engine.world import initial_state

CONNECTORS = Path(__file__).resolve().parent / "connectors"
FIRST, NEXT = "amount-precision", "revolving-repayment"  # both draw on active CL000001 first


@pytest.fixture(autouse=True)
def _connectors_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(CONNECTORS))


def _run(spec: str, ids: list[str], op_timeout: float = 30.0):  # type: ignore[no-untyped-def]
    make_driver, identity = driver_factory(spec)
    results, interrupted = bounded(lambda: run_plan(
        plan(scenarios(ids), ["v2"]), make_driver, identity, RunOptions(op_timeout=op_timeout)),
        seconds=300)
    assert not interrupted
    return results


def _api_drawdowns(result) -> list[dict]:  # type: ignore[no-untyped-def]
    return [d for d in result.snapshot.get("drawdowns", []) if d.get("channel") == "api"]


def test_os_exit_in_a_python_connector_fails_the_operation_and_the_run_goes_on() -> None:
    results = _run("python:hostile_py:ExitsOnDrawdown", [FIRST, NEXT])
    assert [r.scenario_id for r in results] == [FIRST, NEXT]  # both judged: the harness lives
    for result in results:
        first = result.operations[0]
        assert (first.kind, first.outcome.status) == ("draw-down", "failed")
        assert first.outcome.detail == "connector exited with code 3 before answering"


def test_os_exit_through_the_cli_writes_the_reports_and_exits_1(tmp_path: Path) -> None:
    path = REPO / next(s.source.path for s in scenarios([FIRST]) if s.source)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "drawbridge"), "run", str(path), "--connector",
         "python:hostile_py:ExitsOnDrawdown", "--out", str(tmp_path), "--no-progress"],
        cwd=CONNECTORS, capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}, check=False)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    document = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    detail = document["results"][0]["operations"][0]["outcome"]["detail"]
    assert detail == "connector exited with code 3 before answering"


def test_a_timed_out_python_connector_is_killed_and_never_books_later() -> None:
    results = _run("python:hostile_py:LateBooker", [FIRST, NEXT], op_timeout=0.5)
    for result in results:  # in a child, run 1's stuck process died at the timeout
        assert result.operations[0].outcome.detail == "timeout: no answer within 0.5s"
        assert _api_drawdowns(result) == []
        assert not [e for e in result.journal if e["kind"] == "exchange"]


def test_in_process_a_late_request_of_an_earlier_run_is_refused_and_journaled() -> None:
    from hostile_py import LateBooker

    results = _run("python-in-process:hostile_py:LateBooker", [FIRST, NEXT], op_timeout=0.5)
    first, following = results
    assert first.operations[0].outcome.detail == "timeout: no answer within 0.5s"
    # run 1's threads (one per timed-out draw-down), woken during run 2: all refused
    assert LateBooker.late_statuses and set(LateBooker.late_statuses) == {410}
    fenced = [e for e in following.journal if e["kind"] == "fenced"]
    assert fenced and fenced[0]["status"] == 410
    assert fenced[0]["path"] == "/v2/credit-lines/CL000001/drawdowns"
    assert "belongs to scenario run" in fenced[0]["note"]
    assert _api_drawdowns(following) == []  # never booked in the next run's ledger


def test_the_bank_refuses_a_request_addressed_to_an_earlier_run() -> None:
    scenario = scenarios([NEXT])[0]
    bank = LocalBank()
    try:
        bank.reset(bank_config(scenario, "v2", RunOptions()))
        earlier = bank.run_url()
        bank.reset(bank_config(scenario, "v2", RunOptions()))
        state = initial_state(scenario.given, 0)
        bank.load_state(state)
        import httpx

        line = state["lines"][0]["lineId"]
        stale = httpx.get(f"{earlier}/v2/credit-lines/{line}", timeout=30)
        current = httpx.get(f"{bank.run_url()}/v2/credit-lines/{line}", timeout=30)
        unfenced = httpx.get(f"{bank.base_url}/v2/credit-lines/{line}", timeout=30)
        assert stale.status_code == 410 and stale.json()["code"] == "FENCED"
        assert current.status_code == unfenced.status_code == 200
        kinds = [e["kind"] for e in bank.journal()]
        assert kinds.count("fenced") == 1
    finally:
        bank.close()
