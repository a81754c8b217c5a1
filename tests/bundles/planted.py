"""Connectors for the bundle tests: one that leaks secrets into everything it sends."""

from __future__ import annotations

from typing import Any, ClassVar

from examples.connectors.reference_py.connector import ReferenceConnector

SECRETS = ("s3cr3t-bearer-token-XYZ", "session=c00kie-value-QQQ", "apikey-777-AAA",
           "body-token-999-BBB")


class LeakyConnector(ReferenceConnector):
    """The reference connector, sending credentials in headers and in the request body."""

    DRAWBRIDGE: ClassVar[dict[str, Any]] = {"name": "leaky", "version": "1", "contracts": ["v2"]}

    def __init__(self, bank_url: str, *, version: str) -> None:
        super().__init__(bank_url, version=version)
        self.http.headers.update({"Authorization": f"Bearer {SECRETS[0]}",
                                  "Cookie": SECRETS[1], "X-Api-Key": SECRETS[2]})

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        # A body field the contract does not know, holding a credential: the bank rejects the
        # request (strict v2 schema) and journals the body it refused.
        response = self.http.post(f"{self.bank_url}/{self.version}/credit-lines/{line_id}/"
                                  "drawdowns", json={"amount": amount_minor, "currency": currency,
                                                     "beneficiaryAccount": account,
                                                     "accessToken": SECRETS[3]})
        return self._result(response)
