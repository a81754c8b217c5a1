"""Write a bundle for every failed run as the run goes, and name each at the end.

A consumer of engine events like the other reporters: ``drawbridge run`` adds it with
``--bundles DIR``. Bundles are written when a run finishes (a Ctrl-C keeps those already
written); the one-line reproduction commands are printed after the summary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from harness.bundles.bundle import build_bundle, write_bundle
from harness.engine.events import Event, RunFinished, ScenarioFinished
from harness.engine.runner import RunOptions
from harness.scenarios.model import Scenario


def replay_command(path: Path) -> str:
    return f"drawbridge replay {path}"


class BundleReporter:
    """Writes ``<scenario>@<version>.bundle.json`` into ``directory`` for each failed run."""

    def __init__(self, directory: Path, scenarios: Iterable[Scenario], options: RunOptions, *,
                 transport: str = "loopback", compress: bool = False,
                 echo: Callable[[str], None] = print) -> None:
        self.directory = directory
        self.scenarios = {s.id: s for s in scenarios}
        self.options = options
        self.transport = transport
        self.compress = compress
        self.echo = echo
        self.written: list[tuple[str, Path]] = []
        self.problems: list[str] = []

    def handle(self, event: Event) -> None:
        if isinstance(event, ScenarioFinished) and not event.result.passed:
            result = event.result
            scenario = self.scenarios.get(result.scenario_id)
            if scenario is None:  # a result from another library: nothing to bundle
                return
            try:
                bundle = build_bundle(scenario, result, self.options, transport=self.transport)
                path = write_bundle(bundle, self.directory, compress=self.compress)
            except (OSError, ValueError) as exc:
                # A bundle that cannot be written must not stop the run (reporters run in the
                # engine's worker threads); say so at the end instead.
                self.problems.append(f"{result.key}: no bundle written ({exc})")
                return
            self.written.append((result.key, path))
        elif isinstance(event, RunFinished):
            for key, path in sorted(self.written):
                self.echo(f"{key}: reproduce with `{replay_command(path)}`")
            for problem in self.problems:
                self.echo(problem)
