"""The python connector protocol: the class a ``python:`` spec names, and how a request calls it.

Shared by the in-process driver (:mod:`harness.drivers.python`) and the child process that hosts
a connector (:mod:`harness.drivers.python_host`), so it imports next to nothing.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from fake_core_bank.errors import InputError

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


def invoke(instance: Any, request: dict[str, Any]) -> Any:
    """The connector's answer to one operation request (raises what the connector raises)."""
    method = getattr(instance, METHODS[request["op"]])
    args, kwargs = _arguments(request)
    return method(*args, **kwargs)


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
