"""The Python reference connector as an HTTP service, for Drawbridge's ``http://`` driver."""

from examples.connectors.reference_http.app import IDENTITY, create_app

__all__ = ["IDENTITY", "create_app"]
