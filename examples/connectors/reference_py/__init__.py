"""The correct reference connector: v2 and v3 on ``requests``."""

from examples.connectors.reference_py.connector import ReferenceConnector

__all__ = ["ReferenceConnector"]
