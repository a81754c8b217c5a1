"""``python:`` connectors are forked per run from a server that imported them once (issue 19,
time to verdict): each run is still a process of its own, its exit code and its detached
processes are seen as for a process started afresh, and when the server is gone the run is
started afresh instead.

Waits are bounded and generous (the machine may be loaded); nothing here is timed.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from test_command_driver_hostile import alive, wait_dead
from test_connector_processes import bounded

from harness.drivers import driver_factory
from harness.drivers.procs import TAG_VARIABLE
from harness.drivers.python import ChildPythonDriver, HostedPython

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")

CONNECTORS = Path(__file__).resolve().parent / "connectors"
GET_LINE = {"op": "get-line", "line": "CL000001"}


@pytest.fixture(autouse=True)
def _connectors_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(CONNECTORS))


def _started(make, url: str = "http://127.0.0.1:9") -> ChildPythonDriver:  # type: ignore[no-untyped-def]
    driver = make()
    bounded(lambda: driver.start(url, "v2"))
    return driver


def _whoami(driver: ChildPythonDriver) -> tuple[int, int, str]:
    outcome = bounded(lambda: driver.perform(GET_LINE, 60.0))
    pid, parent, tag = [*outcome.detail.split(" "), ""][:3]
    return int(pid), int(parent), tag


def _server_pid(make) -> int:  # type: ignore[no-untyped-def]
    forks = make.make().forks  # the factory's HostedPython maker holds the spec's server
    assert forks.proc is not None
    return forks.proc.pid


def test_each_run_is_a_fresh_fork_of_one_server_with_its_own_tag() -> None:
    make, _ = driver_factory("python:hostile_py:Whoami")
    first, second = _started(make), _started(make)
    try:
        (pid1, parent1, tag1), (pid2, parent2, tag2) = _whoami(first), _whoami(second)
        server = _server_pid(make)
        assert pid1 != pid2 and parent1 == parent2 == server != os.getpid()
        for driver, pid, tag in ((first, pid1, tag1), (second, pid2, tag2)):
            assert isinstance(driver.inner, HostedPython)
            assert tag == driver.inner.tree.tag  # os.environ, for what it execs
            # and the block /proc shows, for what it forks without exec
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert f"{TAG_VARIABLE}={tag}".encode() in environ
            assert os.getsid(pid) == pid  # a session of its own, as a started host has
    finally:
        first.stop()
        second.stop()
    assert wait_dead(pid1)
    assert wait_dead(pid2)


def test_an_exit_and_a_kill_are_seen_with_their_codes() -> None:
    make, _ = driver_factory("python:hostile_py:ExitsOnDrawdown")
    driver = _started(make)
    outcome = bounded(lambda: driver.perform(
        {"op": "draw-down", "line": "CL000001", "amount": {"minor": 100, "currency": "CNY"},
         "account": "1", "purpose": None, "intent": "x"}, 60.0))
    assert outcome.detail == "connector exited with code 3 before answering"
    driver.stop()
    killed = _started(make)
    assert isinstance(killed.inner, HostedPython) and killed.inner.proc is not None
    os.kill(killed.inner.proc.pid, signal.SIGKILL)
    outcome = bounded(lambda: killed.perform(GET_LINE, 60.0))
    assert outcome.status == "failed"
    assert outcome.detail in {"connector exited with code -9 before answering",
                              "connector closed its stdin: [Errno 32] Broken pipe"}
    killed.stop()


def test_a_daemon_forked_without_exec_is_found_by_its_tag_and_killed() -> None:
    make, _ = driver_factory("python:hostile_py:ForksADaemon")
    driver = _started(make)
    daemon = int(bounded(lambda: driver.perform(GET_LINE, 60.0)).detail)
    assert alive(daemon)
    bounded(driver.stop)
    assert wait_dead(daemon)


def test_without_its_server_a_run_starts_afresh() -> None:
    make, _ = driver_factory("python:hostile_py:Whoami")
    forks = make.make().forks
    assert forks.proc is not None
    os.kill(forks.proc.pid, signal.SIGKILL)
    forks.proc.wait()
    driver = _started(make)
    try:
        pid, parent, _ = _whoami(driver)
        assert parent == os.getpid()  # started by the harness itself
        assert not forks.serving
    finally:
        driver.stop()
    assert wait_dead(pid)


def test_a_request_that_is_not_one_is_refused_and_the_server_serves_on() -> None:
    import socket

    make, _ = driver_factory("python:hostile_py:Whoami")
    forks = make.make().forks
    pipes = [os.pipe() for _ in range(3)]
    mine, theirs = socket.socketpair()
    try:
        socket.send_fds(forks.control, [b"not json"],
                        [pipes[0][0], pipes[1][1], pipes[2][1], theirs.fileno()])
        theirs.close()
        mine.settimeout(60)
        assert mine.recv(64) == b""  # closed without a pid: the sender falls back
    finally:
        mine.close()
        for reader, writer in pipes:
            os.close(reader)
            os.close(writer)
    driver = _started(make)
    try:
        pid, parent, _ = _whoami(driver)
        assert forks.serving and parent == forks.proc.pid  # one server, and it forked
    finally:
        driver.stop()
    assert wait_dead(pid)


def test_a_connector_whose_import_starts_a_thread_runs_afresh_with_its_thread() -> None:
    # A fork copies only the forking thread: a forked run would lack the refresher (or inherit
    # a lock it held). The server declines, and each run is a fresh interpreter that has it.
    make, _ = driver_factory("python:threaded_at_import:Refreshing")
    forks = make.make().forks
    assert forks.proc is not None
    assert bounded(lambda: forks.proc.wait(60)) == 3  # NOT_FORKABLE
    driver = _started(make)
    try:
        outcome = bounded(lambda: driver.perform(GET_LINE, 60.0))
        pid, parent, alive = outcome.detail.split(" ")
        assert (int(parent), alive) == (os.getpid(), "True")
    finally:
        driver.stop()
    assert wait_dead(int(pid))


COUNT_THREADS = """
import _thread, threading
from harness.drivers.python_zygote import threads
counts = [threads()]
stop = threading.Event()
extra = threading.Thread(target=stop.wait, args=(60,))
extra.start()
counts.append(threads())
lock = _thread.allocate_lock()
lock.acquire()
_thread.start_new_thread(lock.acquire, ())  # a thread the threading module never heard of
counts.append(threads())
stop.set()
extra.join()
print(counts)
"""


def test_the_server_counts_threads_as_the_kernel_does() -> None:
    # In a fresh interpreter of its own: a test process's other threads (a bank closing in
    # the background, an earlier test's server) come and go while it counts, and did under
    # load (5 counted before a thread started and 5 after).
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", COUNT_THREADS], capture_output=True,
                          text=True, timeout=60, check=True, cwd=Path(__file__).parents[2])
    assert done.stdout.strip() == "[1, 2, 3]"


@pytest.mark.parametrize("forked", [True, False])
def test_a_run_ends_as_an_interpreter_does_whether_forked_or_started_afresh(
        forked: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Its threads that are not daemons finish and its atexit handlers run, then it exits.
    monkeypatch.setenv("ENDS_LATE_DIR", str(tmp_path))
    make, _ = driver_factory("python:ends_late:EndsLate")
    forks = make.make().forks
    if not forked:
        assert forks.proc is not None
        forks.proc.kill()
        forks.proc.wait()
    driver = _started(make)
    pid, parent = map(int, bounded(lambda: driver.perform(GET_LINE, 60.0)).detail.split(" "))
    assert (parent == os.getpid()) is not forked
    bounded(driver.stop)
    assert wait_dead(pid)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{pid}.atexit", f"{pid}.thread"]
    assert driver.notes.lines == []  # it exited when its stdin closed, in either way
