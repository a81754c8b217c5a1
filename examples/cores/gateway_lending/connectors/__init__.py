"""Connectors for the gateway core: ``reference`` (both releases) and ``legacy`` (release r1),
named by ``--connector python:examples.cores.gateway_lending.connectors.<module>:<class>``."""

from examples.cores.gateway_lending.connectors.legacy import LegacyR1Connector
from examples.cores.gateway_lending.connectors.reference import ReferenceConnector

__all__ = ["LegacyR1Connector", "ReferenceConnector"]
