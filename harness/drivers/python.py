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

By default the connector runs in a child process per scenario run
(:mod:`harness.drivers.python_host`, driven like a ``command:`` connector), forked from a
server that imported it once (:mod:`harness.drivers.python_zygote`): it reaches the bank
over loopback like any other, ``os._exit`` in it is a connector failure and not the harness's
end, an operation that times out is killed with its process (it cannot book later, in another
run), and nothing it starts outlives the run. It runs in this process (:class:`PythonDriver`,
a thread per operation) when the spec says ``python-in-process:``, or when the run's bank exists
only in this process (``--transport responses``: :func:`in_process_bank`).
"""

from __future__ import annotations

import json
import sys
import threading
import traceback
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from harness.drivers.base import Driver, DriverFactory, DriverNotes
from harness.drivers.command import CommandDriver, ConnectorProcess
from harness.drivers.python_forks import ForkServer
from harness.drivers.python_host import PATH_VARIABLE
from harness.drivers.python_protocol import METHODS, import_root, invoke, load_class
from harness.evidence import Identity
from harness.outcome import Outcome

_in_process_banks: set[str] = set()
#: Seconds a connector's process may take to import and construct it before its run starts.
START_SECONDS = 60.0


@contextmanager
def in_process_bank(base_url: str) -> Iterator[None]:
    """While this runs, a bank at ``base_url`` exists only in this process (``responses``):
    python connectors pointed at it run in this process, since a child could not reach it."""
    _in_process_banks.add(base_url)
    try:
        yield
    finally:
        _in_process_banks.discard(base_url)


def python_factory(target: str, spec: str, *, in_process: bool,
                   connector_path: Path | str | None = None) -> tuple[DriverFactory, Identity]:
    """Drivers for the class ``target`` names (loaded here once, to check it and name it),
    imported from ``connector_path`` (``--connector-path``) or the working directory; the
    child process inherits this process's import path, the directory included."""
    root = import_root(connector_path)
    cls = load_class(target, spec, root)
    path = str(root) if connector_path else ""
    identity = Identity.from_wire(getattr(cls, "DRAWBRIDGE", None), spec, cls.__name__, path)
    if in_process:
        return (lambda: PythonDriver(cls, spec, path)), identity
    argv = [sys.executable, "-m", "harness.drivers.python_host", target, spec]
    env = {PATH_VARIABLE: json.dumps(sys.path)}
    forks = ForkServer(target, spec, env)
    return _ChildFactory(cls, spec, identity,
                         lambda: HostedPython(argv, spec, env=env, identity=identity,
                                              forks=forks), forks), identity


class HostedPython(CommandDriver):
    """A python connector's host process (:mod:`harness.drivers.python_host`), forked by the
    spec's fork server, or started afresh when the server cannot serve."""

    def __init__(self, argv: list[str], spec: str, *, env: dict[str, str], identity: Identity,
                 forks: ForkServer) -> None:
        super().__init__(argv, spec, env=env, identity=identity)
        self.forks = forks

    def spawn(self, env: dict[str, str]) -> ConnectorProcess:
        return self.forks.fork(env, START_SECONDS) or super().spawn(env)

    def start(self, bank_url: str, version: str) -> None:
        """Start the host and wait until the connector exists: making it is not the
        scenario's time (its clock runs during operations)."""
        CommandDriver.start(self, bank_url, version)
        answer, problem = self.request({"op": "start", "bankUrl": bank_url, "version": version},
                                       START_SECONDS)
        if problem is not None:  # its first operation fails with the same reason
            self.notes.add(f"start: {problem}")
        elif isinstance(answer, dict) and answer.get("detail"):
            self.notes.add(f"start: {answer['detail']}")


class _ChildFactory:
    """The factory of a ``python:`` spec's drivers; its fork server ends with it (or at
    exit)."""

    def __init__(self, cls: type[Any], spec: str, identity: Identity,
                 make: Callable[[], HostedPython], forks: ForkServer) -> None:
        self.cls, self.spec, self.identity, self.make = cls, spec, identity, make
        weakref.finalize(self, forks.close)

    def __call__(self) -> Driver:
        return ChildPythonDriver(self.cls, self.spec, self.identity, self.make)


class ChildPythonDriver:
    """A python connector in a child process per run (in this process for in-process banks)."""

    def __init__(self, cls: type[Any], spec: str, identity: Identity,
                 make: Callable[[], HostedPython]) -> None:
        self.cls, self.spec, self.make = cls, spec, make
        self.identity = identity
        self.notes = DriverNotes()
        self.inner: Driver | None = None

    def start(self, bank_url: str, version: str) -> None:
        if any(bank_url.startswith(url) for url in _in_process_banks):
            self.inner = PythonDriver(self.cls, self.spec)
        else:
            self.inner = self.make()
        self.notes = self.inner.notes
        self.inner.start(bank_url, version)

    def perform(self, request: dict[str, Any], timeout: float) -> Outcome:
        assert self.inner is not None, "start() first"
        return self.inner.perform(request, timeout)

    def stop(self) -> None:
        if self.inner is not None:
            self.inner.stop()


class PythonDriver:
    """A python connector in this process: a thread per operation, abandoned on timeout."""

    def __init__(self, cls: type[Any], spec: str, path: str = "") -> None:
        self.cls = cls
        self.identity = Identity.from_wire(getattr(cls, "DRAWBRIDGE", None), spec, cls.__name__,
                                           path)
        self.notes = DriverNotes()
        self.instance: Any = None

    def start(self, bank_url: str, version: str) -> None:
        self.instance = self.cls(bank_url, version=version)

    def perform(self, request: dict[str, Any], timeout: float) -> Outcome:
        box: list[Any] = []

        def call() -> None:
            try:
                box.append(("ok", invoke(self.instance, request)))
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
