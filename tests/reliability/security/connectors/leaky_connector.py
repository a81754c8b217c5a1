"""The reference connector, plus the secrets a real one carries: a live bearer token and an
API key on every request, and credentials under names no list of secret headers would guess
(an API gateway's subscription key, a proxy's credentials, ``?access_token=``). The redaction
tests check none of them reaches a file on disk."""

from __future__ import annotations

from typing import Any, ClassVar

from examples.connectors.reference_py.connector import ReferenceConnector

BEARER = "sk-live-4f9c2b7e1a8d6035c0ffee11223344556677"
API_KEY = "ak-prod-7d41e0b9c3a25f68"
#: Credentials under names only an allowlist catches (issue 15 item 15).
UNLISTED = {
    "Ocp-Apim-Subscription-Key": "apim-9e1b7c55d2f04a13b8a6",
    "Proxy-Authorization": "Basic cHJveHk6aHVudGVyMg==",
    "X-Auth-Token": "xat-0c8d2e4f6a1b3c5d7e9f",
    "X-Gateway-Credential-Blob": "gw-5a6b7c8d9e0f1a2b",
}
ACCESS_TOKEN = "qat-31f4a9c07b2e58d6"


class LeakyConnector(ReferenceConnector):
    DRAWBRIDGE: ClassVar[dict[str, Any]] = {
        "name": "leaky", "version": "1.0.0", "contracts": ["v2", "v3"]}

    def __init__(self, bank_url: str, *, version: str) -> None:
        super().__init__(bank_url, version=version)
        self.http.headers["Authorization"] = f"Bearer {BEARER}"
        self.http.headers["X-Api-Key"] = API_KEY
        self.http.headers.update(UNLISTED)
        self.http.params = {"access_token": ACCESS_TOKEN}
