"""The Python ceiling: Starlette on uvicorn answering fixed bytes, no validation, no state.

Not a peer: it bounds what any Python server on uvicorn can do on this machine. The answers are
the fake bank's own bytes and paths, read once from the file named by
``DRAWBRIDGE_BENCH_ANSWERS`` (it imports nothing of Drawbridge, so it carries no extra weight).

    uvicorn bench.ceiling:app --loop uvloop --http httptools --no-access-log
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def _answers() -> dict[str, Any]:
    name = os.environ.get("DRAWBRIDGE_BENCH_ANSWERS")
    if not name:
        return {"get": "{}", "post": "{}", "get_path": "/get", "post_path": "/post"}
    data: dict[str, Any] = json.loads(Path(name).read_text())
    return data


ANSWERS = _answers()
GET_BYTES = ANSWERS["get"].encode()
POST_BYTES = ANSWERS["post"].encode()


async def get_line(request: Request) -> Response:
    return Response(GET_BYTES, media_type="application/json")


async def post_drawdown(request: Request) -> Response:
    await request.body()  # read it, as any server must, but do nothing with it
    return Response(POST_BYTES, status_code=201, media_type="application/json")


app = Starlette(routes=[Route(ANSWERS["get_path"], get_line),
                       Route(ANSWERS["post_path"], post_drawdown, methods=["POST"])])
