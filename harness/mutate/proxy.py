"""The mutating proxy: an ASGI middleware around the fake bank's app, on the wire of every
connector (python, command, http) because it sits where they all connect.

With no operator it passes everything through untouched; the control API is never mutated.
Each request becomes a :class:`WireRequest`, the operator's intercept decides what reaches the
bank (through ``forward``, which calls the bank's app in process) and what the connector gets
back. When the bank cuts a connection after starting its answer (an injected fault), the
connector sees exactly that: the start goes out and the connection is cut.
"""

from __future__ import annotations

from typing import Any

import orjson

from fake_core_bank.http.app import MAX_BODY
from fake_core_bank.http.serving import BodyCut, ConnectionDropped, cut_connection, read_body
from harness.mutate.operators.base import Operator, RunState
from harness.mutate.wire import WireRequest, WireResponse

Scope = dict[str, Any]
App = Any  # an ASGI callable


class _Cut(Exception):  # noqa: N818 -- what the connector sees
    """The bank started its answer, then cut the connection."""

    def __init__(self, start: dict[str, Any]) -> None:
        super().__init__("connection cut by the bank")
        self.start = start


class MutatingProxy:
    """``MutatingProxy(app)``; set ``operator`` before a run and call :meth:`reset` per run."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.operator: Operator | None = None
        self.state = RunState()
        #: exceptions of operators during this run: a bug of the proxy, never a kill
        self.errors: list[str] = []

    def reset(self) -> None:
        self.state = RunState()
        self.errors = []

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        operator = self.operator
        if operator is None or scope["type"] != "http" or scope["path"].startswith("/_control"):
            await self.app(scope, receive, send)
            return
        try:
            # one byte more than the bank accepts: it refuses it as too large
            body, _ = await read_body(receive, MAX_BODY)
        except BodyCut as cut:  # never whole: the bank sees it as it would without the proxy
            await self.app(scope, _cut_receive(cut.kept), send)
            return
        request = WireRequest(
            scope["method"], scope["path"], scope.get("query_string", b"").decode("latin-1"),
            tuple((k.decode("latin-1").lower(), v.decode("latin-1"))
                  for k, v in scope.get("headers", []) if k.lower() != b"content-length"),
            body)

        async def forward(wire: WireRequest) -> WireResponse:
            return await _call(self.app, scope, wire)

        try:
            response = await operator.intercept(request, forward, self.state)
        except _Cut as cut:
            await cut_connection(send, cut.start, "fault injected: connection dropped")
        except Exception as exc:  # noqa: BLE001 -- recorded, judged as the proxy's bug
            error = (f"{operator.id} raised {type(exc).__name__}: {exc} on {request.method} "
                     f"{request.route}")
            self.errors.append(error)
            response = WireResponse(502, (("content-type", "application/json"),),
                                    orjson.dumps({"proxyError": error}))
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
        headers.append((b"content-length", str(len(response.body)).encode()))
        await send({"type": "http.response.start", "status": response.status,
                    "headers": headers})
        await send({"type": "http.response.body", "body": response.body})


def _cut_receive(kept: bytes) -> Any:
    """What the bank reads of a request cut before its body ended: what came, then the close."""
    messages = [{"type": "http.request", "body": kept, "more_body": True}]

    async def receive() -> dict[str, Any]:
        return messages.pop() if messages else {"type": "http.disconnect"}

    return receive


async def _call(app: App, scope: Scope, request: WireRequest) -> WireResponse:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in request.headers]
    headers.append((b"content-length", str(len(request.body)).encode()))
    inner = {**scope, "method": request.method, "path": request.path,
             "raw_path": request.path.encode("latin-1"),
             "query_string": request.query.encode("latin-1"), "headers": headers}
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if delivered:
            return {"type": "http.disconnect"}
        delivered = True
        return {"type": "http.request", "body": request.body, "more_body": False}

    start: dict[str, Any] | None = None
    chunks: list[bytes] = []

    async def send(message: dict[str, Any]) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    try:
        await app(inner, receive, send)
    except ConnectionDropped:
        if start is None:
            raise
        raise _Cut(start) from None
    if start is None:
        raise RuntimeError(f"the bank did not answer {request.method} {request.path}")
    return WireResponse(
        start["status"],
        tuple((k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in start["headers"]
              if k.lower() != b"content-length"),
        b"".join(chunks))
