"""Run many scenarios at many core versions against one connector, in parallel jobs.

Each job owns a fake bank on its own loopback port and plays the work items it takes from a
shared queue, so ``--jobs 2`` halves the wall time of a library dominated by waits. Results come
back sorted by scenario and version, whatever the order they finished in: the same seed gives
the same result file.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from fake_core_bank import cores
from fake_core_bank.domain.faults import kinds_that
from fake_core_bank.errors import InputError
from harness.drivers.base import DriverFactory
from harness.engine.bank import BankHandle, LocalBank
from harness.engine.events import (
    Reporter,
    RunFinished,
    RunStarted,
    ScenarioFinished,
    ScenarioStarted,
)
from harness.engine.runner import RunOptions, run_scenario
from harness.evidence import Finding, Identity, RunResult
from harness.scenarios.model import Scenario


@dataclass(frozen=True)
class WorkItem:
    scenario: Scenario
    version: str


def plan(scenarios: Sequence[Scenario], versions: Sequence[str]) -> list[WorkItem]:
    """Every (scenario, version) pair the run covers, in a stable order."""
    model = cores.active()
    model.require_contracts()  # a scenario may upgrade to any of them
    items = [WorkItem(s, v) for s in scenarios for v in versions if v in s.versions]
    return sorted(items, key=lambda w: (w.scenario.id, model.version_key(w.version)))


def shard(items: Sequence[WorkItem], spec: str | None) -> list[WorkItem]:
    """The ``I/N`` shard of a plan (1-based): every N-th item starting at the I-th.

    The plan's order is stable, so N CI jobs with shards 1/N..N/N cover it exactly once.
    """
    if spec is None:
        return list(items)
    index_text, sep, count_text = spec.partition("/")
    if not sep or not index_text.isdigit() or not count_text.isdigit():
        raise InputError("--shard", f"{spec!r} is not I/N", "write e.g. --shard 1/4")
    index, count = int(index_text), int(count_text)
    if not 1 <= index <= count:
        raise InputError("--shard", f"shard {index} of {count} does not exist",
                         f"pick I between 1 and {count}")
    return [item for n, item in enumerate(items) if n % count == index - 1]


def expected_wait(scenario: Scenario) -> float:
    """Wall seconds a run of ``scenario`` spends waiting, at the least: a maintenance window
    answers 503 with a Retry-After of one whole second or more, and a latency fault holds its
    answer for its delay."""
    wait = 0.0
    for event in scenario.events:
        if event.kind == "maintenance":
            wait += 1.0
        elif event.kind == "fault" and event.fields.get("kind") in kinds_that("delays"):
            delay = event.fields.get("delay")
            times = event.fields.get("times")
            if isinstance(delay, timedelta):
                wait += delay.total_seconds() * (times if isinstance(times, int) else 1)
    return wait


def longest_waits_first(items: Sequence[WorkItem]) -> list[WorkItem]:
    """The items, those that will wait longest first (stable otherwise): with several jobs the
    waits then overlap instead of queueing behind each other at the end of a run. Results are
    sorted afterwards, so the order changes nothing in any artefact."""
    return sorted(items, key=lambda w: -expected_wait(w.scenario))


def run_plan(
    items: Sequence[WorkItem],
    make_driver: DriverFactory,
    identity: Identity,
    options: RunOptions,
    *,
    jobs: int = 1,
    reporters: Sequence[Reporter] = (),
    bank_factory: Callable[[], BankHandle] | None = None,
) -> tuple[list[RunResult], bool]:
    """Run the items; returns the results and whether the run was interrupted (Ctrl-C)."""
    versions = tuple(cores.active().sorted({w.version for w in items}))
    for reporter in reporters:
        reporter.handle(RunStarted(len(items), identity, options.seed, versions))
    work: queue.Queue[WorkItem] = queue.Queue()
    for item in (items if jobs < 2 else longest_waits_first(items)):
        work.put(item)
    results: list[RunResult] = []
    lock = threading.Lock()
    stop = threading.Event()
    make_bank = bank_factory or LocalBank

    finished = threading.Event()  # after RunFinished, a job still ending its run is not heard

    def emit(event: ScenarioStarted | ScenarioFinished) -> None:
        with lock:
            if finished.is_set():
                return
            for reporter in reporters:
                reporter.handle(event)

    def worker(bank: BankHandle) -> None:
        try:
            while not stop.is_set():
                try:
                    item = work.get_nowait()
                except queue.Empty:
                    return
                emit(ScenarioStarted(item.scenario.id, item.version))
                try:
                    result = run_scenario(item.scenario, item.version, bank, make_driver,
                                          identity, options)
                except Exception as exc:  # noqa: BLE001 -- one broken run must not stop the rest
                    result = errored_result(item, identity, options, exc)
                with lock:
                    if finished.is_set():
                        return
                    results.append(result)
                emit(ScenarioFinished(result))
        finally:
            bank.close()

    # Banks start here, not in the workers: a bank that cannot start (a missing image, a port
    # in use) is the caller's error, raised once, instead of a job silently doing nothing.
    banks: list[BankHandle] = []
    try:
        for _ in range(max(1, min(jobs, len(items) or 1))):
            banks.append(make_bank())
    except BaseException:
        for bank in banks:
            bank.close()
        raise
    threads = [threading.Thread(target=worker, args=(bank,), name=f"drawbridge-job-{n}",
                                daemon=True) for n, bank in enumerate(banks)]
    for thread in threads:
        thread.start()
    interrupted = False
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.1)
    except KeyboardInterrupt:  # SIGINT, or SIGTERM through harness.cli.signals
        interrupted = True
        stop.set()
    # Interrupted, jobs may still be ending their runs (their connectors are killed): the
    # report holds the runs that finished before this point, and nothing after it.
    with lock:
        finished.set()
        key = cores.active().version_key
        ordered = sorted(results, key=lambda r: (r.scenario_id, key(r.version)))
        for reporter in reporters:
            reporter.handle(RunFinished(tuple(ordered), interrupted))
    return ordered, interrupted


def errored_result(item: WorkItem, identity: Identity, options: RunOptions,
                   exc: Exception) -> RunResult:
    """The result of a work item whose run raised: verdict ``error``, a ``harness-error``
    finding naming the exception (shared by every runner of work items, mutate's included)."""
    scenario = item.scenario
    result = RunResult(scenario.id, scenario.title, scenario.cause, item.version,
                       scenario.source.path if scenario.source else scenario.id,
                       scenario.seed if scenario.seed is not None else options.seed, identity)
    result.verdict = "error"
    result.error = f"{type(exc).__name__}: {exc}"
    result.findings.append(Finding("harness-error", result.error))
    return result
