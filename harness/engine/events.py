"""Events the engine emits while it runs; reporters are small consumers of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from harness.evidence import Identity, RunResult


@dataclass(frozen=True)
class RunStarted:
    total: int
    connector: Identity
    seed: int
    versions: tuple[str, ...]


@dataclass(frozen=True)
class ScenarioStarted:
    scenario_id: str
    version: str


@dataclass(frozen=True)
class ScenarioFinished:
    result: RunResult


@dataclass(frozen=True)
class RunFinished:
    results: tuple[RunResult, ...]
    interrupted: bool = False


Event = RunStarted | ScenarioStarted | ScenarioFinished | RunFinished


class Reporter(Protocol):
    def handle(self, event: Event) -> None: ...
