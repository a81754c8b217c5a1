"""Explore: random timelines against a connector until the budget is spent; keep what fails.

Each example (a scenario from :func:`harness.explore.strategies.scenarios`) runs against the
connector and the oracles judge it. A failure is filed under (oracle, operation kind); the first
example of each distinct failure is shrunk (:mod:`harness.shrink`) with "the same oracle still
objects to the same kind of operation" and written as a scenario file. The same seed and budget
give the same examples (hypothesis, seeded, no example database), hence the same files.

>>> found = explore(judge, budget=30, seed=0, out=Path("reports/explore"))   # doctest: +SKIP
>>> [(d.oracle, d.kind) for d in found]
[('no-double-disbursement', 'draw-down')]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import seed as hypothesis_seed

from fake_core_bank.errors import InputError
from harness.evidence import RunResult
from harness.explore.judge import Judge
from harness.explore.strategies import scenarios
from harness.oracles import ORACLES
from harness.paths import write_atomic
from harness.scenarios import dump_scenario
from harness.scenarios.loader import reload_scenario
from harness.scenarios.model import Operation, Scenario
from harness.shrink import shrink

Key = tuple[str, str]  # (oracle, operation kind or "scenario")


@dataclass
class Discovery:
    """One distinct failure: its key, the minimal scenario and where it was written."""

    oracle: str
    kind: str
    message: str
    example: int  # which example (1-based) first showed it
    original_steps: int
    scenario: Scenario
    path: Path | None = None


def failure_keys(scenario: Scenario, result: RunResult) -> dict[Key, str]:
    """The run's distinct failures: (oracle, kind of the operation it names) -> message."""
    keys: dict[Key, str] = {}
    for finding in result.findings:
        if finding.oracle not in ORACLES:
            continue  # harness errors and timeouts are not the connector's defects
        kind = "scenario"
        if finding.step is not None:
            step = next((s for s in scenario.timeline if s.name == finding.step), None)
            if isinstance(step, Operation):
                kind = step.kind
        keys.setdefault((finding.oracle, kind), finding.message)
    return keys


def explore(judge: Judge, *, budget: int, seed: int, out: Path | None = None,
            max_steps: int = 6, shrink_runs: int = 120,
            echo: Callable[[str], None] = lambda _: None) -> list[Discovery]:
    """Run ``budget`` random scenarios; return (and write to ``out``) each distinct failure."""
    first: dict[Key, Discovery] = {}
    examples = 0

    @settings(max_examples=budget, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), print_blob=False)
    @hypothesis_seed(seed)
    @given(scenarios(judge.version, max_steps=max_steps))
    def probe(candidate: Scenario) -> None:
        nonlocal examples
        try:
            candidate = reload_scenario(replace(candidate, seed=seed), "<explore>")
        except InputError:
            reject()
        examples += 1
        result = judge.run(candidate)
        for (oracle, kind), message in failure_keys(candidate, result).items():
            if (oracle, kind) not in first:
                echo(f"example {examples}: {oracle} on {kind}: {message}")
                first[(oracle, kind)] = Discovery(oracle, kind, message, examples,
                                                  len(candidate.timeline), candidate)

    probe()
    found = [first[key] for key in sorted(first)]
    for discovery in found:
        def same_failure(s: Scenario, key: Key = (discovery.oracle, discovery.kind)) -> bool:
            return key in failure_keys(s, judge.run(s))

        small = shrink(discovery.scenario, same_failure, max_runs=shrink_runs).scenario
        discovery.scenario = named(small, discovery)
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            discovery.path = out / f"{discovery.scenario.id}.yaml"
            write_atomic(discovery.path, dump_scenario(discovery.scenario))
    return found


def named(scenario: Scenario, discovery: Discovery) -> Scenario:
    """The written form: an id and title that say what fails, and how it was found."""
    ident = f"explore-{discovery.oracle}-{discovery.kind}"[:64]
    return replace(
        scenario, id=ident, title=f"explore: {discovery.oracle} on {discovery.kind}",
        tags=("explore",),
        description=f"Found by `drawbridge explore` (example {discovery.example}, shrunk from "
                    f"{discovery.original_steps} steps): {discovery.message}")
