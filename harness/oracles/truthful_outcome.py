"""What the connector reports matches what happened at the bank.

Money moved but the caller was told it did not (it will try again: a double disbursement one
level up); or the caller was told it succeeded when the bank never confirmed it -- no answer
whose Evidence says the drawdown request succeeded or was accepted (a refusal inside an HTTP 200
confirms nothing), or only an "accepted" (v3's 202) with the drawdown still PENDING (or
REJECTED) the last time the connector looked; or a drawdown id that its intent never booked
(the caller would look up, reconcile or cancel another drawdown). The same holds for every other
operation: a read, an activation, is ``succeeded`` only where an answer to that very request
confirmed it. A read answered from a cache, an activation reported done without asking, or a
refusal swallowed into a success tells the caller something the bank did not say.
"""

from __future__ import annotations

from typing import Any

from harness.evidence import Finding, OperationRecord
from harness.oracles.context import Context

NAME = "truthful-outcome"
#: the outcomes that confirm a drawdown request was taken
ANSWERED = ("success", "accepted")


def check(ctx: Context) -> list[Finding]:
    findings = []
    intents: dict[str, set[str]] = {}
    for record in ctx.operations:
        if record.kind == "draw-down":
            intents.setdefault(record.intent, set()).add(record.step)
    for record in ctx.operations:
        if record.kind != "draw-down":
            findings += (_repayment if record.kind == "repay" else _unconfirmed)(ctx, record)
            continue
        wrong_id = _wrong_id(ctx, record, intents[record.intent])
        if wrong_id is not None:
            findings.append(wrong_id)
        booked = [d for d in ctx.drawdowns_of({record.step}) if d.get("status") != "REJECTED"]
        confirmed = [e for e in ctx.exchanges(record)
                     if ctx.evidence(e).action == "draw-down"
                     and ctx.evidence(e).outcome in ANSWERED]
        status = record.outcome.status
        if booked and status in ("rejected", "failed"):
            findings.append(Finding(
                NAME, f"{record.step}: the bank disbursed but the caller was told "
                f"{status}", step=record.step,
                expected="succeeded (or pending while unconfirmed)",
                observed=f"{record.outcome.describe()}; booked "
                f"{', '.join(d['drawdownId'] for d in booked)}",
                journal=[e["seq"] for e in ctx.exchanges(record) if e.get("bookings")],
            ))
        elif status == "succeeded" and not confirmed:
            findings.append(Finding(
                NAME, f"{record.step}: reported success the bank never confirmed",
                step=record.step, expected="a 2xx answer to the drawdown request",
                observed=f"{len(ctx.exchanges(record))} exchanges, none confirmed",
                journal=[e["seq"] for e in ctx.exchanges(record)],
            ))
        elif status == "succeeded":
            ids = {d["drawdownId"] for d in ctx.drawdowns_of(intents[record.intent])} or None
            last = last_seen_status(ctx, ctx.exchanges(record), ids)
            if last is not None and last[0] != "DISBURSED":
                findings.append(_unsettled_success(ctx, record.step, last, ids))
    return findings


def _repayment(ctx: Context, record: OperationRecord) -> list[Finding]:
    """A repayment is money moved too: taken but reported refused (the caller repays again),
    or reported done when the bank never confirmed it (the caller thinks the debt is paid)."""
    booked = ctx.repayments_of({record.step})
    status = record.outcome.status
    exchanges = ctx.exchanges(record)
    if booked and status in ("rejected", "failed"):
        return [Finding(
            NAME, f"{record.step}: the bank took the repayment but the caller was told "
            f"{status}", step=record.step, expected="succeeded",
            observed=f"{record.outcome.describe()}; booked "
            f"{', '.join(p['repaymentId'] for p in booked)}",
            journal=[e["seq"] for e in exchanges if e.get("bookings")],
        )]
    if status == "succeeded" and not any(ctx.evidence(e).action == "repay"
                                         and ctx.evidence(e).outcome in ANSWERED
                                         for e in exchanges):
        return [Finding(
            NAME, f"{record.step}: reported a repayment the bank never confirmed",
            step=record.step, expected="a confirming answer to the repayment request",
            observed=f"{len(exchanges)} exchanges, none confirmed",
            journal=[e["seq"] for e in exchanges],
        )]
    return []


def _unconfirmed(ctx: Context, record: OperationRecord) -> list[Finding]:
    """A read or an activation reported succeeded: some answer to that very action must have
    confirmed it (a drawdown read, that the drawdown was DISBURSED)."""
    if record.outcome.status != "succeeded":
        return []
    exchanges = ctx.exchanges(record)
    if not any(ctx.evidence(e).action == record.kind and ctx.evidence(e).outcome in ANSWERED
               for e in exchanges):
        observed = ("the bank answered " + ", ".join(ctx.evidence(e).said or "nothing"
                                                      for e in exchanges[-3:])
                    + "; reported succeeded" if exchanges else
                    "no request reached the bank: the answer came from a cache or was made up")
        return [Finding(
            NAME, f"{record.step}: reported {record.kind} succeeded, which the bank never "
            "confirmed", step=record.step, expected=f"a confirming answer to {record.kind}",
            observed=observed, journal=[e["seq"] for e in exchanges][-3:],
        )]
    asked = record.request.get("drawdownId")
    last = (last_seen_status(ctx, exchanges, {asked} if isinstance(asked, str) else None)
            if record.kind == "get-drawdown" else None)
    if last is not None and last[0] != "DISBURSED":
        truth = "rejected" if last[0] == "REJECTED" else "pending"
        return [Finding(
            NAME, f"{record.step}: reported a drawdown succeeded that the bank showed as "
            f"{last[0]}", step=record.step, expected=f"{truth}, as the bank's answer said",
            observed=f"the bank's last answer said {last[0]}; reported succeeded",
            journal=[last[1]],
        )]
    return []


