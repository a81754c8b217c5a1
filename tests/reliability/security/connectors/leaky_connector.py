"""The reference connector, plus the secrets a real one carries: a live bearer token and an
API key on every request. The redaction tests check none of them reaches a file on disk."""

from __future__ import annotations

from typing import Any, ClassVar

from examples.connectors.reference_py.connector import ReferenceConnector

BEARER = "sk-live-4f9c2b7e1a8d6035c0ffee11223344556677"
API_KEY = "ak-prod-7d41e0b9c3a25f68"


class LeakyConnector(ReferenceConnector):
    DRAWBRIDGE: ClassVar[dict[str, Any]] = {
        "name": "leaky", "version": "1.0.0", "contracts": ["v2", "v3"]}

    def __init__(self, bank_url: str, *, version: str) -> None:
        super().__init__(bank_url, version=version)
        self.http.headers["Authorization"] = f"Bearer {BEARER}"
        self.http.headers["X-Api-Key"] = API_KEY
