"""A connector as a service: the three ``/drawbridge/...`` endpoints around the reference connector.

``GET /drawbridge/identity`` answers who it is; ``POST /drawbridge/configure`` with
``{"bankUrl", "version"}`` starts a fresh connector for a new scenario run (everything from the
earlier run is forgotten); ``POST /drawbridge/operations`` performs one operation and answers
its outcome, as JSON, whatever happened (docs/driver-protocol.md, "HTTP").

Deliberately free of Drawbridge imports: a vendor's service carries only its connector and a web
framework. The connector is synchronous (``requests``, sleeps on ``Retry-After``), so each
operation runs in a worker thread, off the event loop.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from examples.connectors.reference_py.connector import ReferenceConnector
from examples.connectors.reference_py.operations import perform

IDENTITY: dict[str, Any] = {**ReferenceConnector.DRAWBRIDGE, "name": "reference-http"}


def create_app() -> Starlette:
    """A fresh service with no connector configured yet."""
    current: dict[str, ReferenceConnector] = {}

    async def identity(request: Request) -> JSONResponse:
        return JSONResponse(IDENTITY)

    async def configure(request: Request) -> JSONResponse:
        try:
            body = await request.json()
            bank_url, version = str(body["bankUrl"]), str(body.get("version") or "v2")
        except (ValueError, KeyError, TypeError) as exc:
            return JSONResponse({"error": f"configure needs {{bankUrl, version}}: {exc}"},
                                status_code=400)
        earlier = current.pop("connector", None)
        if earlier is not None:
            earlier.close()
        current["connector"] = ReferenceConnector(bank_url, version=version)
        return JSONResponse({"configured": True})

    async def operations(request: Request) -> JSONResponse:
        connector = current.get("connector")
        if connector is None:
            return JSONResponse({"outcome": "failed",
                                 "detail": "not configured: POST /drawbridge/configure first"})
        try:
            op = await request.json()
            if not isinstance(op, dict):
                raise TypeError("an operation must be a JSON object")
            answer = await run_in_threadpool(perform, connector, op)
        except Exception as exc:  # noqa: BLE001 -- every error is an answer, never a 500
            answer = {"outcome": "failed", "detail": f"{type(exc).__name__}: {exc}"}
        return JSONResponse(answer)

    return Starlette(routes=[
        Route("/drawbridge/identity", identity),
        Route("/drawbridge/configure", configure, methods=["POST"]),
        Route("/drawbridge/operations", operations, methods=["POST"]),
    ])
