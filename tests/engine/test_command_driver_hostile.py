"""The command driver against executables that misbehave: the run always goes on.

A hung connector is cut off at the operation timeout and its process group killed; one that
dies is reported, not waited for; stdout noise is kept as evidence and skipped; and nothing a
connector started outlives its scenario.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest
from engine_helpers import scenarios

from harness.drivers.base import Driver
from harness.drivers.command import CommandDriver
from harness.engine.runner import RunOptions
from harness.engine.session import plan, run_plan
from harness.evidence import Identity
from harness.outcome import Outcome

HOSTILE = Path(__file__).resolve().parent / "connectors" / "hostile"
NOWHERE = "http://127.0.0.1:9"
GET_LINE = {"op": "get-line", "step": "s", "intent": "i", "line": "CL000001"}


def driver(script: str) -> CommandDriver:
    argv = [sys.executable, str(HOSTILE / script)]
    return CommandDriver(argv, f"command:{' '.join(argv)}")


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for a reaper (containers often have none)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def wait_dead(pid: int, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.02)
    return False


pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")


def test_a_hung_connector_times_out_and_its_process_group_is_killed() -> None:
    d = driver("hang.py")
    d.start(NOWHERE, "v2")
    assert d.hello().name == "hostile-hang"
    assert d.proc is not None
    pid = d.proc.pid
    began = time.monotonic()
    outcome = d.perform(GET_LINE, timeout=0.5)
    assert outcome.status == "failed" and outcome.detail == "timeout: no answer within 0.5s"
    assert time.monotonic() - began < 60  # killed at the timeout, not left to hang (60 s)
    assert wait_dead(pid)
    # The next operation is answered at once: the connector is gone, not waited for again.
    again = d.perform(GET_LINE, timeout=60.0)
    assert again.status == "failed" and "exited" in (again.detail or "")
    d.stop()


def test_a_run_with_a_hung_connector_goes_on_to_the_next_scenario() -> None:
    argv = [sys.executable, str(HOSTILE / "hang.py")]

    def make_driver() -> Driver:
        return CommandDriver(argv, "command:hang")

    items = plan(scenarios(["frozen-line", "expired-line"]), ["v2"])
    results, interrupted = run_plan(items, make_driver, Identity("hostile-hang"),
                                    RunOptions(op_timeout=0.3), jobs=1)
    assert not interrupted
    assert [r.scenario_id for r in results] == ["expired-line", "frozen-line"]
    for result in results:
        assert result.verdict == "fail"  # judged, not an engine error
        assert result.operations[0].outcome.detail == "timeout: no answer within 0.3s"
        assert all(op.outcome.status == "failed" for op in result.operations)


def test_a_connector_that_exits_early_is_reported_with_its_exit_code() -> None:
    d = driver("exits_early.py")
    d.start(NOWHERE, "v2")
    d.hello()
    outcome = d.perform(GET_LINE, timeout=60.0)
    d.stop()
    assert outcome.status == "failed"
    assert outcome.detail == "connector exited with code 3 before answering"
    assert "stderr: fatal: cannot load configuration" in d.notes.lines


@pytest.mark.parametrize("seen", ["exited-before-the-request", "exits-while-asked"])
def test_one_wording_however_the_death_is_seen(seen: str) -> None:
    # Whether the harness finds the process gone before writing, its stdin broken while
    # writing, or its stdout closed while waiting depends on timing (a loaded machine): the
    # reason must not.
    d = CommandDriver([sys.executable, "-c", "import sys; sys.stdin.readline(); sys.exit(3)"],
                      spec="command:dies")
    d.start(NOWHERE, "v2")
    assert d.proc is not None
    if seen == "exited-before-the-request":
        d.proc.stdin.write(b"\n")  # type: ignore[union-attr]
        d.proc.stdin.flush()  # type: ignore[union-attr]
        d.proc.wait(timeout=60)
    outcome = d.perform(GET_LINE, timeout=60.0)
    d.stop()
    assert outcome.detail == "connector exited with code 3 before answering"


def test_garbage_lines_before_the_answer_are_skipped_and_kept_as_evidence() -> None:
    d = driver("noisy.py")
    d.start(NOWHERE, "v2")
    assert d.hello().name == "hostile-noisy"
    first = d.perform(GET_LINE, timeout=60.0)
    second = d.perform(GET_LINE, timeout=60.0)
    d.stop()
    assert (first.status, first.reason) == ("rejected", "LINE_FROZEN")
    assert (second.status, second.reason) == ("rejected", "LINE_FROZEN")
    noise = [n for n in d.notes.lines if n.startswith("stdout noise: ")]
    assert "stdout noise: {not json at all" in noise
    assert "stdout noise: [1, 2, 3]" in noise
    assert "stdout noise: Connector v1 starting... (log level INFO)" in noise


def test_a_child_left_behind_is_killed_when_the_driver_stops() -> None:
    d = driver("leaves_child.py")
    d.start(NOWHERE, "v2")
    d.hello()
    outcome = d.perform(GET_LINE, timeout=60.0)
    child = int(outcome.data["childPid"])
    assert alive(child)
    d.stop()
    assert wait_dead(child), f"child {child} outlived the connector"


def test_a_connector_that_never_reads_its_stdin_fails_at_the_deadline_not_hangs() -> None:
    """Requests totalling more than a pipe buffer (64 KB) to a connector that stopped reading:
    the write is bounded by the operation's deadline; the connector fails, with the reason."""
    d = driver("never_reads.py")
    d.start(NOWHERE, "v2")
    assert d.hello().name == "hostile-never-reads"
    assert d.proc is not None
    pid = d.proc.pid
    big = {**GET_LINE, "padding": "x" * (200 * 1024)}
    outcomes: list[object] = []
    worker = threading.Thread(target=lambda: outcomes.append(d.perform(big, timeout=1.0)),
                              daemon=True)
    worker.start()
    worker.join(60)  # a write blocked on the full pipe would never return
    if worker.is_alive():
        d.tree.kill()  # free the blocked writer before failing
        pytest.fail("perform() still blocked in the write after 60 s")
    (outcome,) = outcomes
    assert isinstance(outcome, Outcome) and outcome.status == "failed"
    assert outcome.detail is not None
    assert outcome.detail.startswith("timeout: the connector did not read its stdin"), outcome
    assert wait_dead(pid)
    d.stop()
