"""JSON Schemas of the control API's request bodies, checked before anything changes.

Issue 15 item 11: bodies used to be read field by field while the bank changed, so a bad value
was stored first and broke every later request (``reset {"customers": -5}``, a clock at
9999-12-31, a NaN share). Now each body is checked whole against its route's schema, ranges
included (:mod:`fake_core_bank.domain.limits`), and refused with a 400 naming the field; the
handlers then only see valid bodies. Times are checked for their range by the handlers
(``commands._time``), which parse them anyway.

>>> problem("POST", "/reset", {"customers": -5})
'customers: -5 is less than the minimum of 0'
>>> problem("POST", "/reset", {"customers": 5}) is None
True
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from fake_core_bank.domain.faults import FAULT_KINDS
from fake_core_bank.domain.limits import LONGEST, MAX_AMOUNT, MAX_CUSTOMERS, MAX_TIME_SCALE
from fake_core_bank.domain.model import LineStatus
from fake_core_bank.domain.state import LISTS

_TIME = {"type": "string", "minLength": 1, "maxLength": 64}
_OPTIONAL_TIME = {"anyOf": [_TIME, {"type": "null"}]}
#: a version's name; which names exist is the core model's (checked per bank, see schemas())
_VERSION: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 64}
_VERSIONS = {"type": "array", "items": _VERSION, "minItems": 1, "uniqueItems": True}
_NAME = {"type": "string", "minLength": 1, "maxLength": 200}
_OPTIONAL_NAME = {"anyOf": [_NAME, {"type": "null"}]}
_SECONDS = LONGEST.total_seconds()


def _body(properties: dict[str, Any], *required: str, **more: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(required), **more}


#: (method, path template under /_control) -> schema of the body
SCHEMAS: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/reset"): _body({
        "seed": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
        "customers": {"type": "integer", "minimum": 0, "maximum": MAX_CUSTOMERS},
        "timeScale": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_TIME_SCALE},
        "messageVariants": {"type": "boolean"},
        "settleAfterPolls": {"type": "integer", "minimum": 0, "maximum": 1000},
        "additive": {"type": "boolean"},
        "versions": _VERSIONS,
        "start": _TIME,
    }),
    ("PUT", "/lines/{line}/status"): _body({
        "status": {"enum": [s.value for s in LineStatus]},
        "lockedUntil": _OPTIONAL_TIME, "reason": _OPTIONAL_NAME}, "status"),
    ("POST", "/lines/{line}/external-drawdowns"): _body({
        "amount": {"type": "integer", "minimum": 1, "maximum": MAX_AMOUNT}}, "amount"),
    ("POST", "/maintenance"): _body({
        "start": _TIME, "end": _TIME,
        "durationSeconds": {"type": "number", "exclusiveMinimum": 0, "maximum": _SECONDS},
        "mode": {"type": "string", "pattern": "^(?i:full|read[-_]only)$"},
    }, anyOf=[{"required": ["end"]}, {"required": ["durationSeconds"]}]),
    ("PUT", "/clock"): _body({"now": _TIME}, "now"),
    ("POST", "/clock/advance"): _body({
        "seconds": {"type": "number", "minimum": -_SECONDS, "maximum": _SECONDS}}, "seconds"),
    ("PUT", "/versions"): _body({"serve": _VERSIONS}, "serve"),
    ("POST", "/versions/upgrade"): _body({
        "to": _VERSION, "retire": {"anyOf": [_VERSIONS, {"type": "array", "maxItems": 0},
                                             {"type": "null"}]},
        "sunset": _OPTIONAL_TIME, "inPlace": {"type": "boolean"}}, "to"),
    ("POST", "/versions/rollback"): _body({"to": _VERSION}, "to"),
    ("POST", "/versions/rolling-upgrade"): _body({
        "from": _VERSION, "to": _VERSION, "share": {"type": "number", "minimum": 0, "maximum": 1},
        "seed": {"anyOf": [{"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
                           {"type": "null"}]}}, "from", "to", "share"),
    ("POST", "/faults"): _body({
        "kind": {"enum": list(FAULT_KINDS)}, "operationId": _OPTIONAL_NAME,
        "method": _OPTIONAL_NAME, "line": _OPTIONAL_NAME,
        "times": {"type": "integer", "minimum": 1, "maximum": 1_000_000},
        "status": {"type": "integer", "minimum": 100, "maximum": 599},
        "delaySeconds": {"type": "number", "minimum": 0, "maximum": 3600}}, "kind"),
    ("POST", "/operations/begin"): _body({"name": _NAME}, "name"),
    ("POST", "/policies"): _body({
        "id": _NAME, "region": _NAME, "effective": _TIME,
        "maxDrawdown": {"anyOf": [{"type": "integer", "minimum": 0, "maximum": MAX_AMOUNT},
                                  {"type": "null"}]},
        "requirePurposeCode": {"type": "boolean"},
        "allowedPurposes": {"anyOf": [{"type": "array", "items": _NAME}, {"type": "null"}]},
    }, "id", "effective"),
    # A snapshot's shape; its items are checked by loading them into a scratch bank first.
    ("POST", "/state"): _body({"clock": _OPTIONAL_TIME} | {
        key: {"type": "array", "items": {"type": "object"}}
        for key in LISTS}),
}


def _with_versions(node: Any, versions: tuple[str, ...]) -> Any:
    """``node`` with every version name schema narrowed to ``versions`` (none: any name)."""
    if node is _VERSION and versions:
        return {"enum": list(versions)}
    if isinstance(node, dict):
        return {k: _with_versions(v, versions) for k, v in node.items()}
    if isinstance(node, list):
        return [_with_versions(v, versions) for v in node]
    return node


@functools.cache
def _validators(versions: tuple[str, ...]) -> dict[tuple[str, str], Draft202012Validator]:
    """The routes' validators for a core whose versions are ``versions``."""
    return {key: Draft202012Validator(_with_versions(schema, versions))
            for key, schema in SCHEMAS.items()}


def problem(method: str, template: str, body: dict[str, Any],
            versions: tuple[str, ...] = ()) -> str | None:
    """``field: what is wrong`` for the first problem of ``body``, or None when it is valid;
    ``versions``: the bank's core model's versions (a version name outside them is refused)."""
    validator = _validators(versions).get((method, template))
    if validator is None:
        return None
    error = best_match(validator.iter_errors(body))
    if error is None:
        return None
    where = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "required" and not where:
        where = str(error.message).split("'")[1] if "'" in error.message else "(body)"
    message = error.message
    if error.validator == "type":
        message = f"expected {error.validator_value}, found {str(error.instance)[:100]!r}"
    elif error.validator == "enum":
        valid = ", ".join(str(v) for v in error.validator_value)
        message = f"{str(error.instance)[:100]!r} is not allowed; valid: {valid}"
    if len(message) > 200:
        message = message[:200] + "..."
    return f"{where or '(body)'}: {message}"
