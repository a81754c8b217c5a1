"""The harness side of every driver."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from harness.evidence import Identity
from harness.outcome import Outcome, cut

#: Bytes of one message a connector may send the harness (a stdout or stderr line, an HTTP
#: answer); the rest is counted, not kept.
LINE_LIMIT = 1 << 20


@dataclass
class DriverNotes:
    """What a driver saw besides answers: stderr, garbage on stdout, exits. Evidence."""

    lines: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        if len(self.lines) < 200:
            self.lines.append(cut(text, 500))


class Driver(Protocol):
    """One connector instance, started fresh for each scenario run."""

    identity: Identity
    notes: DriverNotes

    def start(self, bank_url: str, version: str) -> None:
        """Point the connector at the bank; ``version`` is the core's current version (a hint)."""

    def perform(self, request: dict[str, Any], timeout: float) -> Outcome:
        """Run one operation; never raises for a misbehaving connector (``failed`` instead)."""

    def stop(self) -> None:
        """Release the connector (kill its processes)."""


DriverFactory = Callable[[], Driver]
