"""Faults the harness injects into the fake bank's HTTP answers.

- ``latency``: answer after a wall-clock delay (connector timeouts live in wall time);
- ``drop``: close the connection without processing the request;
- ``error``: answer a 5xx without processing the request;
- ``lost-response``: process the request (a drawdown is booked), then drop the connection, so
  the connector never learns the outcome. The journal shows the booking and the fault.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

FAULT_KINDS = ("latency", "drop", "error", "lost-response")


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
        with self._lock:
            for fault in self.faults:
                if fault.matches(operation_id, method, line):
                    fault.applied += 1
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self.faults.clear()
