"""Progress bar while the run goes, a result table and the failures' explanations at the end."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from harness.engine.events import Event, RunFinished, RunStarted, ScenarioFinished

VERDICT_STYLE = {"pass": "green", "fail": "red", "error": "magenta"}


class ConsoleReporter:
    def __init__(self, console: Console | None = None, *, connector_spec: str = "",
                 progress: bool = True) -> None:
        self.console = console or Console(stderr=False)
        self.connector_spec = connector_spec
        self.show_progress = progress and self.console.is_terminal
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def handle(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self.console.print(
                f"drawbridge: {event.total} scenario runs against "
                f"[bold]{event.connector.label}[/] (core versions "
                f"{', '.join(event.versions) or '-'}, seed {event.seed})")
            if self.show_progress:
                self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                         MofNCompleteColumn(), TimeElapsedColumn(),
                                         console=self.console, transient=True)
                self.progress.start()
                self.task = self.progress.add_task("running", total=event.total)
        elif isinstance(event, ScenarioFinished):
            if self.progress is not None and self.task is not None:
                self.progress.update(self.task, advance=1,
                                     description=f"{event.result.key:<48}")
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
                               f"{result.title}")
            for finding in result.findings:
                self.console.print(f"  {finding}", markup=False, highlight=False)
            self.console.print(f"  reproduce: {result.reproduce_command(self.connector_spec)}",
                               markup=False, highlight=False)
        passed = sum(r.passed for r in event.results)
        failed = len(event.results) - passed
        tail = " (interrupted: partial results)" if event.interrupted else ""
        self.console.print(f"\n{passed} passed, {failed} failed{tail}", markup=False,
                           highlight=False)
