"""Run (operator, work item) pairs on ``jobs`` mutant banks in parallel, as the engine's
``run_plan`` runs work items: one bank per job, results in the order of the pairs."""

from __future__ import annotations

import queue
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from harness.drivers.base import DriverFactory
from harness.engine.runner import RunOptions, run_scenario
from harness.engine.session import WorkItem, errored_result
from harness.evidence import Finding, Identity, RunResult
from harness.mutate.bank import MutantBank
from harness.mutate.operators.base import Operator

Pair = tuple[Operator | None, WorkItem]
#: the finding of a run during which an operator raised: the proxy's bug, not the connector's
PROXY_ERROR = "proxy-error"
#: findings that judge the harness, not the connector: never a kill
NOT_A_KILL = frozenset({PROXY_ERROR, "harness-error"})


def run_pairs(pairs: Sequence[Pair], make_driver: DriverFactory, identity: Identity,
              options: RunOptions, *, jobs: int = 1,
              done: Callable[[Pair, RunResult], None] | None = None) -> list[RunResult]:
    """Each pair's scenario run with its operator on the wire (None: a clean run)."""
    if not pairs:
        return []
    banks: queue.Queue[MutantBank] = queue.Queue()
    started: list[MutantBank] = []
    try:
        for _ in range(max(1, min(jobs, len(pairs)))):
            started.append(MutantBank())
            banks.put(started[-1])

        def one(pair: Pair) -> RunResult:
            operator, item = pair
            bank = banks.get()
            try:
                bank.operator = operator
                result = run_scenario(item.scenario, item.version, bank, make_driver,
                                      identity, options)
            except Exception as exc:  # noqa: BLE001 -- one broken run must not stop the rest
                result = errored_result(item, identity, options, exc)
            else:
                if bank.proxy.errors:
                    result.verdict = "error"
                    result.error = bank.proxy.errors[0]
                    result.findings.insert(0, Finding(PROXY_ERROR, bank.proxy.errors[0]))
            finally:
                bank.operator = None
                banks.put(bank)
            if done is not None:
                done(pair, result)
            return result

        pool = ThreadPoolExecutor(len(started), thread_name_prefix="drawbridge-mutant")
        try:
            return list(pool.map(one, pairs))
        finally:
            # Ctrl-C: the runs under way finish (their timeouts bound them), the rest never start.
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        for bank in started:
            bank.close()
