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
import pkgutil
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


def import_root(connector_path: Path | str | None) -> Path:
    """The directory python connectors are imported from: ``--connector-path`` (absolute, so
    a reproduce command works from any directory), else the working directory."""
    if connector_path is None or str(connector_path) == "":
        return Path.cwd()
    root = Path(connector_path).resolve()
    if not root.is_dir():
        raise InputError("--connector-path", f"{connector_path} is not a directory",
                         "name the directory that holds your connector's package")
    return root


def load_class(target: str, spec: str, root: Path | None = None) -> type[Any]:
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        raise InputError("--connector", f"{spec!r} is not module:Class",
                         "write python:package.module:ClassName")
    root = root or Path.cwd()
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    module = _import(module_name, root)
    cls = getattr(module, attr, None)
    if not isinstance(cls, type):
        known = [n for n, v in vars(module).items() if isinstance(v, type)]
        if not known:
            raise _no_classes(module, attr)
        raise InputError.for_unknown_name("--connector", "class", attr, known)
    missing = [m for m in METHODS.values() if not callable(getattr(cls, m, None))]
    if missing:
        raise InputError("--connector", f"{target} lacks {', '.join(missing)}",
                         "implement the connector protocol (docs/driver-protocol.md)")
    return cls


def _import(module_name: str, root: Path) -> Any:
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing and not _is_part_of(missing, module_name):
            # The connector's module was found; something it imports is not installed.
            raise InputError("--connector", f"{module_name} imports {missing!r}, which is not "
                             "installed where drawbridge runs",
                             f"install it into this environment ({sys.executable} -m pip "
                             f"install {missing.partition('.')[0]}) or run drawbridge from "
                             "the connector's own environment") from exc
        raise InputError("--connector", f"cannot import {module_name}: No module named "
                         f"{missing!r} in {root} or the installed packages",
                         "check the module path, or pass --connector-path DIR (the directory "
                         "holding the package)") from exc
    except ImportError as exc:
        raise InputError("--connector", f"cannot import {module_name}: {exc}",
                         "fix the import error in the connector's module") from exc
    except SyntaxError as exc:
        raise InputError(f"{exc.filename}:{exc.lineno}", f"syntax error: {exc.msg}",
                         "fix the connector's source") from exc


def _is_part_of(missing: str, module_name: str) -> bool:
    """True when ``missing`` is ``module_name`` or one of its parent packages."""
    return module_name == missing or module_name.startswith(missing + ".")


def _no_classes(module: Any, attr: str) -> InputError:
    """A module without classes: most often a package folder named instead of its module."""
    folders = getattr(module, "__path__", None)
    if folders is not None:
        inside = sorted(m.name for m in pkgutil.iter_modules(folders))
        example = f"{module.__name__}.{inside[0]}:{attr}" if inside else f"{module.__name__}" \
            f".connector:{attr}"
        listing = ", ".join(inside) or "none"
        return InputError("--connector", f"{module.__name__} is a package folder, not the "
                          f"module that defines {attr} (modules in it: {listing})",
                          f"name the module, e.g. python:{example}")
    return InputError("--connector", f"{module.__name__} defines no class (looked for {attr})",
                      "name the module that defines the connector class")


class PythonDriver:
    def __init__(self, cls: type[Any], spec: str, path: str = "") -> None:
        self.cls = cls
        self.identity = Identity.from_wire(getattr(cls, "DRAWBRIDGE", None), spec, cls.__name__,
                                           path)
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
