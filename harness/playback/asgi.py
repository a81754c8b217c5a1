"""Call an ASGI app synchronously, in process, with no sockets.

Each call runs the app in a private event loop (created and closed per call, so callers on any
thread -- the python driver runs each operation on its own thread -- never share loop state).
When the caller knows the app will not suspend on anything but its own ``receive``/``send``
(``inline=True``: the fake bank's API without a latency fault armed), the coroutine is driven
directly, without a loop: an event loop costs more than the fake bank's whole answer. A
response that the app breaks off after it started (the fake bank's ``drop`` and
``lost-response`` faults raise once headers are sent) is reported as :class:`Dropped`, which the
transport turns into the client library's connection error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

ASGIApp = Any


class Dropped(Exception):  # noqa: N818 -- it names what the client sees
    """The app started a response and then broke the connection."""


@dataclass(frozen=True)
class AsgiResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def call_asgi(app: ASGIApp, method: str, url: str, headers: list[tuple[str, str]],
              body: bytes, *, inline: bool = False) -> AsgiResponse:
    """One HTTP exchange with ``app``; raises :class:`Dropped` when the answer is cut off."""
    parts = urlsplit(url)
    if not any(k.lower() == "host" for k, _ in headers):
        # HTTP/1.1 clients always send Host (http.client adds it below `requests`).
        headers = [("host", parts.netloc), *headers]
    host = parts.hostname or "localhost"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
        "method": method.upper(), "scheme": parts.scheme or "http",
        "path": parts.path or "/", "raw_path": (parts.path or "/").encode("latin-1"),
        "query_string": parts.query.encode("latin-1"), "root_path": "",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        "server": (host, port), "client": ("127.0.0.1", 0),
    }
    started: dict[str, Any] = {}
    chunks: list[bytes] = []
    sent_body = False

    async def receive() -> dict[str, Any]:
        nonlocal sent_body
        if not sent_body:
            sent_body = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            started.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    try:
        if inline:
            _drive(app(scope, receive, send))
        else:
            loop = asyncio.new_event_loop()
            try:
                loop.run_until_complete(app(scope, receive, send))
            finally:
                loop.close()
    except Exception as exc:
        if started:
            raise Dropped(f"{method} {url}: the server broke off its answer ({exc})") from exc
        raise
    if not started:
        raise Dropped(f"{method} {url}: the server closed the connection without answering")
    return AsgiResponse(int(started["status"]),
                        [(k.decode("latin-1"), v.decode("latin-1"))
                         for k, v in started.get("headers", [])],
                        b"".join(chunks))


def _drive(coroutine: Coroutine[Any, Any, Any]) -> None:
    """Run a coroutine that never suspends to completion, without an event loop."""
    try:
        yielded = coroutine.send(None)
    except StopIteration:
        return
    coroutine.close()
    raise RuntimeError(f"the app suspended on {yielded!r}; call it with inline=False")
