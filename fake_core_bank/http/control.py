"""The control API under ``/_control``: what tests and the harness use to drive the fake bank.

Every route is a command of :data:`fake_core_bank.http.commands.COMMANDS`, the one table the
harness's bank handle also runs in process (``harness.engine.bank``): this module adds only what
HTTP needs. When a token is set, every call needs ``Authorization: Bearer <token>`` (compared in
constant time).

Before anything changes, a request is refused (issue 15 items 11, 12) when its body is not a
JSON object valid against its route's schema (:mod:`fake_core_bank.http.control_schema`, ranges
included: 400 naming the field), when it carries a body or a ``Content-Type`` that is not JSON
(415: a web page can send ``text/plain`` cross-site without a preflight), or when its
``Origin`` is not the bank's own (403: a page on another site).
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fake_core_bank.domain.ledger_store import SpillReadError
from fake_core_bank.domain.model import Refusal
from fake_core_bank.fake import FakeBank
from fake_core_bank.http.commands import COMMANDS, Command, JournalPage, execute

#: where the control API lives on the fake bank's server
PREFIX = "/_control"
REFUSAL_STATUS = {"NOT_FOUND": 404, "INVALID_REQUEST": 400, "INSUFFICIENT_AVAILABLE": 409}


def _json(data: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(data), status, media_type="application/json")


def control_index(routes: list[str]) -> dict[str, Any]:
    """``GET /_control``: every control route (derived from the routing table, so it cannot
    drift) and where the bodies and answers are described."""
    return {"service": "Drawbridge fake core bank: control API", "routes": routes,
            "docs": "docs/control-api.md"}


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _refusal(request: Request, raw: bytes) -> Response | None:
    """415 for a body or Content-Type that is not JSON, 403 for a foreign Origin."""
    media = _media_type(request)
    if (raw or media) and not (media == "application/json" or media.endswith("+json")):
        return _json({"error": f"Content-Type {media or '(none)'!r} is not JSON; send "
                               "'Content-Type: application/json'"}, 415)
    origin = request.headers.get("origin")
    if origin is not None and origin != f"{request.url.scheme}://{request.headers.get('host')}":
        return _json({"error": f"Origin {origin[:100]!r} is not this bank's; the control API "
                               "only answers its own origin or clients that send none"}, 403)
    return None


def _journal_response(page: JournalPage) -> Response:
    response = Response(b"[" + b",".join(page.documents) + b"]", media_type="application/json")
    # The cursor for the next page: the seq of the last entry sent (docs/journal.md).
    response.headers["journal-next"] = str(page.next)
    response.headers["journal-dropped"] = str(page.dropped)
    return response


def control_app(bank: FakeBank, token: str | None) -> Starlette:
    def endpoint(run: Callable[[Request, dict[str, Any]], Any]
                 ) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            if token is not None:
                scheme, _, given = request.headers.get("authorization", "").partition(" ")
                # The scheme is case-insensitive (RFC 9110); the token is compared in
                # constant time, so its value cannot be guessed by timing.
                if scheme.lower() != "bearer" or not hmac.compare_digest(
                        given.strip().encode(), token.encode()):
                    return _json({"error": "missing or wrong bearer token"}, 401)
            body: dict[str, Any] = {}
            raw = await request.body()
            refused = _refusal(request, raw)
            if refused is not None:
                return refused
            if raw:
                try:
                    loaded = orjson.loads(raw)
                except orjson.JSONDecodeError as exc:
                    return _json({"error": f"body is not JSON: {exc}"}, 400)
                if not isinstance(loaded, dict):
                    return _json({"error": "body must be a JSON object"}, 400)
                body = loaded
            try:
                result = run(request, body)
            except Refusal as refusal:
                return _json({"error": str(refusal), "reason": refusal.reason.value},
                             REFUSAL_STATUS.get(refusal.reason.value, 409))
            except (KeyError, ValueError, TypeError) as exc:
                return _json({"error": f"bad control request: {exc}"}, 400)
            except SpillReadError as exc:
                return _json({"error": str(exc)}, 503)
            if isinstance(result, JournalPage):
                return _journal_response(result)
            return _json({"ok": True} if result is None else result)

        return handle

    def command(cmd: Command) -> Callable[[Request, dict[str, Any]], Any]:
        def run(request: Request, body: dict[str, Any]) -> Any:
            # the route's placeholders, then the query (``?since=`` of the journal)
            params = {**request.query_params, **request.path_params}
            return execute(bank, cmd, params, body)

        return run

    # GET /_control: the list of routes, so a person with curl finds the rest
    # (docs/control-api.md)
    listed = [f"GET {PREFIX}"] + [f"{c.method} {PREFIX}{c.path}" for c in COMMANDS.values()]
    routes = [Route(PREFIX, endpoint(lambda _r, _b: control_index(listed)), methods=["GET"])]
    routes += [Route(PREFIX + cmd.path, endpoint(command(cmd)), methods=[cmd.method])
               for cmd in COMMANDS.values()]
    app = Starlette(routes=routes)
    # A trailing slash is an unknown path (404), not a 307 to another one: the fake never
    # answers a client's malformed request with anything but a 4xx.
    app.router.redirect_slashes = False
    return app