def _given_ids(ctx: Context, record: OperationRecord) -> list[str]:
    """The drawdown ids the bank's answers to this operation gave the connector."""
    ids = []
    for entry in ctx.exchanges(record):
        evidence = ctx.evidence(entry)
        shown = _shown_id(ctx, entry)
        if evidence.action in ("draw-down", "get-drawdown") and evidence.outcome in ANSWERED \
                and shown is not None and shown not in ids:
            ids.append(shown)
    return ids


def _wrong_id(ctx: Context, record: OperationRecord, steps: set[str]) -> Finding | None:
    """The drawdown id the connector reported names none its intent booked: the caller will
    look up, reconcile or cancel another drawdown (a cached id, the previous one, a key). Or
    it reported the drawdown succeeded or pending without the id the bank gave it: the caller
    cannot look the drawdown up (one whose answer was lost may say pending without an id)."""
    reported = record.outcome.drawdown_id
    if reported is None:
        given = _given_ids(ctx, record)
        if record.outcome.status not in ("succeeded", "pending") or not given:
            return None
        return Finding(
            NAME, f"{record.step}: reported {record.outcome.status} without the drawdown id "
            "the bank gave", step=record.step,
            expected=f"{record.outcome.status} with drawdown {given[-1]}",
            observed=f"{record.outcome.describe()}, no drawdown id: the caller cannot look "
            "the drawdown up", journal=[e["seq"] for e in ctx.exchanges(record)][-3:],
        )
    booked = [d["drawdownId"] for d in ctx.drawdowns_of(steps)]
    if reported in booked:
        return None
    return Finding(
        NAME, f"{record.step}: reported drawdown {reported}, which this intent did not book",
        step=record.step,
        expected=(f"the id the bank gave: {', '.join(booked)}" if booked
                  else "no drawdown id: the bank booked none for this intent"),
        observed=f"{record.outcome.describe()} with drawdown {reported}",
        journal=[e["seq"] for e in ctx.exchanges(record) if e.get("bookings")],
    )


def _unsettled_success(ctx: Context, step: str, last: tuple[str, int],
                       ids: set[str] | None) -> Finding:
    """Success reported while the drawdown was not DISBURSED: name what the connector skipped
    (v3's 202 never polled, or only another drawdown polled) or what its last poll said."""
    exchanges = ctx.by_operation.get(step, [])
    polls = [e for e in exchanges if ctx.evidence(e).action == "get-drawdown"]
    others = sorted({shown for e in polls if (shown := _shown_id(ctx, e)) is not None
                     and ids is not None and shown not in ids})
    polls = [e for e in polls if _about(ctx, e, ids)]
    accepted = next((e for e in exchanges if ctx.evidence(e).action == "draw-down"
                     and ctx.evidence(e).outcome == "accepted"), None)
    if accepted is not None and not polls:
        polled = (f"polled only another drawdown ({', '.join(others)}), never this one"
                  if others else "neither polled the drawdown nor reported pending")
        message = (f"{step}: the bank answered 202 (accepted, {last[0]}) and the connector "
                   f"{polled}: it reported succeeded")
        observed = (f"202 {last[0]} at #{accepted['seq']}, "
                    f"{'polls of ' + ', '.join(others) if others else 'no status poll'}, "
                    "reported succeeded")
    else:
        message = (f"{step}: reported success for a drawdown the bank had not disbursed (its "
                   f"last poll said {last[0]})")
        observed = f"the last answer the connector saw said {last[0]}; reported succeeded"
    return Finding(NAME, message, step=step,
                   expected="pending until a status poll shows DISBURSED",
                   observed=observed, journal=[last[1]])


def _shown_id(ctx: Context, entry: dict[str, Any]) -> str | None:
    """The id of the drawdown an answer showed, where its Evidence names it."""
    shown = ((ctx.evidence(entry).resource or {}).get("drawdown") or {}).get("drawdownId")
    return shown if isinstance(shown, str) else None


def _about(ctx: Context, entry: dict[str, Any], ids: set[str] | None) -> bool:
    """Whether an answer may be about one of ``ids``: a poll of another drawdown says nothing
    about this one (an answer whose Evidence names no id is given the benefit of the doubt)."""
    shown = _shown_id(ctx, entry)
    return ids is None or shown is None or shown in ids


def last_seen_status(ctx: Context, exchanges: list[dict[str, Any]],
                     ids: set[str] | None = None) -> tuple[str, int] | None:
    """The drawdown status in the last answer of the operation that carried one (about one of
    ``ids``, when given)."""
    seen = None
    for entry in exchanges:
        evidence = ctx.evidence(entry)
        drawdown = (evidence.resource or {}).get("drawdown") or {}
        if (evidence.action in ("draw-down", "get-drawdown") and evidence.outcome in ANSWERED
                and isinstance(drawdown.get("status"), str) and _about(ctx, entry, ids)):
            seen = (drawdown["status"], int(entry["seq"]))
    return seen
