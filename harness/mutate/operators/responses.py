"""Operators on what the connector is told: headers, reasons, statuses, stale reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fake_core_bank.domain.messages import TEXTS
from harness.mutate.operators.base import (
    Forward,
    Operator,
    RunState,
    json_rewrite,
    on_response,
)
from harness.mutate.wire import Exchange, WireRequest, WireResponse, walk_dicts

DEPRECATION = ("deprecation", "sunset", "link")
#: the reason a connector that matches texts finds for each default wording
DEFAULT_TEXT = {texts[0]: reason.value for reason, texts in TEXTS.items()}


def _objects(e: Exchange) -> list[dict[str, Any]]:
    return walk_dicts(e.response_body) if e.status is not None else []


def _having(key: str, value: Any = None) -> Any:
    def touches(e: Exchange) -> bool:
        return any(key in d and (value is None or d[key] == value) for d in _objects(e))

    return touches


def _edit_objects(key: str, edit: Any) -> Any:
    def apply(data: Any) -> None:
        for d in walk_dicts(data):
            if key in d:
                edit(d)

    return json_rewrite(apply)


def _header(*names: str) -> Any:
    def touches(e: Exchange) -> bool:
        return any(n in e.response_headers for n in names)

    return touches


def _strip(*names: str) -> Any:
    return lambda response, _s: response.without_headers(*names)


def _status(code: int) -> Any:
    return lambda e: e.status == code


def _reason_by_text(d: dict[str, Any]) -> None:
    d["reasonCode"] = DEFAULT_TEXT.get(str(d.get("detail")), "UNKNOWN")


def _texted(e: Exchange) -> bool:
    return any("reasonCode" in d and "detail" in d for d in _objects(e))


def _disbursed(d: dict[str, Any]) -> None:
    d["status"] = "DISBURSED"
    d.pop("rejection", None)


def _drawdown_status(status: str) -> Any:
    def touches(e: Exchange) -> bool:
        return any(d.get("status") == status and "drawdownId" in d for d in _objects(e))

    return touches


def _read(e: Exchange) -> bool:
    return e.method == "GET" and e.status == 200


def _reads_change(exchanges: Sequence[Exchange]) -> bool:
    seen: dict[str, Any] = {}
    for e in exchanges:
        if _read(e):
            if e.path in seen and seen[e.path] != e.response_body:
                return True
            seen.setdefault(e.path, e.response_body)
    return False


async def _cached(request: WireRequest, forward: Forward, state: RunState) -> WireResponse:
    response = await forward(request)
    if not _read(Exchange.live(request, response)):
        return response
    cache: dict[str, WireResponse] = state.data.setdefault("cache", {})
    return cache.setdefault(request.route, response)


def _available_differs(e: Exchange) -> bool:
    return any({"limit", "available"} <= d.keys() and d["limit"] != d["available"]
               for d in _objects(e))


def _available_is_limit(d: dict[str, Any]) -> None:
    if "limit" in d:
        d["available"] = d["limit"]


def _with_status(code: int) -> Any:
    return lambda response, _s: WireResponse(code, response.headers, response.body)


OPERATORS = (
    Operator("strip-retry-after", "remove Retry-After from answers", "retries: server's wait "
             "ignored", ("retry-discipline",), "answer with a Retry-After longer than the "
             "connector's default wait", _header("retry-after"),
             on_response(_header("retry-after"), _strip("retry-after"))),
    Operator("strip-locked-until", "remove lockedUntil from answers", "refusal detail lost",
             ("reason-propagation",), "refuse with LINE_LOCKED and a lockedUntil",
             _having("lockedUntil"),
             on_response(_having("lockedUntil"),
                         _edit_objects("lockedUntil", lambda d: d.pop("lockedUntil")))),
    Operator("locked-as-frozen", "report LINE_LOCKED as LINE_FROZEN", "refusal reasons "
             "collapsed (the v1 mapping)", ("reason-propagation",), "refuse with LINE_LOCKED",
             _having("reasonCode", "LINE_LOCKED"),
             on_response(_having("reasonCode", "LINE_LOCKED"), _edit_objects(
                 "reasonCode", lambda d: d.update(reasonCode="LINE_FROZEN")
                 if d["reasonCode"] == "LINE_LOCKED" else None))),
    Operator("drop-reason-code", "remove reasonCode from answers", "refusal read as a generic "
             "error", ("reason-propagation",), "refuse with a reasonCode",
             _having("reasonCode"),
             on_response(_having("reasonCode"),
                         _edit_objects("reasonCode", lambda d: d.pop("reasonCode")))),
    Operator("reason-from-text", "replace reasonCode by what the text says (the default wording, "
             "else UNKNOWN)", "text matched instead of the code", ("reason-propagation",),
             "word a refusal differently from its default text", _texted,
             on_response(_texted, _edit_objects("reasonCode", _reason_by_text))),
    Operator("strip-deprecation-headers", "remove Deprecation, Sunset and Link from answers",
             "versions: deprecation signals ignored", ("expected-outcome", "reason-propagation"),
             "retire a version and point to its successor with a Link header",
             _header(*DEPRECATION), on_response(_header(*DEPRECATION), _strip(*DEPRECATION))),
    Operator("accepted-as-created", "turn 202 Accepted into 201 Created",
             "async acceptance read as completion", ("truthful-outcome",),
             "accept a drawdown asynchronously (202) whose outcome the HTTP status alone "
             "would misreport", _status(202), on_response(_status(202), _with_status(201))),
    Operator("rejected-as-disbursed", "present a 2xx drawdown with status REJECTED as DISBURSED",
             "HTTP status read, body ignored", ("truthful-outcome", "reason-propagation"),
             "reject a drawdown inside a 2xx answer (status REJECTED)",
             _drawdown_status("REJECTED"),
             on_response(_drawdown_status("REJECTED"), _edit_objects("drawdownId", _disbursed))),
    Operator("pending-as-disbursed", "present a PENDING drawdown as DISBURSED",
             "async drawdown not polled", ("truthful-outcome",),
             "leave a drawdown PENDING (asynchronous settlement)", _drawdown_status("PENDING"),
             on_response(_drawdown_status("PENDING"), _edit_objects(
                 "drawdownId", lambda d: _disbursed(d) if d.get("status") == "PENDING"
                 else None))),
    Operator("stale-read", "answer every GET with the first answer to that path (a cache never "
             "invalidated)", "stale cache", ("faithful-read", "expected-outcome"),
             "change a resource between two reads of it by the connector", _read, _cached,
             applies=_reads_change),
    Operator("available-as-limit", "report a line's limit as its available amount",
             "field mix-up", ("faithful-read",),
             "read a line whose available amount differs from its limit", _available_differs,
             on_response(_available_differs, _edit_objects("limit", _available_is_limit))),
)
