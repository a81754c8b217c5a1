"""Progress of long work: a bar on a terminal, a line per finished item otherwise.

Every long command (run, certify, matrix, the demo, explore, shrink, verify-provider) reports
through :class:`ItemProgress`, and ``--no-progress`` turns it off. Lines, not a bar, when the
output is a file or a CI log: a bar there is either invisible or a wall of control codes.

>>> with ItemProgress(Console(), total=2, description="certify") as progress:  # doctest: +SKIP
...     progress.advance("lock-period@v2", "pass")
...     progress.advance("maintenance@v2", "fail")
[1/2] lock-period@v2 pass
[2/2] maintenance@v2 fail
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


class ItemProgress:
    """Count finished items of ``total`` (None: not known in advance); a context manager."""

    def __init__(self, console: Console, *, total: int | None, description: str,
                 enabled: bool = True) -> None:
        self.console = console
        self.total = total
        self.description = description
        self.enabled = enabled
        self.done = 0
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def start(self) -> None:
        if not self.enabled or not self.console.is_terminal or self._bar is not None:
            return
        self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                             MofNCompleteColumn(), TimeElapsedColumn(), console=self.console,
                             transient=True)
        self._bar.start()
        self._task = self._bar.add_task(self.description, total=self.total)

    def advance(self, item: str, status: str = "") -> None:
        """One more item finished: ``item`` names it, ``status`` says how it went."""
        self.done += 1
        if not self.enabled:
            return
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=1, description=f"{item:<48}")
            return
        count = f"{self.done}/{self.total}" if self.total is not None else str(self.done)
        text = f"[{count}] {item}" + (f" {status}" if status else "")
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> ItemProgress:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
