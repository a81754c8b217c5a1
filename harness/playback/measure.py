"""Time one connector exchange per transport, for the benchmark (``make bench``).

>>> per_exchange("responses", 200) < per_exchange("loopback", 200)       # doctest: +SKIP
True

Both modes send the same request (``GET /v2/credit-lines/CL000001``) with one
``requests.Session`` against a fake bank seeded with one enterprise; only the transport differs:
a uvicorn server on 127.0.0.1 (``loopback``) or the ASGI app called in process through
``responses`` (``responses``). The first exchanges warm up and are not timed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import requests

from fake_core_bank.errors import InputError
from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.server import BankServer
from harness.playback.mount import mount

MODES = ("loopback", "responses")
WARMUP = 5
PATH = "/v2/credit-lines/CL000001"


@contextmanager
def _served(mode: str) -> Iterator[str]:
    config = BankConfig(seed=1, customers=1, message_variants=False)
    if mode == "loopback":
        with BankServer(config) as server:
            yield server.base_url
    elif mode == "responses":
        with mount(FakeBank(config)) as url:
            yield url
    else:
        raise InputError("mode", f"unknown transport {mode!r}", f"use one of {', '.join(MODES)}")


def per_exchange(mode: str, n: int = 200) -> float:
    """Mean wall seconds of one request/response exchange in ``mode`` over ``n`` exchanges."""
    if n < 1:
        raise InputError("n", f"{n} exchanges", "time at least 1 exchange")
    with _served(mode) as base, requests.Session() as session:
        url = base + PATH
        for _ in range(WARMUP):
            session.get(url, timeout=10).raise_for_status()
        started = time.perf_counter()
        for _ in range(n):
            session.get(url, timeout=10)
        return (time.perf_counter() - started) / n
