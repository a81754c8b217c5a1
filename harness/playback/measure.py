"""Time one connector exchange per transport, for the benchmark (``make bench``).

>>> per_exchange("responses", 200) < per_exchange("loopback", 200)       # doctest: +SKIP
True

Both modes send the same exchanges -- ``GET /v2/credit-lines/CL000001`` and a one-fen drawdown
``POST`` with a fresh ``Idempotency-Key``, alternating -- with one ``requests.Session`` against a
fake bank seeded with one enterprise; only the transport differs: a uvicorn server on 127.0.0.1
(``loopback``) or the ASGI app called in process through ``responses`` (``responses``). The
first exchanges warm up and are not timed.

``instant`` is the floor under ``responses``: the same exchanges through ``responses`` to a
handler that answers at once with the bytes the fake bank gave for the first GET and POST. It is
what ``requests`` and ``responses`` cost by themselves, so ``loopback / instant`` is the most any
fake bank mounted in ``responses`` could ever gain over loopback.

The session does not read proxy settings from the environment (``trust_env = False``), in both
modes: ``requests`` otherwise scans every environment variable on each call (about 0.6 ms, more
than the fake bank's whole answer), which is the same in both modes and says nothing about the
transport. A connector's own unit tests against a mounted bank have no proxy to find either.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests

from fake_core_bank.errors import InputError
from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.app import BankApp
from fake_core_bank.server import BankServer
from harness.playback.asgi import AsgiResponse
from harness.playback.mount import Handler, bank_handler, mount, mount_handler

MODES = ("loopback", "responses", "instant")
WARMUP = 5
PATH = "/v2/credit-lines/CL000001"
DRAWDOWNS = PATH + "/drawdowns"
#: a one-fen v2 drawdown to the seeded enterprise's own account
BODY: dict[str, Any] = {"amount": 1, "currency": "CNY", "beneficiaryAccount": "6222000011112222"}


@contextmanager
def _served(mode: str) -> Iterator[str]:
    config = BankConfig(seed=1, customers=1, message_variants=False)
    if mode == "loopback":
        with BankServer(config) as server:
            yield server.base_url
    elif mode == "responses":
        with mount(FakeBank(config)) as url:
            yield url
    elif mode == "instant":
        with mount_handler(_canned(FakeBank(config))) as url:
            yield url
    else:
        raise InputError("mode", f"unknown transport {mode!r}", f"use one of {', '.join(MODES)}")


def _canned(bank: FakeBank) -> Handler:
    """A handler answering every GET and every POST with the bank's first answer to each."""
    serve = bank_handler(BankApp(bank))
    url = "http://fake-bank.invalid"
    json_headers = [("content-type", "application/json")]
    answers = {
        "GET": serve("GET", url + PATH, [], b""),
        "POST": serve("POST", url + DRAWDOWNS, [*json_headers, ("idempotency-key", "canned")],
                      json.dumps(BODY).encode()),
    }

    def handle(method: str, url: str, headers: list[tuple[str, str]],
               body: bytes) -> AsgiResponse:
        return answers[method]

    return handle


def per_exchange(mode: str, n: int = 200) -> float:
    """Mean wall seconds of one request/response exchange in ``mode`` over ``n`` exchanges."""
    if n < 1:
        raise InputError("n", f"{n} exchanges", "time at least 1 exchange")
    with _served(mode) as base, requests.Session() as session:
        session.trust_env = False
        for k in range(WARMUP):
            _exchange(session, base, -k - 1)
        started = time.perf_counter()
        for k in range(n):
            _exchange(session, base, k)
        return (time.perf_counter() - started) / n


def _exchange(session: requests.Session, base: str, k: int) -> None:
    if k % 2:
        answer = session.post(base + DRAWDOWNS, json=BODY, timeout=10,
                              headers={"Idempotency-Key": f"measure-{k}"})
    else:
        answer = session.get(base + PATH, timeout=10)
    answer.raise_for_status()
