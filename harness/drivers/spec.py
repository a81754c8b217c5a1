"""Turn a ``--connector`` value into a factory of fresh drivers."""

from __future__ import annotations

from fake_core_bank.errors import InputError
from harness.drivers.base import DriverFactory, Identity

KINDS = ("python", "python-in-process", "command", "http", "https", "container")


def driver_factory(spec: str) -> tuple[DriverFactory, Identity]:
    """A factory of drivers and the connector's identity. Raises InputError on a bad spec."""
    kind, sep, target = spec.partition(":")
    if not sep:
        raise InputError("--connector", f"{spec!r} has no kind",
                         "write python:module:Class, command:<cmd>, http://host:port or "
                         "container:IMAGE")
    if kind in ("python", "python-in-process"):
        from harness.drivers.python import python_factory

        return python_factory(target, spec, in_process=kind == "python-in-process")
    if kind == "command":
        from harness.drivers.command import CommandDriver, split_command

        argv = split_command(target, spec)
        probe_command = CommandDriver(argv, spec)
        probe_command.start("http://127.0.0.1:9", "v0")
        identity = probe_command.hello()
        probe_command.stop()
        return (lambda: CommandDriver(argv, spec, identity=identity)), identity
    if kind in ("http", "https"):
        from harness.drivers.http import http_factory

        return http_factory(spec, spec)
    if kind == "container":
        from harness.drivers.container import container_factory

        return container_factory(target, spec)
    raise InputError.for_unknown_name("--connector", "connector kind", kind, KINDS)
