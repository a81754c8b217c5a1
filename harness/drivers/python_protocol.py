"""The python connector protocol: the class a ``python:`` spec names, and how a request calls it.

Shared by the in-process driver (:mod:`harness.drivers.python`) and the child process that hosts
a connector (:mod:`harness.drivers.python_host`), so it imports next to nothing.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path
from typing import Any

from fake_core_bank.errors import InputError

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
