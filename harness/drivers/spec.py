"""Turn a ``--connector`` value into a factory of fresh drivers.

A spec is ``<kind>:<target>``; :data:`DRIVERS` is the one registry of kinds (docs/driver-protocol.md
lists them; a test ties the two, and the commands' ``--connector`` help is :data:`SPEC_FORMS`).
Each kind's maker imports its driver module on first use, so a command that never starts a
container never imports docker's.

    >>> SPEC_FORMS
    'python:module:Class, command:<cmd>, http://host:port or container:IMAGE'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fake_core_bank.errors import InputError
from harness.drivers.base import DriverFactory
from harness.evidence import Identity

#: (target, whole spec, --connector-path) -> a factory of drivers and the connector's identity
Maker = Callable[[str, str, Path | str | None], tuple[DriverFactory, Identity]]


@dataclass(frozen=True)
class DriverKind:
    """A kind of connector spec: how it is written and how its drivers are made."""

    name: str
    #: how a spec of this kind is written (in help texts, errors and docs)
    form: str
    make: Maker
    #: it imports a Python class (in a child process, or in this one)
    python: bool = False
    #: named in the short list of forms every ``--connector`` help shows
    listed: bool = True
    #: one running service holds the connector: runs take turns on it, processes cannot share it
    service: bool = False


def _python(target: str, spec: str, connector_path: Path | str | None,
            ) -> tuple[DriverFactory, Identity]:
    from harness.drivers.python import python_factory

    return python_factory(target, spec, in_process=spec.startswith("python-in-process:"),
                          connector_path=connector_path)


def _command(target: str, spec: str, _path: Path | str | None,
             ) -> tuple[DriverFactory, Identity]:
    from harness.drivers.command import CommandDriver, split_command

    argv = split_command(target, spec)
    probe_command = CommandDriver(argv, spec)
    probe_command.start("http://127.0.0.1:9", "v0")
    identity = probe_command.hello()
    failure = probe_command.startup_failure()
    probe_command.stop()
    if failure is not None:  # bad input (exit 2), not a failing connector (exit 1)
        raise InputError("--connector", failure,
                         "run the command by hand to see it start; fix the path or the program")
    return (lambda: CommandDriver(argv, spec, identity=identity)), identity


def _http(_target: str, spec: str, _path: Path | str | None) -> tuple[DriverFactory, Identity]:
    from harness.drivers.http import http_factory

    return http_factory(spec, spec)


def _container(target: str, spec: str, _path: Path | str | None,
               ) -> tuple[DriverFactory, Identity]:
    from harness.drivers.container import container_factory

    return container_factory(target, spec)


#: spec kind -> how its drivers are made: the one registry of connector kinds
DRIVERS: dict[str, DriverKind] = {k.name: k for k in (
    DriverKind("python", "python:module:Class", _python, python=True),
    DriverKind("python-in-process", "python-in-process:module:Class", _python, python=True,
               listed=False),
    DriverKind("command", "command:<cmd>", _command),
    DriverKind("http", "http://host:port", _http, service=True),
    DriverKind("https", "https://host:port", _http, listed=False, service=True),
    DriverKind("container", "container:IMAGE", _container),
)}

KINDS = tuple(DRIVERS)
#: The kinds that import a Python class (in a child process, or in this one).
PYTHON_KINDS = tuple(k.name for k in DRIVERS.values() if k.python)
#: The kinds that reach one connector service, which parallel processes cannot share.
SERVICE_KINDS = tuple(k.name for k in DRIVERS.values() if k.service)
_LISTED = [k.form for k in DRIVERS.values() if k.listed]
#: The forms of a spec, as every ``--connector`` help and the no-kind error say them.
SPEC_FORMS = ", ".join(_LISTED[:-1]) + f" or {_LISTED[-1]}"


def is_python_spec(spec: str) -> bool:
    """Whether ``spec`` names a Python class (``python:`` or ``python-in-process:``): the one
    check every command uses (``--transport responses``, ``--connector-path``)."""
    return spec.partition(":")[0] in PYTHON_KINDS


def driver_factory(spec: str, connector_path: Path | str | None = None,
                   ) -> tuple[DriverFactory, Identity]:
    """A factory of drivers and the connector's identity. Raises InputError on a bad spec.

    ``connector_path`` (``--connector-path``) is the directory a python connector is imported
    from instead of the working directory; it is kept in the identity, so reproduce commands
    and bundles carry it.
    """
    kind, sep, target = spec.partition(":")
    if not sep:
        raise InputError("--connector", f"{spec!r} has no kind", f"write {SPEC_FORMS}")
    if kind not in DRIVERS:
        raise InputError.for_unknown_name("--connector", "connector kind", kind, KINDS)
    if connector_path and kind not in PYTHON_KINDS:
        raise InputError("--connector-path", f"only python: connectors are imported, not {kind}:",
                         "drop --connector-path (a command's own paths go in the command)")
    return DRIVERS[kind].make(target, spec, connector_path)
