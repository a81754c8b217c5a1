"""A retired version's successor: judged by the contract versions the connector declares.

When the bank answers that a version is retired and names its successor (``Evidence`` outcome
``retired`` with a ``successor``: on the built-in wire a 410 with ``Link: </vN>;
rel="successor-version"``, contracts/CHANGELOG.md "Deprecation policy"), a connector that
declares vN must move to vN and carry on within the same operation; one that does not declare
vN must say VERSION_RETIRED to its caller, not pretend or invent. A connector that ignores
Deprecation/Sunset and never moves on is found here, wherever a scenario retires its version.
"""

from __future__ import annotations

from typing import Any

from harness.evidence import Finding, OperationRecord
from harness.oracles.context import Context, excerpt

NAME = "successor-migration"


def successor_of(ctx: Context, entry: dict[str, Any]) -> str | None:
    """The successor of the version ``entry``'s answer says is retired, or None."""
    evidence = ctx.evidence(entry)
    return evidence.successor if evidence.outcome == "retired" else None


def check(ctx: Context) -> list[Finding]:
    declared = set(ctx.result.connector.contracts)
    findings = []
    for record in ctx.operations:
        exchanges = ctx.exchanges(record)
        gone = [(i, e, s) for i, e in enumerate(exchanges) if (s := successor_of(ctx, e))]
        if not gone:
            continue
        index, entry, successor = gone[0]
        finding = _judge(record, exchanges[index + 1:], entry, successor, declared)
        if finding is not None:
            finding.journal = excerpt([entry, *exchanges[index + 1:]][-4:])
            findings.append(finding)
    return findings


def _judge(record: OperationRecord, after: list[dict[str, Any]], entry: dict[str, Any],
           successor: str, declared: set[str]) -> Finding | None:
    retired = entry.get("version")
    outcome = record.outcome
    said_retired = outcome.status == "rejected" and outcome.reason == "VERSION_RETIRED"
    if successor in declared:
        moved = any(e.get("version") == successor for e in after)
        if moved and not said_retired:
            return None
        how = ("never sent a request to it" if not moved
               else "sent a request to it but still reported VERSION_RETIRED")
        return Finding(
            NAME, f"{record.step}: the bank retired {retired} and named {successor} as its "
            f"successor (410, Link rel=\"successor-version\"); the connector declares "
            f"{successor} but {how}: it ignored the Deprecation/Sunset it was given and did "
            "not move on",
            step=record.step, expected=f"the operation carried on through /{successor}",
            observed=outcome.describe())
    if said_retired:
        return None
    return Finding(
        NAME, f"{record.step}: the bank retired {retired} (410, successor {successor}, which "
        f"the connector does not declare) and the connector did not report VERSION_RETIRED",
        step=record.step, expected="rejected VERSION_RETIRED", observed=outcome.describe())
