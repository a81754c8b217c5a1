"""The control API under ``/_control``: what tests and the harness use to drive the fake bank.

Every route is a thin call of a :class:`~fake_core_bank.fake.FakeBank` method, so the in-process
object and a bank in another process or container offer the same helpers (see
``harness.bank_client``). When a token is set, every call needs ``Authorization: Bearer <token>``
(compared in constant time).

Before anything changes, a request is refused (issue 15 items 11, 12) when its body is not a
JSON object valid against its route's schema (:mod:`fake_core_bank.http.control_schema`, ranges
included: 400 naming the field), when it carries a body or a ``Content-Type`` that is not JSON
(415: a web page can send ``text/plain`` cross-site without a preflight), or when its
``Origin`` is not the bank's own (403: a page on another site).
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fake_core_bank.domain.limits import step_problem, time_problem
from fake_core_bank.domain.model import Refusal
from fake_core_bank.domain.state import drawdown_to_dict
from fake_core_bank.fake import FakeBank
from fake_core_bank.http import control_schema

#: where the control API lives on the fake bank's server
PREFIX = "/_control"
REFUSAL_STATUS = {"NOT_FOUND": 404, "INVALID_REQUEST": 400, "INSUFFICIENT_AVAILABLE": 409}


def _json(data: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(data), status, media_type="application/json")


def _time(body: dict[str, Any], key: str) -> datetime:
    value = body.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key}: expected an ISO 8601 time with offset")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{key}: {value[:64]!r} is not an ISO 8601 time, e.g. "
                         "2026-03-02T09:00:00+08:00") from None
    problem = time_problem(parsed)
    if problem is not None:
        raise ValueError(f"{key}: {problem}")
    return parsed


def control_index(routes: list[tuple[str, list[str], Any]]) -> dict[str, Any]:
    """``GET /_control``: every control route (derived from the routing table, so it cannot
    drift) and where the bodies and answers are described."""
    return {"service": "Drawbridge fake core bank: control API",
            "routes": [f"{method} {PREFIX}{path}" for path, methods, _fn in routes
                       for method in methods],
            "docs": "docs/control-api.md"}


def _seconds(bank: FakeBank, seconds: float, key: str) -> timedelta:
    """A clock move the bank's range can take from now."""
    by = timedelta(seconds=seconds)
    problem = step_problem(bank.clock.now(), by)
    if problem is not None:
        raise ValueError(f"{key}: {problem}")
    return by


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


#: entries in one page of ``GET /_control/journal`` unless ``limit`` asks for fewer or more
JOURNAL_PAGE = 10_000


def journal_page(since: str | None, limit: str | None) -> tuple[int, int]:
    """``since`` (the seq of the last entry already read) and ``limit`` of a journal page."""
    try:
        cursor = int(since or "0")
        count = int(limit) if limit else JOURNAL_PAGE
    except ValueError:
        raise ValueError("journal: since and limit must be whole numbers, e.g. "
                         "?since=0&limit=1000") from None
    if cursor < 0 or count < 1:
        raise ValueError("journal: since must be 0 or more and limit 1 or more")
    return cursor, count


