"""LoopbackHostOnly remembers Host values it found to be loopback names (issue 19) and still
refuses every other one, whatever it has seen before and however many it remembers."""

from __future__ import annotations

import asyncio
from typing import Any

from fake_core_bank.http.guards import KNOWN_HOSTS, LoopbackHostOnly


async def _ok(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})


def _status(guard: LoopbackHostOnly, host: bytes | None) -> int:
    headers = [] if host is None else [(b"host", host)]
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(guard({"type": "http", "headers": headers}, None, send))
    return int(sent[0]["status"])


def test_foreign_hosts_stay_refused_after_loopback_ones_are_remembered() -> None:
    guard = LoopbackHostOnly(_ok)
    for port in range(KNOWN_HOSTS + 10):  # more loopback values than it remembers
        assert _status(guard, f"127.0.0.1:{port}".encode()) == 200
    assert len(guard._loopback) == KNOWN_HOSTS
    for host in (b"127.0.0.1:1", b"LOCALHOST", b"[::1]:80", b"", None):
        assert _status(guard, host) == 200, host
    for host in (b"evil.example", b"127.0.0.1.nip.io", b"10.0.0.5:80"):
        assert _status(guard, host) == 403, host
        assert _status(guard, host) == 403, host  # the second time too: never remembered
    assert all(host.startswith(b"127.0.0.1:") for host in guard._loopback)
