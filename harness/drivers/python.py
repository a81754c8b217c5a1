"""Drive a connector written in Python: an import path to a class.

The class implements this small protocol (duck-typed; see docs/driver-protocol.md)::

    class MyConnector:
        DRAWBRIDGE = {"name": "my-erp-connector", "version": "1.4.0", "contracts": ["v2", "v3"]}

        def __init__(self, bank_url: str, *, version: str) -> None: ...
        def get_credit_line(self, line_id: str) -> dict: ...
        def draw_down(self, line_id: str, amount_minor: int, currency: str, *,
                      account: str, purpose: str | None, intent: str) -> dict: ...
        def get_drawdown(self, drawdown_id: str) -> dict: ...
        def activate(self, line_id: str) -> dict: ...
        def repay(self, line_id: str, amount_minor: int, currency: str, *, intent: str) -> dict: ...

Each method returns the outcome as a dict: ``{"outcome": "rejected", "reason": "LINE_LOCKED",
"lockedUntil": "..."}``. An exception becomes a ``failed`` outcome with the exception as detail.
"""

from __future__ import annotations

import importlib
import sys
import threading
import traceback
from pathlib import Path
from typing import Any

from fake_core_bank.errors import InputError
from harness.drivers.base import DriverNotes, Identity
from harness.outcome import Outcome

METHODS = {"get-line": "get_credit_line", "draw-down": "draw_down",
           "get-drawdown": "get_drawdown", "activate": "activate", "repay": "repay"}


def load_class(target: str, spec: str) -> type[Any]:
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        raise InputError("--connector", f"{spec!r} is not module:Class",
                         "write python:package.module:ClassName")
    if str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise InputError("--connector", f"cannot import {module_name}: {exc}",
                         "check the module path (relative to the current directory)") from exc
    cls = getattr(module, attr, None)
    if not isinstance(cls, type):
        known = [n for n, v in vars(module).items() if isinstance(v, type)]
        raise InputError.for_unknown_name("--connector", "class", attr, known)
    missing = [m for m in METHODS.values() if not callable(getattr(cls, m, None))]
    if missing:
        raise InputError("--connector", f"{target} lacks {', '.join(missing)}",
                         "implement the connector protocol (docs/driver-protocol.md)")
    return cls


class PythonDriver:
    def __init__(self, cls: type[Any], spec: str) -> None:
        self.cls = cls
        self.identity = Identity.from_wire(getattr(cls, "DRAWBRIDGE", None), spec, cls.__name__)
        self.notes = DriverNotes()
        self.instance: Any = None

    def start(self, bank_url: str, version: str) -> None:
        self.instance = self.cls(bank_url, version=version)

    def perform(self, request: dict[str, Any], timeout: float) -> Outcome:
        method = getattr(self.instance, METHODS[request["op"]])
        args, kwargs = _arguments(request)
        box: list[Any] = []

        def call() -> None:
            try:
                box.append(("ok", method(*args, **kwargs)))
            except Exception as exc:  # noqa: BLE001 -- any connector error is evidence
                box.append(("error", f"{type(exc).__name__}: {exc}",
                            traceback.format_exc(limit=3)))

        # A thread bounds the operation's time; a hung connector thread is abandoned (daemon).
        worker = threading.Thread(target=call, daemon=True, name="python-connector")
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            self.notes.add(f"{request['op']} did not return within {timeout:g}s; abandoned")
            return Outcome.failed(f"timeout: no answer within {timeout:g}s")
        if box[0][0] == "error":
            self.notes.add(box[0][2])
            return Outcome.failed(box[0][1])
        return Outcome.from_wire(box[0][1], f"{self.identity.name}.{METHODS[request['op']]}")

    def stop(self) -> None:
        close = getattr(self.instance, "close", None)
        if callable(close):
            try:
                close()
            except Exception as exc:  # noqa: BLE001 -- any connector error is evidence
                self.notes.add(f"close() raised {exc!r}")
        self.instance = None


def _arguments(request: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    op = request["op"]
    if op in ("get-line", "activate"):
        return (request["line"],), {}
    if op == "get-drawdown":
        return (request["drawdownId"],), {}
    amount = request["amount"]
    if op == "draw-down":
        return (request["line"], amount["minor"], amount["currency"]), {
            "account": request["account"], "purpose": request.get("purpose"),
            "intent": request["intent"]}
    return (request["line"], amount["minor"], amount["currency"]), {"intent": request["intent"]}
