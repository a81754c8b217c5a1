"""The bank's virtual clock.

Between connector operations the harness moves the clock explicitly (``set``/``advance``). While a
connector operation runs, an external connector sleeps in wall time, so the clock follows wall
time multiplied by ``time_scale`` -- but only in steps: it jumps to each *calendar boundary*
(a maintenance window's end, a lock's expiry, a policy's effective time) once enough scaled wall
time has passed, and otherwise stays put. The count starts at the operation's first request,
not when the operation began: the time a connector takes to send it (starting up, a busy
machine) is no time the bank saw pass. That keeps every journal time deterministic for a
connector that honours ``Retry-After`` (it always wakes up after the boundary it was told about),
whatever the machine's load. See docs/time.md.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

#: Virtual seconds per wall second while a connector operation runs (1 wall second = 1 bank hour).
DEFAULT_TIME_SCALE = 3600.0

BoundarySource = Callable[[datetime, datetime], Iterable[datetime]]


class Clock:
    """A virtual clock; ``now()`` never reads the wall clock unless an operation is running.

    >>> from datetime import timezone
    >>> c = Clock(datetime(2026, 3, 2, 9, tzinfo=timezone.utc))
    >>> c.advance(timedelta(hours=2)); c.now().hour
    11
    """

    def __init__(
        self,
        start: datetime,
        *,
        time_scale: float = DEFAULT_TIME_SCALE,
        wall: Callable[[], float] = time.monotonic,
    ) -> None:
        if start.tzinfo is None:
            raise ValueError("the bank clock needs an aware datetime (with a UTC offset)")
        self._base = start
        self._lock = threading.Lock()
        self.time_scale = time_scale
        self._wall = wall
        #: a connector operation is running; its wall count starts at its first request
        self._running = False
        self._op_wall_start: float | None = None
        self._boundaries: BoundarySource = lambda _a, _b: ()

    def use_boundaries(self, source: BoundarySource) -> None:
        """Tell the clock where the calendar's boundaries are (the bank does this once)."""
        self._boundaries = source

    def now(self) -> datetime:
        if self._op_wall_start is None:
            # Between operations the clock is frozen: one attribute read is atomic, so the lock
            # (taken by every request, several times) is only needed while it follows wall time.
            return self._base
        with self._lock:
            return self._now_locked()

    def _now_locked(self) -> datetime:
        if self._op_wall_start is None:
            return self._base
        elapsed = max(0.0, self._wall() - self._op_wall_start)
        target = self._base + timedelta(seconds=elapsed * self.time_scale)
        passed = [b for b in self._boundaries(self._base, target) if self._base < b <= target]
        return max(passed) if passed else self._base

    def wall_offset(self) -> float | None:
        """Wall seconds since the running operation's first request, or None (between
        operations, or before that request)."""
        with self._lock:
            if self._op_wall_start is None:
                return None
            return self._wall() - self._op_wall_start

    def arrive(self) -> float | None:
        """A request reached the bank: start the running operation's wall count if this is its
        first request; return :meth:`wall_offset` (None between operations)."""
        if not self._running:
            return None
        with self._lock:
            if self._op_wall_start is None:
                self._op_wall_start = self._wall()
        return self.wall_offset()

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("the bank clock needs an aware datetime (with a UTC offset)")
        with self._lock:
            self._base = when

    def advance(self, by: timedelta) -> None:
        if by < timedelta(0):
            raise ValueError("the bank clock never runs backwards; use set() to start over")
        with self._lock:
            self._base = self._now_locked() + by

    def begin_operation(self) -> None:
        """A connector operation is running: from its first request (:meth:`arrive`) the clock
        follows (stepped) wall time."""
        with self._lock:
            self._base = self._now_locked()
            self._op_wall_start = None
            self._running = True

    def end_operation(self) -> None:
        """Freeze the clock at the last boundary the operation reached."""
        with self._lock:
            self._base = self._now_locked()
            self._op_wall_start = None
            self._running = False

    def seconds_to_wall(self, virtual: timedelta) -> int:
        """A virtual duration as the whole wall seconds an external client should wait (>= 1)."""
        seconds = virtual.total_seconds() / self.time_scale
        whole = int(seconds)
        return max(1, whole if whole == seconds else whole + 1)
