"""SIGINT and SIGTERM end ``run`` and ``certify`` the same way: promptly, with a report.

SIGTERM is what CI sends when a job is cancelled; SIGINT is Ctrl-C. On either, every connector
of every job is killed at once (so no job waits out an operation timeout), the engine stops
taking scenarios and the reporters write the partial report (``"interrupted": true``); the
command then exits 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM.

A second signal while the report is being written is ignored: the report is what the first one
asked for, and it comes promptly.
"""

from __future__ import annotations

import functools
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import ParamSpec, TypeVar

from harness.drivers.procs import accept_new, kill_all

SIGNALS = (signal.SIGINT, signal.SIGTERM)
P = ParamSpec("P")
R = TypeVar("R")


class Interrupted(KeyboardInterrupt):
    """The harness was told to stop by a signal; ``exit_code`` is 128 + its number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.exit_code = 128 + signum


_received: list[int] = []


def exit_code() -> int:
    """The exit code of an interrupted command: 128 + the first signal received (130 if none)."""
    return 128 + _received[0] if _received else 130


def _handle(signum: int, _frame: FrameType | None) -> None:
    if _received:
        return
    _received.append(signum)
    kill_all(refuse_new=True)
    raise Interrupted(signum)


@contextmanager
def interruptible() -> Iterator[None]:
    """Handle SIGINT and SIGTERM as described above while the block runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received.clear()
    accept_new()
    previous = {s: signal.signal(s, _handle) for s in SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def exit_interrupted() -> None:
    sys.exit(exit_code())


def handles_signals(command: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command's function: it runs :func:`interruptible`."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with interruptible():
            return command(*args, **kwargs)

    return wrapper
