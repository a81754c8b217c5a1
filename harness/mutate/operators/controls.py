"""Controls: tolerated changes a correct connector must survive. A killed control is a bug of the
proxy (or of the connector's tolerance), never a strength of the library."""

from __future__ import annotations

from typing import Any

from harness.mutate.operators.base import Operator, RunState, json_rewrite, on_response
from harness.mutate.wire import Exchange, WireResponse, walk_dicts

UNKNOWN_FIELD = "x-drawbridge-unknown"


def _json_object(e: Exchange) -> bool:
    return e.status is not None and bool(walk_dicts(e.response_body))


def _answered(e: Exchange) -> bool:
    return e.status is not None


def _add_field(data: Any) -> None:
    for d in walk_dicts(data):
        d[UNKNOWN_FIELD] = {"note": "a field this contract version does not define"}


def _reordered(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _reordered(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reordered(v) for v in value]
    return value


def _reorder(response: WireResponse, _state: RunState) -> WireResponse:
    return response.with_json(_reordered(response.json()))


def _add_header(response: WireResponse, _state: RunState) -> WireResponse:
    return WireResponse(response.status, (*response.headers, ("x-drawbridge-unknown", "1")),
                        response.body)


OPERATORS = (
    Operator("control-unknown-field", "add an unknown field to every object of every answer",
             "control: additive change", (), "", _json_object,
             on_response(_json_object, json_rewrite(_add_field)), control=True),
    Operator("control-unknown-header", "add an unknown header to every answer",
             "control: additive change", (), "", _answered,
             on_response(_answered, _add_header), control=True),
    Operator("control-reorder-keys", "reverse the key order of every object of every answer",
             "control: JSON objects are unordered", (), "", _json_object,
             on_response(_json_object, _reorder), control=True),
)
