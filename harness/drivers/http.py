"""Drive a connector running as a service.

The service exposes three endpoints (see docs/driver-protocol.md):
``GET /drawbridge/identity`` -> identity; ``POST /drawbridge/configure`` with ``{"bankUrl",
"version"}`` at the start of each scenario run (the connector forgets earlier state);
``POST /drawbridge/operations`` with one operation request -> the outcome.
"""

from __future__ import annotations

from typing import Any

import httpx

from fake_core_bank.errors import InputError
from harness.drivers.base import DriverNotes, Identity
from harness.outcome import Outcome


class HttpDriver:
    def __init__(self, base_url: str, spec: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.notes = DriverNotes()
        self.client = httpx.Client(timeout=10.0)
        self.identity = Identity(self.base_url, spec=spec)

    def fetch_identity(self) -> Identity:
        try:
            answer = self.client.get(f"{self.base_url}/drawbridge/identity").json()
        except httpx.TransportError as exc:
            raise InputError("--connector", f"nothing answers at {self.base_url}: {exc}",
                             "start the connector service first, or check its URL") from exc
        except (httpx.HTTPError, ValueError) as exc:
            self.notes.add(f"identity: {exc}")
            answer = None
        self.identity = Identity.from_wire(answer, self.identity.spec, self.base_url)
        return self.identity

    def start(self, bank_url: str, version: str) -> None:
        response = self.client.post(f"{self.base_url}/drawbridge/configure",
                                    json={"bankUrl": bank_url, "version": version})
        if response.status_code >= 400:
            self.notes.add(f"configure answered {response.status_code}: {response.text[:200]}")

    def perform(self, request: dict[str, Any], timeout: float) -> Outcome:
        try:
            response = self.client.post(f"{self.base_url}/drawbridge/operations", json=request,
                                        timeout=timeout)
        except httpx.TimeoutException:
            return Outcome.failed(f"timeout: no answer within {timeout:g}s")
        except httpx.HTTPError as exc:
            return Outcome.failed(f"driver endpoint unreachable: {exc}")
        try:
            payload = response.json()
        except ValueError:
            return Outcome.failed(f"driver endpoint answered {response.status_code} without "
                                  "JSON")
        return Outcome.from_wire(payload, f"{self.identity.name} /drawbridge/operations")

    def stop(self) -> None:
        pass

    def close(self) -> None:
        self.client.close()
