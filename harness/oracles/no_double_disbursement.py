"""One business intent books at most once, however many requests the connector sent: one
drawdown, or one repayment (a repayment booked twice takes the customer's money twice).

The harness knows which operation (step) was running when each booking happened; steps that
share an ``intent`` are one business intent (a caller retrying at its level). A connector that
retries a lost answer without an Idempotency-Key, or with a fresh one, books twice. The finding
names the mechanism: each attempt with its Idempotency-Key or its absence ("3 attempts with 3
different keys", "retry without a key").
"""

from __future__ import annotations

from typing import Any

from harness.evidence import Finding
from harness.oracles.context import Context, amount

NAME = "no-double-disbursement"
#: attempts listed one by one in a finding; the rest are counted
LISTED = 10


#: what each kind of operation books, in a finding's words: (action, booked, participle)
BOOKS = {"draw-down": ("draw-down", "drawdown", "disbursed"),
         "repay": ("repay", "repayment", "repaid")}


def check(ctx: Context) -> list[Finding]:
    intents: dict[tuple[str, str], set[str]] = {}
    for record in ctx.operations:
        if record.kind in BOOKS:
            intents.setdefault((record.kind, record.intent), set()).add(record.step)
    findings = []
    for (kind, intent), steps in sorted(intents.items()):
        action, noun, done = BOOKS[kind]
        booked = (ctx.repayments_of(steps) if kind == "repay"
                  else [d for d in ctx.drawdowns_of(steps) if d.get("status") != "REJECTED"])
        if len(booked) <= 1:
            continue
        attempts = sorted((e for step in steps for e in ctx.by_operation.get(step, [])
                           if ctx.evidence(e).action == action),
                          key=lambda e: int(e["seq"]))
        listing = ", ".join(f"{b[noun + 'Id']} ({amount(b['amount'], b['currency'])} at "
                            f"{b['createdAt']})" for b in booked)
        findings.append(Finding(
            NAME, f"business intent {intent!r} was {done} {len(booked)} times: "
            f"{mechanism(keys_of(ctx, attempts))}",
            step=sorted(steps)[0], expected=f"at most one {noun} booked for one intent: every "
            "attempt of the intent carries the same Idempotency-Key",
            observed=f"attempts: {_attempts(attempts, keys_of(ctx, attempts))}; bookings: "
            f"{listing}",
            journal=[int(e["seq"]) for e in attempts if e.get("bookings")],
        ))
    return findings


def keys_of(ctx: Context, attempts: list[dict[str, Any]]) -> list[str | None]:
    """The idempotency key each attempt carried (an Idempotency-Key, a sequence number)."""
    return [ctx.evidence(e).idempotency_key for e in attempts]


def mechanism(keys: list[str | None]) -> str:
    """How the attempts of one intent escaped idempotency, in a few words."""
    n = len(keys)
    if keys and keys[0] is None and all(k is None for k in keys):
        return f"{n} attempts, none with an Idempotency-Key: a retry without a key"
    if any(k is None for k in keys[1:]):
        return f"{n} attempts, a retry without a key"
    distinct = len(set(keys))
    if distinct == n:
        return f"{n} attempts with {n} different keys"
    return f"{n} attempts with {distinct} different keys: the intent was retried under a new key"


def _attempts(attempts: list[dict[str, Any]], keys: list[str | None]) -> str:
    shown = "; ".join(_attempt(e, k) for e, k in zip(attempts[:LISTED], keys, strict=False))
    more = len(attempts) - LISTED
    return shown + (f"; and {more} more" if more > 0 else "")


def _attempt(entry: dict[str, Any], key: str | None) -> str:
    answer = entry.get("status") or f"no answer ({entry.get('fault') or 'dropped'})"
    return f"#{entry['seq']} {f'key {key}' if key else 'no key'} -> {answer}"
