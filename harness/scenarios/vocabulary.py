"""The words a scenario may use: one place the loader, the schema and the engine import.

Everything here is data. The published JSON Schema (scenarios/schema/scenario-1.schema.json) is
generated from these tables by :mod:`harness.scenarios.schema`, so the two cannot drift.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from fake_core_bank.domain.faults import FAULTS
from fake_core_bank.domain.model import LineStatus, Reason

#: The format id a scenario file declares in its ``format:`` key.
FORMAT: Final = "drawbridge/scenario@1"
#: The format id of an include fragment: a file that only contributes ``given``.
FRAGMENT_FORMAT: Final = "drawbridge/fragment@1"

#: The five causes of the article plus injected faults.
CAUSES: Final = (
    "integration",
    "business-rule",
    "policy",
    "line-state",
    "maintenance",
    "fault",
)

#: What a version's name may look like; which versions exist is the core model's
#: (:func:`fake_core_bank.cores.active`), checked when a scenario is loaded.
VERSION_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"

#: Currency -> number of fraction digits of its minor unit.
CURRENCIES: Final = MappingProxyType({"CNY": 2, "USD": 2, "EUR": 2, "HKD": 2})
#: A money amount never has more integer digits than this (the contracts' int64 / yuan pattern).
MAX_INTEGER_DIGITS: Final = 15

#: Every state a credit line can be in: the domain's (the same for every core model).
LINE_STATUSES: Final = tuple(status.value for status in LineStatus)

#: What a connector reports for one operation: the harness's words, independent of versions.
OUTCOMES: Final = ("succeeded", "rejected", "pending", "failed")

#: The domain's reasons a scenario may expect, plus ``UNKNOWN`` for a code the connector could
#: not map; not words of the outcome vocabulary: ``ACTIVATION_NOT_ALLOWED`` (activating a line
#: that is not pending activation: no scenario expects it yet), ``VERSION_UNAVAILABLE`` (read
#: as MAINTENANCE) and ``INTERNAL`` (a failure, not a reason).
NOT_EXPECTED: Final = frozenset({Reason.ACTIVATION_NOT_ALLOWED, Reason.VERSION_UNAVAILABLE,
                                 Reason.INTERNAL})
REASON_CODES: Final = (*(r.value for r in Reason if r not in NOT_EXPECTED), "UNKNOWN")

ORACLES: Final = (
    "no-double-disbursement",
    "within-limit",
    "amount-fidelity",
    "request-conformance",
    "retry-discipline",
    "reason-propagation",
    "truthful-outcome",
    "expected-outcome",
    "tolerant-reader",
    "faithful-read",
    "ledger-total",
    "successor-migration",
)

MAINTENANCE_MODES: Final = ("full", "read-only")
#: The fake bank's fault kinds, from its one registry (fake_core_bank.domain.faults.FAULTS).
FAULT_KINDS: Final = tuple(FAULTS)
HTTP_METHODS: Final = ("GET", "POST", "PUT", "PATCH", "DELETE")

# Field types used by the event and operation tables below. The loader turns each into a typed
# value: "line" -> str, "time" -> aware datetime, "duration" -> timedelta, "money" -> Money, ...

#: Fields of a regional policy, in ``given.policies`` and in the ``policy`` event.
POLICY_FIELDS: Final = MappingProxyType(
    {
        "id": "policy-id",
        "region": "policy-region",
        "effective": "time",
        "maxDrawdown": "money",
        "requirePurposeCode": "bool",
        "allowedPurposes": "purpose-list",
    }
)
POLICY_REQUIRED: Final = ("id", "region", "effective")

#: event kind -> {field: type}; the event's allowed fields besides ``at`` and ``name``.
EVENTS: Final = MappingProxyType(
    {
        "upgrade": MappingProxyType(
            {
                "to": "version",
                "retire": "version-list",
                "deprecate": "version-list",
                "sunset": "time",
                "inPlace": "bool",
            }
        ),
        "rollback": MappingProxyType({"to": "version"}),
        "rolling-upgrade": MappingProxyType(
            {"from": "version", "to": "version", "share": "share", "seed": "seed"}
        ),
        "complete-rollout": MappingProxyType({}),
        "maintenance": MappingProxyType({"duration": "duration", "mode": "maintenance-mode"}),
        "freeze": MappingProxyType({"line": "line"}),
        "unfreeze": MappingProxyType({"line": "line"}),
        "lock": MappingProxyType({"line": "line", "until": "time", "reason": "text"}),
        "unlock": MappingProxyType({"line": "line"}),
        "activate": MappingProxyType({"line": "line"}),
        "set-status": MappingProxyType({"line": "line", "status": "line-status"}),
        "expire": MappingProxyType({"line": "line"}),
        "satisfy-precondition": MappingProxyType({"line": "line", "code": "precondition-code"}),
        "policy": POLICY_FIELDS,
        "remove-policy": MappingProxyType({"id": "policy-id"}),
        "fault": MappingProxyType(
            {
                "kind": "fault-kind",
                "match": "fault-match",
                "times": "times",
                "status": "http-5xx",
                "delay": "duration",
            }
        ),
        "external-drawdown": MappingProxyType({"line": "line", "amount": "money"}),
        "advance": MappingProxyType({"by": "duration"}),
        "settle": MappingProxyType({}),
    }
)

#: event kind -> the fields it must have.
EVENT_REQUIRED: Final = MappingProxyType(
    {
        "upgrade": ("to",),
        "rollback": ("to",),
        "rolling-upgrade": ("from", "to", "share"),
        "complete-rollout": (),
        "maintenance": ("duration",),
        "freeze": ("line",),
        "unfreeze": ("line",),
        "lock": ("line", "until"),
        "unlock": ("line",),
        "activate": ("line",),
        "set-status": ("line", "status"),
        "expire": ("line",),
        "satisfy-precondition": ("line", "code"),
        "policy": POLICY_REQUIRED,
        "remove-policy": ("id",),
        "fault": ("kind", "match"),
        "external-drawdown": ("line", "amount"),
        "advance": ("by",),
        "settle": (),
    }
)

#: Fields of a fault's ``match``.
FAULT_MATCH_FIELDS: Final = MappingProxyType(
    {"operation": "operation-id", "method": "http-method", "line": "line"}
)

#: operation (``do:``) -> {field: type}; besides ``at``, ``name``, ``intent`` and ``expect``.
OPERATIONS: Final = MappingProxyType(
    {
        "get-line": MappingProxyType({"line": "line"}),
        "draw-down": MappingProxyType({"line": "line", "amount": "money", "purpose": "purpose"}),
        "get-drawdown": MappingProxyType({"ref": "step-name"}),
        "activate": MappingProxyType({"line": "line"}),
        "repay": MappingProxyType({"line": "line", "amount": "money"}),
    }
)
OPERATION_REQUIRED: Final = MappingProxyType(
    {
        "get-line": ("line",),
        "draw-down": ("line", "amount"),
        "get-drawdown": ("ref",),
        "activate": ("line",),
        "repay": ("line", "amount"),
    }
)


# Identifier patterns (JSON Schema / Python ``re`` compatible).
SCENARIO_ID_PATTERN: Final = r"^[a-z0-9][a-z0-9-]{2,63}$"
TAG_PATTERN: Final = r"^[a-z0-9-]+$"
STEP_NAME_PATTERN: Final = r"^[a-z0-9-]+$"
CUSTOMER_ID_PATTERN: Final = r"^ENT[0-9]{6}$"
LINE_ID_PATTERN: Final = r"^CL[0-9]{6}$"
PRECONDITION_CODE_PATTERN: Final = r"^[A-Z][A-Z0-9_]{2,40}$"
POLICY_ID_PATTERN: Final = r"^[a-z0-9-]+$"
PURPOSE_PATTERN: Final = r"^[A-Z]{2}[0-9]{2}$"
REGION_PATTERN: Final = r"^[0-9]{6}$"
ACCOUNT_NO_PATTERN: Final = r"^[0-9]{16,19}$"
OPERATION_ID_PATTERN: Final = r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$"
