"""Turn a ``--connector`` value into a factory of fresh drivers."""

from __future__ import annotations

from pathlib import Path

from fake_core_bank.errors import InputError
from harness.drivers.base import DriverFactory
from harness.evidence import Identity

KINDS = ("python", "python-in-process", "command", "http", "https", "container")
#: The kinds that import a Python class (in a child process, or in this one).
PYTHON_KINDS = ("python", "python-in-process")


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
        raise InputError("--connector", f"{spec!r} has no kind",
                         "write python:module:Class, command:<cmd>, http://host:port or "
                         "container:IMAGE")
    if connector_path and kind not in PYTHON_KINDS:
        raise InputError("--connector-path", f"only python: connectors are imported, not {kind}:",
                         "drop --connector-path (a command's own paths go in the command)")
    if kind in PYTHON_KINDS:
        from harness.drivers.python import python_factory

        return python_factory(target, spec, in_process=kind == "python-in-process",
                              connector_path=connector_path)
    if kind == "command":
        from harness.drivers.command import CommandDriver, split_command

        argv = split_command(target, spec)
        probe_command = CommandDriver(argv, spec)
        probe_command.start("http://127.0.0.1:9", "v0")
        identity = probe_command.hello()
        failure = probe_command.startup_failure()
        probe_command.stop()
        if failure is not None:  # bad input (exit 2), not a failing connector (exit 1)
            raise InputError("--connector", failure,
                             "run the command by hand to see it start; fix the path or the "
                             "program")
        return (lambda: CommandDriver(argv, spec, identity=identity)), identity
    if kind in ("http", "https"):
        from harness.drivers.http import http_factory

        return http_factory(spec, spec)
    if kind == "container":
        from harness.drivers.container import container_factory

        return container_factory(target, spec)
    raise InputError.for_unknown_name("--connector", "connector kind", kind, KINDS)
