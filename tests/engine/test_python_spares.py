"""Python connectors' host processes are started ahead of their runs, one spare per job, so no
run waits for its connector's process to import (issue 19, time to verdict)."""

from __future__ import annotations

import threading

from harness.drivers.python import HostedPython, python_factory

SPEC = "python:examples.connectors.reference_py:ReferenceConnector"


def alive(driver: HostedPython) -> bool:
    return driver.proc is not None and driver.proc.poll() is None


def test_each_job_finds_a_spare_ready_and_every_spare_is_stopped_at_the_end() -> None:
    factory, _ = python_factory(SPEC.partition(":")[2], SPEC, in_process=False)
    spares = factory.spares  # type: ignore[attr-defined]
    taken: list[HostedPython] = []

    def job() -> None:
        taken.append(spares.take())

    jobs = [threading.Thread(target=job) for _ in range(2)]
    for thread in jobs:
        thread.start()
    for thread in jobs:
        thread.join()
    try:
        assert len(spares.ready) == 2  # one ready for each job that took one
        ready = list(spares.ready)
        assert all(alive(d) for d in ready)
        again = spares.take()
        taken.append(again)
        assert again is ready[0]  # the next run takes a process already started
        assert len(spares.ready) == 3  # this thread is a third taker
        dead = spares.ready[0]
        assert dead.proc is not None
        dead.proc.kill()
        dead.proc.wait(timeout=30)
        fresh = spares.take()  # a spare that died is not handed out
        taken.append(fresh)
        assert fresh is not dead
    finally:
        for driver in taken:
            driver.stop()
        kept = list(spares.ready)
        spares.close()
    assert spares.ready == [] and not any(alive(d) for d in kept)
