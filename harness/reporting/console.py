"""Progress bar while the run goes, a result table and the failures' explanations at the end."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from harness.engine.events import Event, RunFinished, RunStarted, ScenarioFinished
from harness.reporting.progress import ItemProgress

VERDICT_STYLE = {"pass": "green", "fail": "red", "error": "magenta"}


class ConsoleReporter:
    def __init__(self, console: Console | None = None, *, connector_spec: str = "",
                 progress: bool = True) -> None:
        self.console = console or Console(stderr=False)
        self.connector_spec = connector_spec
        self.show_progress = progress
        self.progress: ItemProgress | None = None

    def handle(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self.console.print(
                f"drawbridge: {event.total} scenario runs against "
                f"[bold]{event.connector.label}[/] (core versions "
                f"{', '.join(event.versions) or '-'}, seed {event.seed})", soft_wrap=True)
            self.progress = ItemProgress(self.console, total=event.total,
                                         description="running", enabled=self.show_progress)
            self.progress.start()
        elif isinstance(event, ScenarioFinished):
            if self.progress is not None:
                self.progress.advance(event.result.key, event.result.verdict)
        elif isinstance(event, RunFinished):
            if self.progress is not None:
                self.progress.stop()
            self._summary(event)

    def _summary(self, event: RunFinished) -> None:
        table = Table(title="results", show_lines=False)
        for column in ("scenario", "version", "cause", "verdict", "findings"):
            table.add_column(column)
        for result in event.results:
            style = VERDICT_STYLE.get(result.verdict, "")
            table.add_row(result.scenario_id, result.version, result.cause,
                          f"[{style}]{result.verdict}[/]",
                          ", ".join(sorted({f.oracle for f in result.findings})) or "")
        self.console.print(table)
        for result in event.results:
            if result.passed:
                continue
            self.console.print(f"\n[bold red]{result.verdict.upper()}[/] {result.key}: "
                               f"{result.title}", soft_wrap=True)
            # soft_wrap: a CI log gets whole lines; a reproduce command split mid-argument
            # cannot be pasted into a shell
            for finding in result.findings:
                self.console.print(f"  {finding}", markup=False, highlight=False,
                                   soft_wrap=True)
            self.console.print(f"  reproduce: {result.reproduce_command(self.connector_spec)}",
                               markup=False, highlight=False, soft_wrap=True)
        passed = sum(r.passed for r in event.results)
        failed = len(event.results) - passed
        tail = " (interrupted: partial results)" if event.interrupted else ""
        self.console.print(f"\n{passed} passed, {failed} failed{tail}", markup=False,
                           highlight=False)
