"""With several jobs the runs that will wait longest start first, so their waits overlap;
the plan itself (and so --shard) and every artefact keep their order."""

from __future__ import annotations

from pathlib import Path

from harness.engine.session import expected_wait, longest_waits_first, plan
from harness.scenarios.library import load_library

ROOT = Path(__file__).resolve().parents[2]


def test_maintenance_windows_are_expected_waits_and_go_first() -> None:
    library = load_library([ROOT / "scenarios" / "maintenance",
                            ROOT / "scenarios" / "line-state"])
    by_id = {s.id: s for s in library}
    assert expected_wait(by_id["full-outage-retry-after"]) >= 1.0
    assert expected_wait(by_id["frozen-line"]) == 0.0
    # a two-hour window at 3,600 virtual seconds a second advertises Retry-After: 2
    assert expected_wait(by_id["long-outage-retry-after"]) == 2.0
    items = plan(library, ("v2",))
    ordered = longest_waits_first(items)
    waits = [expected_wait(w.scenario) for w in ordered]
    assert waits == sorted(waits, reverse=True) and waits[0] >= 1.0
    # stable: among equal waits the plan's order stays
    quiet = [w for w in items if not expected_wait(w.scenario)]
    assert [w for w in ordered if not expected_wait(w.scenario)] == quiet
    assert sorted(map(id, ordered)) == sorted(map(id, items))


def test_runs_that_wait_get_lanes_beside_the_jobs_and_change_no_verdict() -> None:
    from harness.drivers import driver_factory
    from harness.engine.bank import LocalBank
    from harness.engine.runner import RunOptions
    from harness.engine.session import run_plan, wait_lanes

    library = load_library([ROOT / "scenarios" / "maintenance", ROOT / "scenarios" / "line-state"])
    wanted = {"full-outage-retry-after", "read-only-window", "frozen-line", "expired-line"}
    items = plan([s for s in library if s.id in wanted], ("v2",))
    assert wait_lanes(items, 1) == 0  # one job: one run at a time, as asked
    assert wait_lanes(items, 2) == 2 and wait_lanes(items, 8) == 2  # one per waiting run
    assert wait_lanes([w for w in items if not expected_wait(w.scenario)], 4) == 0
    made: list[LocalBank] = []

    def counted() -> LocalBank:
        made.append(LocalBank())
        return made[-1]

    make_driver, identity = driver_factory(
        "python:examples.connectors.reference_py:ReferenceConnector")
    alone, _ = run_plan(items, make_driver, identity, RunOptions(), jobs=1)
    laned, _ = run_plan(items, make_driver, identity, RunOptions(), jobs=2,
                        bank_factory=counted, lanes=True)
    assert len(made) == 4  # two jobs and a lane for each of the two waiting runs
    assert [(r.scenario_id, r.verdict, [f.oracle for f in r.findings]) for r in laned] == \
        [(r.scenario_id, r.verdict, [f.oracle for f in r.findings]) for r in alone]
    assert {r.verdict for r in laned} == {"pass"}


def test_a_bank_closed_behind_the_callers_back_is_closed_before_the_process_ends(
        tmp_path: Path) -> None:
    import subprocess
    import sys

    marker = tmp_path / "closed"
    program = f"""
import pathlib, time
from harness.engine.session import close_soon

class SlowToClose:
    def close(self):
        time.sleep(0.5)  # a server's stop: the process must wait for it
        pathlib.Path({str(marker)!r}).write_text("closed")

close_soon(SlowToClose())
"""
    done = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert marker.read_text() == "closed"
