"""Deterministic identifiers: a counter per prefix, reset with the bank."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator


class IdGenerator:
    """Sequential ids per prefix, e.g. ``DD00000001``.

    >>> ids = IdGenerator(); ids.next("DD", 8), ids.next("DD", 8)
    ('DD00000001', 'DD00000002')
    """

    def __init__(self) -> None:
        self._counters: dict[str, Iterator[int]] = {}
        self._lock = threading.Lock()

    def next(self, prefix: str, width: int) -> str:
        with self._lock:
            counter = self._counters.setdefault(prefix, itertools.count(1))
            return f"{prefix}{next(counter):0{width}d}"

    def skip_past(self, identifier: str, prefix: str) -> None:
        """Make sure later ids never collide with one that was loaded from outside."""
        digits = identifier[len(prefix):]
        if not identifier.startswith(prefix) or not digits.isdigit():
            return
        with self._lock:
            current = self._counters.get(prefix, itertools.count(1))
            value = next(current)
            self._counters[prefix] = itertools.count(max(value, int(digits) + 1))
