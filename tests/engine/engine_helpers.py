"""Run scenarios of the library against a connector, in process, as ``drawbridge run`` does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from harness.drivers import Driver, driver_factory
from harness.drivers.python import PythonDriver
from harness.engine.runner import RunOptions
from harness.engine.session import plan, run_plan
from harness.evidence import Identity, RunResult
from harness.scenarios.library import load_library
from harness.scenarios.model import Scenario

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
REFERENCE = "python:examples.connectors.reference_py:ReferenceConnector"
LEGACY = "python:examples.connectors.legacy_v1:LegacyV1Connector"
NODE = f"command:node {REPO / 'examples/connectors/node/connector.js'}"


@cache
def library() -> tuple[Scenario, ...]:
    return tuple(load_library([SCENARIOS]))


def scenarios(ids: Iterable[str] | None = None) -> list[Scenario]:
    if ids is None:
        return list(library())
    wanted = set(ids)
    found = [s for s in library() if s.id in wanted]
    missing = wanted - {s.id for s in found}
    assert not missing, f"no such scenarios in {SCENARIOS}: {sorted(missing)}"
    return found


def run(spec: str, versions: Sequence[str], ids: Iterable[str] | None = None, *,
        jobs: int = 2, seed: int = 0) -> list[RunResult]:
    """Run the scenarios (all by default) at the versions against the connector ``spec``."""
    make_driver, identity = driver_factory(spec)
    results, interrupted = run_plan(plan(scenarios(ids), versions), make_driver, identity,
                                    RunOptions(seed=seed), jobs=jobs)
    assert not interrupted
    return results


def run_class(cls: type[Any], versions: Sequence[str], ids: Iterable[str], *,
              jobs: int = 1) -> list[RunResult]:
    """Run scenarios against a Python connector class that is not importable by path."""
    spec = f"python:{cls.__module__}:{cls.__name__}"

    def make_driver() -> Driver:
        return PythonDriver(cls, spec)

    identity: Identity = PythonDriver(cls, spec).identity
    results, _ = run_plan(plan(scenarios(ids), versions), make_driver, identity,
                          RunOptions(), jobs=jobs)
    return results


def oracles_fired(result: RunResult) -> set[str]:
    return {f.oracle for f in result.findings}


def explain(results: Iterable[RunResult]) -> str:
    """Every finding of the failed runs, for an assertion message a person can act on."""
    lines = []
    for r in results:
        if r.verdict != "pass":
            lines.append(f"{r.key}: {r.verdict} {r.error or ''}")
            lines += [f"  {str(f).splitlines()[0]}" for f in r.findings]
    return "\n".join(lines)
