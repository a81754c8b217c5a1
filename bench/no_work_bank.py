"""The fake bank's own server with the work taken out: a floor of the stateful POST (issue 19).

Not a peer. It is ``drawbridge serve``'s server as it is (uvicorn with the fake bank's protocol:
one write per turn, the header deadline and the per-client bound, and its Host check) in front
of an app that reads the request and answers the fake bank's own bytes (those of
:mod:`bench.ceiling`, headers included: the contract's deprecation headers are work the server
does for each answer) and does nothing else. Its CPU per request under the POST load, added to
the CPU per POST of the fake bank's app doing its work as ``drawbridge serve`` configures it
(:mod:`bench.levers`), is the least CPU per POST that any server on uvicorn doing that work can
spend: the report compares it with what a peer target asks.

    python -m bench.no_work_bank PORT
"""

from __future__ import annotations

import sys
from typing import Any

from bench.ceiling import ANSWERS, GET_BYTES, POST_BYTES
from fake_core_bank.fake import BankConfig
from fake_core_bank.server import BankServer
from harness.cli.serve import tune_collector


def _headers(which: str, body: bytes) -> list[tuple[bytes, bytes]]:
    given = ANSWERS.get(f"{which}_headers") or [("content-type", "application/json"),
                                                ("content-length", str(len(body)))]
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in given]


GET_HEADERS = _headers("get", GET_BYTES)
POST_HEADERS = _headers("post", POST_BYTES)


async def _answer(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    more = True
    while more:  # read the request, as any server must
        message = await receive()
        more = message.get("more_body", False)
    post = scope["method"] == "POST"
    body = POST_BYTES if post else GET_BYTES
    await send({"type": "http.response.start", "status": 201 if post else 200,
                "headers": POST_HEADERS if post else GET_HEADERS})
    await send({"type": "http.response.body", "body": body})


def answer_only(_bank: object) -> Any:
    """The middleware that replaces the bank's app: the bank is never called."""
    return _answer


def main(port: int) -> None:
    server = BankServer(BankConfig(customers=0), port=port, middleware=answer_only)
    tune_collector()  # as `drawbridge serve` does
    server.stop_on_signals()
    server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]))
