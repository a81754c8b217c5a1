"""Connector drivers: how the harness talks to a connector written in any language.

A spec names the kind and the target:

- ``python:package.module:Class`` -- a class with the methods of :mod:`harness.drivers.python`;
- ``command:<command line>`` -- any executable speaking JSON lines on stdin/stdout;
- ``http://host:port`` -- a connector running as a service with the small driver endpoint;
- ``container:IMAGE`` -- a connector image (see :mod:`harness.drivers.container`).

See docs/driver-protocol.md.
"""

from __future__ import annotations

from harness.drivers.base import Driver, DriverFactory, Identity
from harness.drivers.spec import driver_factory

__all__ = ["Driver", "DriverFactory", "Identity", "driver_factory"]
