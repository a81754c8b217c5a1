"""Connector drivers: how the harness talks to a connector written in any language.

A spec names the kind and the target:

- ``python:package.module:Class`` -- a class with the methods of :mod:`harness.drivers.python`,
  run in a child process per scenario run (``python-in-process:`` runs it in this process);
- ``command:<command line>`` -- any executable speaking JSON lines on stdin/stdout;
- ``http://host:port`` -- a connector running as a service with the small driver endpoint;
- ``container:IMAGE`` -- a connector image (see :mod:`harness.drivers.container`).

See docs/driver-protocol.md. The names below load on first use, so the small program that hosts
a python connector in its child process (:mod:`harness.drivers.python_host`) starts fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.drivers.base import Driver, DriverFactory
    from harness.drivers.spec import driver_factory

__all__ = ["Driver", "DriverFactory", "driver_factory"]
_WHERE = {"Driver": "base", "DriverFactory": "base", "driver_factory": "spec"}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'harness.drivers' has no attribute {name!r}")
    return getattr(importlib.import_module(f"harness.drivers.{_WHERE[name]}"), name)
