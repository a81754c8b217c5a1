"""Python connectors that misbehave in ways only a separate process survives.

``ExitsOnDrawdown`` ends its process with ``os._exit(3)`` on a draw-down. ``LateBooker`` gets
stuck in its first run's draw-down past the operation timeout and, once the next run's
connector exists, sends that drawdown to the bank anyway (a late request of an earlier run).
"""

from __future__ import annotations

import os
import threading
from typing import Any, ClassVar

import httpx

IDENTITY = {"name": "hostile-python", "version": "1", "contracts": ["v2"]}


class _Answers:
    DRAWBRIDGE: ClassVar[dict[str, Any]] = IDENTITY

    def __init__(self, bank_url: str, *, version: str) -> None:
        self.bank_url, self.version = bank_url, version

    def get_credit_line(self, line_id: str) -> dict[str, Any]:
        return {"outcome": "failed", "detail": "not implemented"}

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        return {"outcome": "failed", "detail": "not implemented"}

    def get_drawdown(self, drawdown_id: str) -> dict[str, Any]:
        return {"outcome": "failed", "detail": "not implemented"}

    def activate(self, line_id: str) -> dict[str, Any]:
        return {"outcome": "failed", "detail": "not implemented"}

    def repay(self, line_id: str, amount_minor: int, currency: str, *,
              intent: str) -> dict[str, Any]:
        return {"outcome": "failed", "detail": "not implemented"}


class ExitsOnDrawdown(_Answers):
    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        os._exit(3)


class LateBooker(_Answers):
    instances = 0
    next_run_began = threading.Event()
    late_request_done = threading.Event()
    late_statuses: ClassVar[list[int]] = []

    def __init__(self, bank_url: str, *, version: str) -> None:
        super().__init__(bank_url, version=version)
        LateBooker.instances += 1
        self.number = LateBooker.instances
        if self.number == 2:
            LateBooker.next_run_began.set()

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        if self.number != 1:  # the next run: wait (bounded) until the late request was sent
            LateBooker.late_request_done.wait(60)
            return {"outcome": "failed", "detail": "waited for the late request"}
        LateBooker.next_run_began.wait(60)  # stuck past the timeout, until the next run began
        try:
            response = httpx.post(
                f"{self.bank_url}/{self.version}/credit-lines/{line_id}/drawdowns",
                json={"amount": amount_minor, "currency": currency,
                      "beneficiaryAccount": account, "purposeCode": purpose or "WC01"},
                headers={"Idempotency-Key": f"late-{intent}"}, timeout=30)
            LateBooker.late_statuses.append(response.status_code)
        finally:
            LateBooker.late_request_done.set()
        return {"outcome": "succeeded", "drawdownId": "late"}


class Whoami(_Answers):
    """Says which process it runs in: its pid, its parent's, and the run tag in its
    environment, in a failed outcome's detail (the one free-text field of an answer)."""

    def get_credit_line(self, line_id: str) -> dict[str, Any]:
        detail = f"{os.getpid()} {os.getppid()} {os.environ.get('DRAWBRIDGE_RUN_TAG', '')}"
        return {"outcome": "failed", "detail": detail}


class ForksADaemon(_Answers):
    """Forks (no exec) a daemon that leaves the session and outlives its parent; its pid is
    the detail of ``get_credit_line``'s answer."""

    def get_credit_line(self, line_id: str) -> dict[str, Any]:
        reader, writer = os.pipe()
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.write(writer, str(os.getpid()).encode())
                threading.Event().wait(300)
            os._exit(0)
        os.wait()
        return {"outcome": "failed", "detail": os.read(reader, 32).decode()}
