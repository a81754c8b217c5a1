"""The published JSON Schema of drawbridge/scenario@1, built from the vocabulary.

``build_schema()`` derives the schema from :mod:`harness.scenarios.vocabulary`; the file
``scenarios/schema/scenario-1.schema.json`` is its published copy (editors use it for
completion) and the loader validates against that file, so what users see is what runs. A test
fails when the two differ; refresh the file with ``python -m harness.scenarios`` (``--check``
only compares).

Keys ``x-problem`` / ``x-fix`` are annotations (allowed by draft 2020-12) that give the loader's
message for a composite rule, such as "a step has either ``event`` or ``do``".
"""

from __future__ import annotations

import copy
import functools
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from harness.paths import write_atomic
from harness.scenarios import vocabulary as v

SCHEMA_ID = "https://drawbridge.invalid/schema/scenario-1.schema.json"
_FILE = Path("schema") / "scenario-1.schema.json"

MONEY_PATTERN = r"^[0-9]{1,15}(\.[0-9]{1,2})? (" + "|".join(v.CURRENCIES) + ")$"
_OFFSET_TIME = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})"
)
TIME_PATTERN = f"^{_OFFSET_TIME}$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DURATION = r"(?=[0-9])([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?"
DURATION_PATTERN = f"^{_DURATION}$"
AT_PATTERN = rf"^(\+{_DURATION}|{_OFFSET_TIME})$"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _enum(title: str, values: tuple[str, ...]) -> dict[str, Any]:
    return {"title": title, "type": "string", "enum": list(values)}


def _pattern(title: str, pattern: str, example: str) -> dict[str, Any]:
    return {"title": title, "type": "string", "pattern": pattern, "examples": [example]}


def _list(items: Mapping[str, Any], *, min_items: int = 0) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array", "items": dict(items), "uniqueItems": True}
    if min_items:
        schema["minItems"] = min_items
    return schema


def _one_or_list(name: str) -> dict[str, Any]:
    # if/then/else rather than anyOf: each branch reports its own precise error.
    return {
        "type": ["string", "array"],
        "if": {"type": "string"},
        "then": _ref(name),
        "else": {"items": _ref(name), "minItems": 1, "uniqueItems": True},
    }


def _object(
    properties: Mapping[str, Any], required: tuple[str, ...] = (), **extra: Any
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object"}
    if required:
        schema["required"] = list(required)
    schema["properties"] = dict(properties)
    schema["additionalProperties"] = False
    schema.update(extra)
    return schema


#: Field type (vocabulary tables) -> schema.
_FIELD_TYPES: dict[str, dict[str, Any]] = {
    "line": _ref("line-id"),
    "time": _ref("time"),
    "version": _ref("version"),
    "version-list": _list(_ref("version")),
    "duration": _ref("duration"),
    "share": {"type": "number", "minimum": 0, "maximum": 1},
    "seed": {"type": "integer", "minimum": 0},
    "maintenance-mode": _enum("maintenance mode", v.MAINTENANCE_MODES),
    "text": {"type": "string"},
    "line-status": _ref("line-status"),
    "precondition-code": _pattern("precondition code", v.PRECONDITION_CODE_PATTERN, "GUARANTEE"),
    "policy-id": _pattern("policy id", v.POLICY_ID_PATTERN, "zj-tighten-2026q1"),
    "policy-region": _pattern("policy region", r"^([0-9]{6}|\*)$", "330000"),
    "money": _ref("money"),
    "bool": {"type": "boolean"},
    "purpose": _ref("purpose"),
    "purpose-list": _list(_ref("purpose")),
    "fault-kind": _enum("fault kind", v.FAULT_KINDS),
    "fault-match": _ref("fault-match"),
    "times": {"type": "integer", "minimum": 1},
    "http-5xx": {"type": "integer", "minimum": 500, "maximum": 599},
    "step-name": _ref("step-name"),
    "operation-id": _pattern("operationId", v.OPERATION_ID_PATTERN, "createDrawdown"),
    "http-method": _enum("HTTP method", v.HTTP_METHODS),
}


#: What a step expects, for every version or (under ``byVersion``) for one.
_STEP_EXPECT: dict[str, Any] = {
    "outcome": _one_or_list("outcome"),
    "reason": _one_or_list("reason"),
    "lockedUntil": _ref("time"),
}


def _by_version(item: Mapping[str, Any]) -> dict[str, Any]:
    """A mapping from a contract version the connector used to ``item``."""
    return {"type": "object", "propertyNames": _ref("version"),
            "additionalProperties": copy.deepcopy(dict(item)), "minProperties": 1}


def _fields(table: Mapping[str, str]) -> dict[str, Any]:
    return {name: copy.deepcopy(_FIELD_TYPES[kind]) for name, kind in table.items()}


def _given(required: tuple[str, ...]) -> dict[str, Any]:
    return _object(
        {
            "clock": _ref("time"),
            "serve": _list(_ref("version"), min_items=1),
            "customers": {"type": "array", "items": _ref("customer")},
            "lines": {"type": "array", "items": _ref("line")},
            "policies": {"type": "array", "items": _ref("policy")},
            "bank": _ref("bank"),
        },
        required,
    )


def _step() -> dict[str, Any]:
    rules: list[dict[str, Any]] = [
        {
            "if": {"required": ["event"]},
            "then": {
                "not": {"required": ["do"]},
                "x-problem": "a step has either 'event' or 'do', not both",
                "x-fix": "split it into two steps: one event (bank side), one operation",
            },
            "else": {
                "required": ["do"],
                "x-problem": "a step needs 'event' (a bank-side change) or 'do' (an operation)",
                "x-fix": "add e.g. 'event: freeze' or 'do: draw-down'",
            },
        }
    ]
    for kind in v.EVENTS:
        rules.append(
            {
                "if": {"required": ["event"], "properties": {"event": {"const": kind}}},
                "then": _ref(f"event-{kind}"),
            }
        )
    for kind in v.OPERATIONS:
        rules.append(
            {
                "if": {"required": ["do"], "properties": {"do": {"const": kind}}},
                "then": _ref(f"do-{kind}"),
            }
        )
    return {
        "type": "object",
        "required": ["at"],
        "properties": {
            "at": _ref("at"),
            "name": _ref("step-name"),
            "event": _enum("event", tuple(v.EVENTS)),
            "do": _enum("operation", tuple(v.OPERATIONS)),
        },
        "allOf": rules,
    }


def build_schema(versions: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The scenario format's schema. ``versions``: the names a version may have (the active
    core model's, when the loader validates); None (the published file): any version name, as
    the format is the same for every core model (docs/core-models.md)."""
    """The JSON Schema (draft 2020-12) of a scenario file, with fragments under ``$defs``."""
    defs: dict[str, Any] = {
        "scenario": _object(
            {
                "format": {"const": v.FORMAT},
                "id": _pattern("scenario id", v.SCENARIO_ID_PATTERN, "lock-period-case-study"),
                "title": {
                    "type": "string",
                    "minLength": 1,
                    "examples": ["特殊业务锁定期阻止提款，解除后提款成功"],
                },
                "cause": _enum("cause", v.CAUSES),
                "versions": _list(_ref("version"), min_items=1),
                "assumes": _list(_ref("version"), min_items=1),
                "description": {"type": "string"},
                "tags": _list(_pattern("tag", v.TAG_PATTERN, "case-study")),
                "seed": {"type": "integer", "minimum": 0},
                "include": _ref("include"),
                "given": _given(("clock",)),
                "timeline": {"type": "array", "minItems": 1, "items": _ref("step")},
                "expect": _object(
                    {
                        "disbursed": _ref("money"),
                        "oracles": _object({"skip": _list(_ref("oracle"))}),
                        "byVersion": _by_version(
                            _object({"disbursed": _ref("money")}, ("disbursed",))
                        ),
                    }
                ),
            },
            ("format", "id", "title", "cause", "versions", "given", "timeline"),
        ),
        "fragment": _object(
            {
                "format": {"const": v.FRAGMENT_FORMAT},
                "description": {"type": "string"},
                "include": _ref("include"),
                "given": _given(()),
            },
            ("format",),
        ),
        "include": {"type": "string", "minLength": 1, "examples": ["../common/base.yaml"]},
        "money": _pattern("money", MONEY_PATTERN, "300000.00 CNY"),
        "time": _pattern("time", TIME_PATTERN, "2026-03-02T09:00:00+08:00"),
        "date": _pattern("date", DATE_PATTERN, "2026-03-31"),
        "duration": _pattern("duration", DURATION_PATTERN, "1d2h30m"),
        "at": _pattern("step time", AT_PATTERN, "+1h"),
        "version": (_pattern("version", v.VERSION_PATTERN, "v2") if versions is None
                    else _enum("version", versions)),
        "line-status": _enum("line status", v.LINE_STATUSES),
        "outcome": _enum("outcome", v.OUTCOMES),
        "reason": _enum("reason code", v.REASON_CODES),
        "oracle": _enum("oracle", v.ORACLES),
        "line-id": _pattern("line id", v.LINE_ID_PATTERN, "CL000001"),
        "customer-id": _pattern("customer id", v.CUSTOMER_ID_PATTERN, "ENT000001"),
        "step-name": _pattern("step name", v.STEP_NAME_PATTERN, "first-attempt"),
        "purpose": _pattern("purpose code", v.PURPOSE_PATTERN, "WC01"),
        "customer": _object(
            {
                "id": _ref("customer-id"),
                "name": {"type": "string", "minLength": 1},
                "creditCode": _pattern(
                    "credit code",
                    r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$",
                    "91350100M000100Y43",
                ),
                "region": _pattern("region", v.REGION_PATTERN, "330000"),
                "accountNo": _pattern(
                    "account number", v.ACCOUNT_NO_PATTERN, "6222020200112233445"
                ),
            },
            ("id",),
        ),
        "line": _object(
            {
                "id": _ref("line-id"),
                "customer": _ref("customer-id"),
                "limit": _ref("money"),
                "used": _ref("money"),
                "status": _ref("line-status"),
                "lockedUntil": _ref("time"),
                "lockReason": {"type": "string"},
                "expiresOn": _ref("date"),
                "preconditions": {"type": "array", "items": _ref("precondition")},
            },
            ("id", "customer", "limit"),
        ),
        "precondition": _object(
            {
                "code": _FIELD_TYPES["precondition-code"],
                "description": {"type": "string"},
                "satisfied": {"type": "boolean"},
                "dueDate": _ref("date"),
            },
            ("code",),
        ),
        "policy": _object(_fields(v.POLICY_FIELDS), v.POLICY_REQUIRED),
        "bank": _object(
            {
                "messageVariants": {"type": "boolean"},
                "settleAfterPolls": {"type": "integer", "minimum": 0},
                "additive": {"type": "boolean"},
                "timeScale": {"type": "number", "exclusiveMinimum": 0},
            }
        ),
        "fault-match": _object(_fields(v.FAULT_MATCH_FIELDS), ("operation",)),
        "step-expect": _object(
            {**_STEP_EXPECT, "byVersion": _by_version(_ref("step-expect-version"))}
        ),
        "step-expect-version": _object(_STEP_EXPECT),
        "step": _step(),
    }
    for kind, table in v.EVENTS.items():
        props = {"at": True, "name": True, "event": True, **_fields(table)}
        defs[f"event-{kind}"] = _object(props, v.EVENT_REQUIRED[kind])
    for kind, table in v.OPERATIONS.items():
        props = {"at": True, "name": True, "do": True, **_fields(table)}
        props["intent"] = {"type": "string", "minLength": 1}
        props["expect"] = _ref("step-expect")
        defs[f"do-{kind}"] = _object(props, v.OPERATION_REQUIRED[kind])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"Drawbridge scenario ({v.FORMAT})",
        "description": "A scenario file; see docs/scenario-format.md.",
        "$ref": "#/$defs/scenario",
        "$defs": defs,
    }


def render_schema() -> str:
    """The published file's exact text."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def schema_path() -> Path:
    """The published schema: ``scenarios/schema/`` in a checkout, packaged data in a wheel."""
    package = Path(__file__).resolve().parent
    for root in (package.parents[1] / "scenarios", package.parent / "_data" / "scenarios"):
        if (root / _FILE).is_file():
            return root / _FILE
    return package.parents[1] / "scenarios" / _FILE


@functools.cache
def published_schema() -> dict[str, Any]:
    """The schema the loader validates against: read from the published file."""
    data: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return data


def main(argv: list[str] | None = None) -> int:
    """``python -m harness.scenarios [--check]``: write (or check) the published schema file."""
    args = sys.argv[1:] if argv is None else argv
    path = schema_path()
    text = render_schema()
    if "--check" in args:
        same = path.is_file() and path.read_text(encoding="utf-8") == text
        print(f"{path}: {'up to date' if same else 'out of date'}")
        return 0 if same else 1
    write_atomic(path, text)
    print(f"wrote {path}")
    return 0
