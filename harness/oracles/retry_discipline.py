"""Retries honour Retry-After and stay bounded.

Each exchange carries the wall seconds since its operation's first request. After an answer
that told the client to wait N seconds (``Evidence.retry_after``: ``Retry-After: N`` on the
built-in wire) the connector's next request must come at least N seconds later (less a small
tolerance for timer granularity); an operation may not send more than ``MAX_ATTEMPTS`` requests
that the bank answered as unavailable or that got no answer; and it may not ask more than
``MAX_SAME_REFUSAL`` times for what the bank refused with the same reason. What an answer
meant is read from its Evidence, never from status codes, so a core whose refusals are HTTP 200
is judged alike. Both are judged in wall seconds, the unit the connector was told
(docs/time.md): a connector that honours the header always passes, one that hammers always
fails, whatever the machine's load.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from typing import Any

from harness.evidence import Finding
from harness.oracles.context import Context

NAME = "retry-discipline"
TOLERANCE_SECONDS = 0.1
MAX_ATTEMPTS = 8
#: a refusal with a reason repeats identically: asking again more often is hammering
MAX_SAME_REFUSAL = 3
#: the outcomes that are a refusal: asking again gets the same answer
REFUSALS = ("refused", "invalid", "retired")


def check(ctx: Context) -> list[Finding]:
    findings = []
    for record in ctx.operations:
        exchanges = ctx.exchanges(record)
        for current, following in pairwise(exchanges):
            wait = ctx.evidence(current).retry_after
            if wait is None or current.get("wall_offset") is None:
                continue
            advertised = f"{wait:g}"
            gap = (following.get("wall_offset") or 0.0) - current["wall_offset"]
            if gap + TOLERANCE_SECONDS < wait:
                findings.append(Finding(
                    NAME, f"{record.step}: retried before the advertised Retry-After",
                    step=record.step,
                    expected=f"next request at least {advertised}s after #{current['seq']}",
                    observed=f"next request #{following['seq']} came {max(gap, 0):.2f}s later",
                    journal=[current["seq"], following["seq"]],
                ))
                break
        troubled = [e for e in exchanges
                    if ctx.evidence(e).outcome in ("none", "unavailable")]
        if len(troubled) > MAX_ATTEMPTS:
            findings.append(Finding(
                NAME, f"{record.step}: {len(troubled)} attempts against an unavailable bank",
                step=record.step, expected=f"at most {MAX_ATTEMPTS} attempts, backing off",
                observed=f"{len(troubled)} requests answered 5xx or dropped",
                journal=[e["seq"] for e in troubled[:3] + troubled[-2:]],
            ))
        refusals = Counter(_refusal(ctx, e) for e in exchanges
                           if ctx.evidence(e).outcome in REFUSALS)
        for (operation_id, status, reason), count in sorted(
                refusals.items(), key=lambda kv: str(kv[0])):
            if count > MAX_SAME_REFUSAL:
                same = [e["seq"] for e in exchanges
                        if ctx.evidence(e).outcome in REFUSALS
                        and _refusal(ctx, e) == (operation_id, status, reason)]
                findings.append(Finding(
                    NAME, f"{record.step}: asked {count} times for what the bank refused "
                    f"({status} {reason})", step=record.step,
                    expected=f"at most {MAX_SAME_REFUSAL} identical refusals: a refusal with a "
                    "reason does not change by asking again",
                    observed=f"{count} x {operation_id} answered {status} {reason}",
                    journal=same[:3] + same[-2:],
                ))
    return findings


def _refusal(ctx: Context, entry: dict[str, Any]) -> tuple[Any, Any, str | None]:
    """What makes two refusals the same: the operation, the status quoted (the journal's) and
    the reason."""
    return entry.get("operation_id"), entry.get("status"), ctx.evidence(entry).reason