def control_app(bank: FakeBank, token: str | None) -> Starlette:
    def endpoint(fn: Callable[[Request, dict[str, Any]], Any], method: str,
                 template: str) -> Callable[[Request], Awaitable[Response]]:
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
            problem = control_schema.problem(method, template, body, bank.model.versions)
            if problem is not None:
                return _json({"error": f"bad control request: {problem}"}, 400)
            try:
                result = fn(request, body)
            except Refusal as refusal:
                return _json({"error": str(refusal), "reason": refusal.reason.value},
                             REFUSAL_STATUS.get(refusal.reason.value, 409))
            except (KeyError, ValueError, TypeError) as exc:
                return _json({"error": f"bad control request: {exc}"}, 400)
            if isinstance(result, Response):
                return result
            return _json({"ok": True} if result is None else result)

        return handle

    p = PREFIX

    def reset(_r: Request, b: dict[str, Any]) -> None:
        overrides: dict[str, Any] = {}
        for key, attr in (("seed", "seed"), ("customers", "customers"),
                          ("timeScale", "time_scale"), ("messageVariants", "message_variants"),
                          ("settleAfterPolls", "settle_after_polls"), ("additive", "additive")):
            if key in b:
                value = b[key]
                wanted = bool if attr in ("message_variants", "additive") else (
                    float if attr == "time_scale" else int)
                if isinstance(value, bool) != (wanted is bool) or not isinstance(
                        value, wanted if wanted is not float else (int, float)):
                    raise ValueError(f"{key}: expected {wanted.__name__}, got {value!r}")
                overrides[attr] = value
        if "versions" in b:
            overrides["versions"] = tuple(b["versions"])
        if "start" in b:
            overrides["start"] = _time(b, "start")
        bank.reset(**overrides)

    def load_state(_r: Request, b: dict[str, Any]) -> None:
        """Load into a scratch bank first: a snapshot that cannot load changes nothing."""
        if b.get("clock"):
            _time(b, "clock")
        scratch = FakeBank(replace(bank.config, customers=0, journal_path=None))
        scratch.load_state({k: v for k, v in bank.snapshot().items() if k != "versions"})
        try:
            scratch.load_state(b)
        except Refusal:
            raise
        except Exception as exc:  # noqa: BLE001 -- any shape problem of a snapshot is a 400
            raise ValueError(f"state: cannot load it: {type(exc).__name__}: {exc}"[:300]) \
                from None
        bank.load_state(b)

    def put_policy(_r: Request, b: dict[str, Any]) -> None:
        _time(b, "effective")  # in the bank's range
        bank.put_policy(b)

    def maintenance(_r: Request, b: dict[str, Any]) -> dict[str, Any]:
        start = _time(b, "start") if "start" in b else bank.clock.now()
        if "end" in b:
            end = _time(b, "end")
        else:
            by = timedelta(seconds=float(b["durationSeconds"]))
            problem = step_problem(start, by)
            if problem is not None:
                raise ValueError(f"durationSeconds: {problem}")
            end = start + by
        if end <= start:
            raise ValueError(f"end: {end.isoformat()} is not after start {start.isoformat()}")
        window = bank.schedule_maintenance(start, end, b.get("mode", "FULL"))
        return {"id": window.window_id}

    def line_status(r: Request, b: dict[str, Any]) -> None:
        until = _time(b, "lockedUntil") if b.get("lockedUntil") else None
        bank.set_line_status(r.path_params["line"], b["status"], locked_until=until,
                             reason=b.get("reason"))

    def fault(_r: Request, b: dict[str, Any]) -> dict[str, Any]:
        f = bank.inject_fault(b["kind"], operation_id=b.get("operationId"),
                              method=b.get("method"), line=b.get("line"),
                              times=int(b.get("times", 1)), status=int(b.get("status", 500)),
                              delay_seconds=float(b.get("delaySeconds", 0.0)))
        return {"id": f.fault_id}

    def journal(r: Request, _b: dict[str, Any]) -> Response:
        since, limit = journal_page(r.query_params.get("since"), r.query_params.get("limit"))
        last, docs = bank.journal.documents(since, limit)
        response = Response(b"[" + b",".join(docs) + b"]", media_type="application/json")
        # The cursor for the next page: the seq of the last entry sent (docs/journal.md).
        response.headers["journal-next"] = str(last)
        response.headers["journal-dropped"] = str(bank.journal.dropped)
        return response

    def upgrade(_r: Request, b: dict[str, Any]) -> None:
        bank.upgrade(b["to"], retire=tuple(b.get("retire") or ()),
                     sunset=_time(b, "sunset") if b.get("sunset") else None,
                     in_place=bool(b.get("inPlace", False)))

    def external(r: Request, b: dict[str, Any]) -> dict[str, Any]:
        return drawdown_to_dict(bank.external_drawdown(r.path_params["line"], int(b["amount"])))

    routes: list[tuple[str, list[str], Any]] = [
        # GET /_control: this list, so a person with curl finds the rest (docs/control-api.md)
        ("", ["GET"], lambda _r, _b: control_index(routes)),
        ("/health", ["GET"], lambda _r, _b: {
            "status": "ok", "versions": bank.versions.snapshot(),
            "selfCheck": bank.config.validate_responses,
            "journal": {"entries": len(bank.journal), "inMemory": bank.journal.in_memory,
                        "memoryLimit": bank.config.journal_limit,
                        "overflow": bank.journal.overflow,
                        "spillError": bank.journal.spill_error,
                        "dropped": bank.journal.dropped}}),
        ("/reset", ["POST"], reset),
        ("/state", ["GET"], lambda _r, _b: bank.snapshot()),
        ("/state", ["POST"], load_state),
        ("/lines/{line}/status", ["PUT"], line_status),
        ("/lines/{line}/preconditions/{code}/satisfy", ["POST"],
         lambda r, _b: bank.satisfy_precondition(r.path_params["line"], r.path_params["code"])),
        ("/lines/{line}/external-drawdowns", ["POST"], external),
        ("/settle", ["POST"], lambda _r, _b: {"settled": bank.settle_pending()}),
        ("/maintenance", ["POST"], maintenance),
        ("/policies", ["POST"], put_policy),
        ("/policies/{policy}", ["DELETE"],
         lambda r, _b: bank.remove_policy(r.path_params["policy"])),
        ("/clock", ["GET"], lambda _r, _b: {"now": bank.clock.now().isoformat(),
                                            "timeScale": bank.clock.time_scale}),
        ("/clock", ["PUT"], lambda _r, b: bank.set_clock(_time(b, "now"))),
        ("/clock/advance", ["POST"],
         lambda _r, b: bank.advance_clock(_seconds(bank, float(b["seconds"]), "seconds"))),
        ("/versions", ["PUT"], lambda _r, b: bank.serve_versions(tuple(b["serve"]))),
        ("/versions/upgrade", ["POST"], upgrade),
        ("/versions/rollback", ["POST"], lambda _r, b: bank.rollback(b["to"])),
        ("/versions/rolling-upgrade", ["POST"],
         lambda _r, b: bank.rolling_upgrade(b["from"], b["to"], float(b["share"]),
                                            b.get("seed"))),
        ("/versions/complete-rollout", ["POST"], lambda _r, _b: bank.complete_rollout()),
        ("/faults", ["POST"], fault),
        ("/faults", ["DELETE"], lambda _r, _b: bank.clear_faults()),
        ("/journal", ["GET"], journal),
        ("/operations/begin", ["POST"], lambda _r, b: bank.begin_operation(b["name"])),
        ("/operations/end", ["POST"], lambda _r, _b: bank.end_operation()),
    ]
    app = Starlette(routes=[Route(p + path, endpoint(fn, methods[0], path), methods=methods)
                            for path, methods, fn in routes])
    # A trailing slash is an unknown path (404), not a 307 to another one: the fake never
    # answers a client's malformed request with anything but a 4xx.
    app.router.redirect_slashes = False
    return app
