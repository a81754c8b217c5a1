"""A recording reverse proxy: forward everything to an upstream bank, record every exchange.

An ASGI app (served by uvicorn on 127.0.0.1) that forwards each request to the upstream with
httpx, answers with the upstream's answer, and appends the exchange -- redacted by default --
to a JSON-lines recording, one flushed line per exchange. When the upstream breaks a connection
off (a dropped or lost answer), the proxy breaks its own connection off too, so the connector
sees what it would have seen without the proxy; the recording says ``no answer``.

>>> with RecordingServer("http://sandbox.example", Path("r.jsonl")) as proxy:  # doctest: +SKIP
...     run_my_connector(proxy.base_url)
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx

from fake_core_bank.http.guards import HEADER_TIMEOUT, deadline_protocol
from fake_core_bank.http.serving import BodyCut, ThreadedServer, cut_connection, read_body
from harness.recording.redact import Redactor
from harness.recording.store import Exchange, RecordingWriter, decode_body

#: Bytes of one body, the connector's request or the upstream's answer, the proxy holds (it
#: records bodies whole): a longer request is answered 413 and not forwarded, a longer answer
#: 502, each recorded with why. Far above any bank API's exchange; an endless body no longer
#: grows the proxy without limit.
MAX_PROXIED_BODY = 32 * 1024 * 1024

#: Connection-level headers (RFC 9110 7.6.1) and those httpx recomputes: never forwarded.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "transfer-encoding",
                        "te", "trailer", "upgrade", "host", "content-length",
                        "content-encoding"})


class RecordingProxy:
    """The ASGI app. ``redactor`` None records verbatim (only for data you may keep)."""

    def __init__(self, upstream: str, writer: RecordingWriter, redactor: Redactor | None,
                 *, timeout: float = 60.0, max_body: int = MAX_PROXIED_BODY) -> None:
        self.upstream = upstream.rstrip("/")
        self.max_body = max_body
        self.writer = writer
        self.redactor = redactor
        self.timeout = timeout
        self.started = time.monotonic()
        self._client: httpx.AsyncClient | None = None
        self._lock = threading.Lock()

    def client(self) -> httpx.AsyncClient:
        # Created inside the server's event loop, on first use.
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.timeout, follow_redirects=False)
        return self._client

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    # Build the client now: its first use costs ~0.1 s (TLS context), which the
                    # first exchange would otherwise carry -- enough to move a virtual clock.
                    self.client()
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    if self._client is not None:
                        await self._client.aclose()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        try:
            body, size = await read_body(receive, self.max_body)
        except BodyCut as cut:
            body, size, gone = cut.kept, len(cut.kept), True
        else:
            gone = False
        method: str = scope["method"]
        path: str = scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        forward = [(k, v) for k, v in headers if k.lower() not in HOP_BY_HOP]
        url = self.upstream + path + (f"?{query}" if query else "")
        exchange = Exchange(
            seq=self.writer.next_seq(), method=method, path=path, query=query,
            request_headers=headers,
            request_body=decode_body(body if size <= self.max_body else b"",
                                     _header(headers, "content-type")),
            elapsed=time.monotonic() - self.started)
        if gone:  # nothing to answer, and a cut request is not sent on
            exchange.error = ("the connector went away before its request's body ended: not "
                              "forwarded")
            self._record(exchange)
            return
        if size > self.max_body:
            await self._too_long(send, exchange, 413, "the request's body")
            return
        try:
            status, upstream_headers, content = await self._forward(method, url, forward, body)
        except httpx.HTTPError as exc:
            exchange.error = f"no answer from the upstream: {type(exc).__name__}: {exc}"
            self._record(exchange)
            await cut_connection(send, {"type": "http.response.start", "status": 502,
                                        "headers": [(b"content-length", b"64")]},
                                 exchange.error)
        except _TooLongError:
            await self._too_long(send, exchange, 502, "the upstream's answer")
            return
        back = [(k, v) for k, v in upstream_headers.multi_items()
                if k.lower() not in HOP_BY_HOP]
        exchange.status = status
        exchange.response_headers = back
        exchange.response_body = decode_body(content, upstream_headers.get("content-type"))
        self._record(exchange)
        raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in back]
        raw.append((b"content-length", str(len(content)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": content})

    async def _too_long(self, send: Any, exchange: Exchange, status: int, what: str) -> None:
        """Answer ``status`` for a body past the bound, and record why."""
        exchange.error = f"{what} is longer than {self.max_body} bytes: not forwarded"
        self._record(exchange)
        message = exchange.error.encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(message)).encode())]})
        await send({"type": "http.response.body", "body": message})

    async def _forward(self, method: str, url: str, headers: list[tuple[str, str]],
                       body: bytes) -> tuple[int, httpx.Headers, bytes]:
        """The upstream's answer: status, headers and its body (decoded, as httpx gives it),
        read up to ``max_body`` bytes (:class:`_TooLongError` past that)."""
        async with self.client().stream(method, url, headers=headers, content=body) as answer:
            chunks: list[bytes] = []
            size = 0
            async for chunk in answer.aiter_bytes():
                size += len(chunk)
                if size > self.max_body:
                    raise _TooLongError
                chunks.append(chunk)
            return answer.status_code, answer.headers, b"".join(chunks)

    def _record(self, exchange: Exchange) -> None:
        if self.redactor is not None:
            # One redactor for the whole session: an account maps to one pseudonym throughout.
            with self._lock:
                exchange.path = self.redactor.text(exchange.path)
                exchange.query = self.redactor.query(exchange.query)
                exchange.request_headers = self.redactor.headers(exchange.request_headers)
                exchange.request_body = self.redactor.value(exchange.request_body)
                exchange.response_headers = self.redactor.headers(exchange.response_headers)
                exchange.response_body = self.redactor.value(exchange.response_body)
                if exchange.error:
                    exchange.error = self.redactor.text(exchange.error)
        self.writer.write(exchange)


class _TooLongError(Exception):
    pass


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name), None)


class RecordingServer(ThreadedServer):
    """The proxy on 127.0.0.1 (port 0: a free one), in a daemon thread or in the foreground."""

    def __init__(self, upstream: str, out: Path, *, port: int = 0,
                 redactor: Redactor | None = None, redact: bool = True,
                 max_body: int = MAX_PROXIED_BODY) -> None:
        # The port first: one in use (OSError) must not have truncated an earlier recording.
        # The fake bank's protocol: a connector that never finishes its headers, or sends an
        # endless one, is cut as at the bank (fake_core_bank.http.guards), not kept in memory.
        super().__init__(self._serve, name="recording proxy", port=port, lifespan="on",
                         interface="asgi3", http=deadline_protocol(HEADER_TIMEOUT))
        try:
            self.writer = RecordingWriter(out, upstream)
        except OSError:
            super().stop()  # frees the port
            raise
        self.app = RecordingProxy(upstream, self.writer,
                                  (redactor or Redactor()) if redact else None,
                                  max_body=max_body)

    async def _serve(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)

    def serve_forever(self) -> None:
        """Serve in this thread until Ctrl-C (the CLI)."""
        try:
            super().serve_forever()
        finally:
            self.writer.close()

    def stop(self) -> None:
        super().stop()
        self.writer.close()
