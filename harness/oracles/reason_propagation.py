"""The bank's reason reaches the connector's caller as a reason code, not a generic error.

For each operation whose last answered exchange was a refusal, the connector must report
``rejected`` with the same reason (in the harness's words, whatever the wire version said), and
for a lock the date it ends. v1's wire cannot tell a lock from a freeze: a v1 connector fails
this oracle on lock scenarios, which is the incompatibility the article describes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from harness.evidence import Finding
from harness.oracles.context import Context, answered_by, bank_answer, bank_reason
from harness.oracles.text_decided import clause

NAME = "reason-propagation"


def _same_instant(a: str, b: str) -> bool:
    try:
        return datetime.fromisoformat(a) == datetime.fromisoformat(b)
    except ValueError:
        return a == b


def _drifted(entry: dict[str, Any]) -> bool:
    """The answer carried a reason its contract version does not know (a minor release)."""
    note = entry.get("note") or ""
    return note.startswith("additive drift") and "reasonCode" in note


def check(ctx: Context) -> list[Finding]:
    findings = []
    for record in ctx.operations:
        final = ctx.final_answer(record)
        if final is None:
            continue
        evidence = ctx.evidence(final)
        reason = bank_reason(evidence)
        if reason is None:
            continue
        outcome = record.outcome
        if outcome.status == "pending" and any(e.get("bookings") for e in ctx.exchanges(record)):
            # The bank accepted the drawdown; a refusal of a later status poll (an old node in a
            # rolling upgrade, a window) is not its answer to it: "pending" is the truth.
            continue
        seq = [final["seq"]]
        if outcome.status == "rejected" and outcome.reason == "UNKNOWN" and _drifted(final):
            continue  # a code the targeted contract does not list: UNKNOWN is the honest word
        if outcome.status != "rejected" or outcome.reason != reason:
            message = f"{record.step}: the bank's reason did not reach the caller"
            # Served in place of the version it addressed, the connector got another contract's
            # answer: that mismatch, not the text, is what misled it.
            by_text = clause(evidence) if outcome.status == "rejected" \
                and answered_by(final) == final.get("version") else None
            findings.append(Finding(
                NAME, f"{message}: {by_text}" if by_text else message,
                step=record.step, expected=f"rejected {reason}",
                observed=f"{outcome.describe()} (bank answered {bank_answer(final, evidence)})",
                journal=seq,
            ))
            continue
        until = evidence.locked_until
        if reason == "LINE_LOCKED" and until is not None and (
                outcome.locked_until is None or not _same_instant(outcome.locked_until, until)):
            findings.append(Finding(
                NAME, f"{record.step}: the lock's end date did not reach the caller",
                step=record.step, expected=f"lockedUntil {until}",
                observed=f"lockedUntil {outcome.locked_until}", journal=seq,
            ))
    return findings
