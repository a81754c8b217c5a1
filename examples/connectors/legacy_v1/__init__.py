"""The legacy connector: written for contract v1 and never updated."""

from examples.connectors.legacy_v1.connector import LegacyV1Connector

__all__ = ["LegacyV1Connector"]
