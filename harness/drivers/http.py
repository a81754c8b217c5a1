"""Drive a connector running as a service.

The service exposes three endpoints (see docs/driver-protocol.md):
``GET /drawbridge/identity`` -> identity; ``POST /drawbridge/configure`` with ``{"bankUrl",
"version"}`` at the start of each scenario run (the connector forgets earlier state);
``POST /drawbridge/operations`` with one operation request -> the outcome.

One service holds one connector: ``configure`` replaces it. Scenario runs that share a service
(parallel jobs against one ``http://`` URL) therefore take turns: a driver holds the service's
turn from :meth:`HttpDriver.start` to :meth:`HttpDriver.stop`, so two runs never reconfigure the
connector under each other. (Parallel *processes* against one service cannot be serialised from
here; give each its own service, or use ``container:IMAGE``, which starts one per run.)

The operation timeout is a deadline for the whole operation (connecting, sending, every byte of
the answer), not for each read: a service that drips its answer a byte at a time is cut off at
the deadline. An answer longer than :data:`~harness.drivers.base.LINE_LIMIT` bytes is not
read further.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import orjson

from fake_core_bank.errors import InputError
from harness.drivers.base import LINE_LIMIT, DriverFactory, DriverNotes
from harness.evidence import Identity
from harness.outcome import Outcome

#: Seconds for identity and configure answers (operations have their own timeout).
CONTROL_TIMEOUT = 10.0


class HttpDriver:
    def __init__(self, base_url: str, spec: str, *, identity: Identity | None = None,
                 turn: threading.Lock | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.notes = DriverNotes()
        self.client = httpx.Client(timeout=CONTROL_TIMEOUT)
        self.identity = identity or Identity(self.base_url, spec=spec)
        self.turn = turn
        self.holding = False
        self.broken: str | None = None  # why this run's connector cannot be driven

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
        if self.turn is not None and not self.holding:
            self.turn.acquire()
            self.holding = True
        self.broken = None
        try:
            response = self.client.post(f"{self.base_url}/drawbridge/configure",
                                        json={"bankUrl": bank_url, "version": version})
        except httpx.HTTPError as exc:
            self.broken = f"connector service not configured: {exc or type(exc).__name__}"
            self.notes.add(self.broken)
            return
        if response.status_code >= 400:
            # Operations would run on a connector set up for another run, or none at all.
            self.broken = (f"connector service refused configure ({response.status_code}): "
                           f"{response.text[:200]}")
            self.notes.add(self.broken)

    def perform(self, request: dict[str, Any], timeout: float) -> Outcome:
        if self.broken is not None:
            return Outcome.failed(self.broken)
        url = f"{self.base_url}/drawbridge/operations"
        try:
            status, body = asyncio.run(_post_within(url, request, timeout))
        except (TimeoutError, httpx.TimeoutException):
            return Outcome.failed(f"timeout: no answer within {timeout:g}s")
        except _TooLongError:
            return Outcome.failed(f"driver endpoint answered more than {LINE_LIMIT} bytes; the "
                                  f"limit is {LINE_LIMIT}")
        except httpx.HTTPError as exc:
            return Outcome.failed(f"driver endpoint unreachable: {exc}")
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            return Outcome.failed(f"driver endpoint answered {status} without JSON")
        return Outcome.from_wire(payload, f"{self.identity.name} /drawbridge/operations")

    def stop(self) -> None:
        self.client.close()
        if self.holding and self.turn is not None:
            self.holding = False
            self.turn.release()

    def close(self) -> None:
        self.stop()


class _TooLongError(Exception):
    pass


async def _post_within(url: str, payload: dict[str, Any], seconds: float) -> tuple[int, bytes]:
    """POST ``payload`` and read the answer, all of it within ``seconds``: status and body."""
    async with asyncio.timeout(seconds), httpx.AsyncClient(timeout=seconds) as client, \
            client.stream("POST", url, json=payload) as response:
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > LINE_LIMIT:
                raise _TooLongError
        return response.status_code, bytes(body)


def http_factory(url: str, spec: str) -> tuple[DriverFactory, Identity]:
    """Drivers for the service at ``url``, taking turns on it, and the identity it reports."""
    probe = HttpDriver(url, spec)
    try:
        identity = probe.fetch_identity()
    finally:
        probe.close()
    turn = threading.Lock()  # one service, one connector: runs in this process take turns
    return (lambda: HttpDriver(url, spec, identity=identity, turn=turn)), identity
