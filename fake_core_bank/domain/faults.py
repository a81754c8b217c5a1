"""Faults the harness injects into the fake bank's HTTP answers.

:data:`FAULTS` is the one registry of fault kinds: what each does to a request, read by the
bank's app (``fake_core_bank/http/app.py``), the fault plan, the control API's schema and the
scenario vocabulary (so its JSON Schema). A test ties docs/scenario-format.md, docs/control-api.md
and docs/pytest-plugin.md to it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class FaultKind:
    """What a fault of this kind does to the request it matches."""

    name: str
    summary: str
    #: the request reaches the core (a drawdown may be booked)
    processes: bool
    #: the connector gets an answer (else the connection is cut)
    answers: bool
    #: the answer waits the fault's delay first (wall time: connector timeouts live there)
    delays: bool = False

    @property
    def refuses(self) -> bool:
        """It answers in the core's place: a 5xx of the fault's ``status``."""
        return self.answers and not self.processes


def kinds_that(what: str) -> tuple[str, ...]:
    """The fault kinds with the attribute ``what`` true, e.g. ``kinds_that("delays")``."""
    return tuple(name for name, kind in FAULTS.items() if getattr(kind, what))


#: fault kind -> what it does: the one registry of fault kinds
FAULTS: dict[str, FaultKind] = {k.name: k for k in (
    FaultKind("latency", "answer after a wall-clock delay (connector timeouts live in wall time)",
              processes=True, answers=True, delays=True),
    FaultKind("drop", "close the connection without processing the request",
              processes=False, answers=False),
    FaultKind("error", "answer a 5xx without processing the request",
              processes=False, answers=True),
    FaultKind("lost-response", "process the request (a drawdown is booked), then drop the "
              "connection, so the connector never learns the outcome; the journal shows the "
              "booking and the fault", processes=True, answers=False),
)}
FAULT_KINDS = tuple(FAULTS)


@dataclass
class Fault:
    fault_id: str
    kind: str
    operation_id: str | None = None
    method: str | None = None
    line: str | None = None
    times: int = 1
    status: int = 500
    delay_seconds: float = 0.0
    applied: int = 0

    def matches(self, operation_id: str | None, method: str, line: str | None) -> bool:
        return (
            self.applied < self.times
            and (self.operation_id is None or self.operation_id == operation_id)
            and (self.method is None or self.method.upper() == method)
            and (self.line is None or self.line == line)
        )

    def describe(self) -> str:
        return f"{self.kind}#{self.fault_id}"


class FaultPlan:
    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; valid: {', '.join(FAULT_KINDS)}")
        with self._lock:
            self.faults.append(fault)
        return fault

    def take(self, operation_id: str | None, method: str, line: str | None) -> Fault | None:
        """The first armed fault matching this request, consumed once."""
        if not self.faults:  # nearly every request: no lock to take (a list's length is atomic)
            return None
        with self._lock:
            for fault in self.faults:
                if fault.matches(operation_id, method, line):
                    fault.applied += 1
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self.faults.clear()
