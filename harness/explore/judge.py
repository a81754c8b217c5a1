"""Run candidate scenarios against one connector at one version and say which oracles object.

The shrinker and the explorer ask the same question many times ("does this scenario still fail
oracle X?"); a :class:`Judge` keeps one fake bank for all of them (each run resets it).
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from harness.drivers.base import DriverFactory
from harness.engine.bank import BankHandle, LocalBank
from harness.engine.runner import RunOptions, run_scenario
from harness.evidence import Identity, RunResult
from harness.oracles import ORACLES
from harness.scenarios.model import Scenario


def primary_oracle(findings: list[str]) -> str | None:
    """The oracle a failure is filed under: the first finding from a real oracle."""
    return next((name for name in findings if name in ORACLES), None)


class Judge:
    """Runs scenarios on a bank of its own; use as a context manager (closes the bank)."""

    def __init__(self, version: str, make_driver: DriverFactory, identity: Identity,
                 options: RunOptions, *, bank_factory: Callable[[], BankHandle] = LocalBank,
                 on_run: Callable[[RunResult], None] | None = None) -> None:
        self.version = version
        self.make_driver = make_driver
        self.identity = identity
        self.options = options
        self.bank = bank_factory()
        self.runs = 0
        self.on_run = on_run  # told of every finished run (progress)

    def run(self, scenario: Scenario) -> RunResult:
        self.runs += 1
        result = run_scenario(scenario, self.version, self.bank, self.make_driver,
                              self.identity, self.options)
        if self.on_run is not None:
            self.on_run(result)
        return result

    def fails(self, oracle: str) -> Callable[[Scenario], bool]:
        """A predicate: the scenario's run has a finding of ``oracle``."""
        return lambda scenario: any(f.oracle == oracle for f in self.run(scenario).findings)

    def close(self) -> None:
        self.bank.close()

    def __enter__(self) -> Judge:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
