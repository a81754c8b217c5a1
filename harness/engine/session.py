"""Run many scenarios at many core versions against one connector, in parallel jobs.

Each job owns a fake bank on its own loopback port and plays the work items it takes from a
shared queue, so ``--jobs 2`` halves the wall time of a library dominated by waits. Results come
back sorted by scenario and version, whatever the order they finished in: the same seed gives
the same result file.
"""

from __future__ import annotations

import atexit
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from fake_core_bank import cores
from fake_core_bank.domain.clock import DEFAULT_TIME_SCALE
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
    answers 503 with a Retry-After of one whole second or more (its length on the wall clock
    at the scenario's time scale), and a latency fault holds its answer for its delay."""
    wait = 0.0
    scale = scenario.given.bank.time_scale or DEFAULT_TIME_SCALE
    for event in scenario.events:
        if event.kind == "maintenance":
            length = event.fields.get("duration")
            wait += max(1.0, length.total_seconds() / scale
                        if isinstance(length, timedelta) else 1.0)
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


#: banks being closed behind the caller's back (:func:`close_soon`), joined at exit
_closing: list[threading.Thread] = []
_closing_lock = threading.Lock()
#: how long the process's exit waits for one bank to close (a container's stop included)
CLOSE_SECONDS = 60.0


def close_soon(bank: BankHandle) -> None:
    """Close ``bank`` in a thread of its own: a server's stop takes a few tenths of a second
    (uvicorn looks for it every 0.1 s, then lets connections go), which the caller spends on
    its reports instead. The process does not end before every bank is closed
    (:func:`wait_closed`, at exit)."""
    closer = threading.Thread(target=bank.close, name="drawbridge-bank-close", daemon=True)
    with _closing_lock:  # started before it is listed: wait_closed joins only started ones
        _closing[:] = [t for t in _closing if t.is_alive()]
        closer.start()
        _closing.append(closer)


def wait_closed(seconds: float = CLOSE_SECONDS) -> None:
    """Wait until every bank handed to :func:`close_soon` is closed (each at most
    ``seconds``)."""
    with _closing_lock:
        closers = list(_closing)
    for closer in closers:
        closer.join(seconds)


atexit.register(wait_closed)


def wait_lanes(items: Sequence[WorkItem], jobs: int) -> int:
    """Lanes beside the ``jobs`` for the runs that mostly wait (:func:`expected_wait`): each
    such run sleeps through a Retry-After or a latency fault, holding a job while it does no
    work, so with two jobs or more they get lanes of their own (at most ``jobs`` of them, each
    with its own fake bank), and the jobs run the rest meanwhile; a job whose queue is empty
    helps with the waiting runs. One job stays one run at a time."""
    if jobs < 2:
        return 0
    return min(jobs, sum(1 for w in items if expected_wait(w.scenario)))


def _next(sources: Sequence[queue.Queue[WorkItem]]) -> WorkItem | None:
    """The next item of the first source that has one; None when all are empty."""
    for source in sources:
        try:
            return source.get_nowait()
        except queue.Empty:
            continue
    return None


def run_plan(
    items: Sequence[WorkItem],
    make_driver: DriverFactory,
    identity: Identity,
    options: RunOptions,
    *,
    jobs: int = 1,
    reporters: Sequence[Reporter] = (),
    bank_factory: Callable[[], BankHandle] | None = None,
    lanes: bool | None = None,
) -> tuple[list[RunResult], bool]:
    """Run the items; returns the results and whether the run was interrupted (Ctrl-C).

    ``lanes``: whether runs that mostly wait get lanes beside the jobs (:func:`wait_lanes`);
    by default only when the banks are this process's own (a bank per lane costs next to
    nothing then, where a container per lane would cost its start)."""
    versions = tuple(cores.active().sorted({w.version for w in items}))
    for reporter in reporters:
        reporter.handle(RunStarted(len(items), identity, options.seed, versions))
    ordered_items = items if jobs < 2 else longest_waits_first(items)
    work: queue.Queue[WorkItem] = queue.Queue()
    waits: queue.Queue[WorkItem] = queue.Queue()
    if lanes is None:
        lanes = bank_factory is None
    extra = wait_lanes(ordered_items, jobs) if lanes else 0
    for item in ordered_items:
        (waits if extra and expected_wait(item.scenario) else work).put(item)
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

    def worker(bank: BankHandle, sources: tuple[queue.Queue[WorkItem], ...]) -> None:
        try:
            while not stop.is_set():
                item = _next(sources)
                if item is None:
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
            close_soon(bank)

    # Banks start here, not in the workers: a bank that cannot start (a missing image, a port
    # in use) is the caller's error, raised once, instead of a job silently doing nothing.
    banks: list[BankHandle] = []
    busy = max(1, min(jobs, work.qsize() or 1))
    try:
        for _ in range(busy + extra):
            banks.append(make_bank())
    except BaseException:
        for bank in banks:
            bank.close()
        raise
    threads = [threading.Thread(target=worker,
                                args=(bank, (work, waits) if n < busy else (waits,)),
                                name=f"drawbridge-job-{n}", daemon=True)
               for n, bank in enumerate(banks)]
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
