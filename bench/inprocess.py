"""Per exchange, in process versus loopback: the same httpx client code, two transports.

In process, ``httpx.ASGITransport`` calls the fake bank's ASGI app directly (no socket, no
server); over loopback the client talks to ``drawbridge serve`` in another process. Each run
alternates the credit-line GET and a drawdown POST with a fresh Idempotency-Key.
"""

from __future__ import annotations

import asyncio
import importlib.util
import time
from typing import Any

import httpx

from bench import stubs
from bench.servers import fake_bank
from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.app import BankApp


async def _exchanges(client: httpx.AsyncClient, count: int, tag: str) -> float:
    """Seconds per exchange over ``count`` exchanges (after a short warm-up)."""
    body = stubs.post_bytes()

    async def one(n: int) -> None:
        if n % 2:
            answer = await client.post(stubs.POST_PATH, content=body, headers={
                "content-type": "application/json", "idempotency-key": f"{tag}-{n}"})
        else:
            answer = await client.get(stubs.GET_PATH)
        if answer.status_code >= 300:
            raise RuntimeError(f"{tag}: the fake bank answered {answer.status_code}")

    for n in range(20):
        await one(-n - 1)
    started = time.perf_counter()
    for n in range(count):
        await one(n)
    return (time.perf_counter() - started) / count


def in_process(count: int) -> float:
    async def go() -> float:
        app = BankApp(FakeBank(BankConfig(customers=10)))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bank") as client:
            return await _exchanges(client, count, "inproc")
    return asyncio.run(go())


def in_process_instant(count: int) -> float:
    """The floor under :func:`in_process`: the same client and transport calling an ASGI app that
    answers at once with the fake bank's bytes. What httpx and ASGITransport cost by themselves.
    """
    answers = stubs.sample_answers()
    json_type = [(b"content-type", b"application/json")]

    async def instant(scope: dict[str, object], receive: Any, send: Any) -> None:
        post = scope["method"] == "POST"
        if post:
            await receive()  # read the body, as any server must
        body = answers.post_body if post else answers.get_body
        await send({"type": "http.response.start", "headers": json_type,
                    "status": answers.post_status if post else answers.get_status})
        await send({"type": "http.response.body", "body": body})

    async def go() -> float:
        transport = httpx.ASGITransport(app=instant)
        async with httpx.AsyncClient(transport=transport, base_url="http://bank") as client:
            return await _exchanges(client, count, "instant")
    return asyncio.run(go())


def loopback(count: int, work: object) -> float:
    from pathlib import Path

    child = fake_bank()(Path(str(work)))
    try:
        async def go() -> float:
            async with httpx.AsyncClient(base_url=child.base_url) as client:
                return await _exchanges(client, count, "loop")
        return asyncio.run(go())
    finally:
        child.stop()


def playback_available() -> bool:
    """harness.playback (``responses`` routing for ``requests``-based connectors)."""
    return importlib.util.find_spec("harness.playback.measure") is not None


def playback(count: int) -> tuple[float, float, float]:
    """Seconds per exchange through ``responses``, over loopback (a BankServer thread in this
    process) and through ``responses`` to an instant canned handler (what ``requests`` and
    ``responses`` cost by themselves), all with one ``requests.Session``: harness.playback's own
    measure."""
    from harness.playback.measure import per_exchange

    return (per_exchange("responses", count), per_exchange("loopback", count),
            per_exchange("instant", count))


def direct(count: int) -> None:
    """``count`` exchanges straight into the ASGI app (no client library): what a profile of the
    fake bank's own request path should see."""
    app = BankApp(FakeBank(BankConfig(customers=10)))
    body = stubs.post_bytes()

    async def one(n: int) -> None:
        post = n % 2 == 1
        scope = {"type": "http", "method": "POST" if post else "GET",
                 "path": stubs.POST_PATH if post else stubs.GET_PATH, "query_string": b"",
                 "headers": [(b"content-type", b"application/json"),
                             (b"idempotency-key", f"direct-{n}".encode())] if post else []}
        sent: list[dict[str, object]] = []

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": body if post else b"", "more_body": False}

        async def send(message: dict[str, object]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        if sent[0]["status"] not in (200, 201):
            raise RuntimeError(f"direct call answered {sent[0]['status']}")

    async def go() -> None:
        for n in range(count):
            await one(n)
    asyncio.run(go())
