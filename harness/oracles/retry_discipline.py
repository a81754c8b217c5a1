"""Retries honour Retry-After and stay bounded.

Each exchange carries the wall seconds since its operation began. After an answer with
``Retry-After: N`` the connector's next request must come at least N seconds later (less a
small tolerance for timer granularity); and an operation may not send more than
``MAX_ATTEMPTS`` requests that the bank refused as unavailable or that failed. Both are judged
in wall seconds, the unit the connector was told (docs/time.md): a connector that honours the
header always passes, one that hammers always fails, whatever the machine's load.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from harness.evidence import Finding
from harness.oracles.context import Context

NAME = "retry-discipline"
TOLERANCE_SECONDS = 0.1
MAX_ATTEMPTS = 8
#: a refusal (4xx) with a reason repeats identically: asking again more often is hammering
MAX_SAME_REFUSAL = 3


def check(ctx: Context) -> list[Finding]:
    findings = []
    for record in ctx.operations:
        exchanges = ctx.exchanges(record)
        for current, following in pairwise(exchanges):
            advertised = (current.get("response_headers") or {}).get("retry-after")
            if advertised is None or current.get("wall_offset") is None:
                continue
            gap = (following.get("wall_offset") or 0.0) - current["wall_offset"]
            if gap + TOLERANCE_SECONDS < float(advertised):
                findings.append(Finding(
                    NAME, f"{record.step}: retried before the advertised Retry-After",
                    step=record.step,
                    expected=f"next request at least {advertised}s after #{current['seq']}",
                    observed=f"next request #{following['seq']} came {max(gap, 0):.2f}s later",
                    journal=[current["seq"], following["seq"]],
                ))
                break
        troubled = [e for e in exchanges
                    if e.get("status") is None or (e.get("status") or 0) >= 500]
        if len(troubled) > MAX_ATTEMPTS:
            findings.append(Finding(
                NAME, f"{record.step}: {len(troubled)} attempts against an unavailable bank",
                step=record.step, expected=f"at most {MAX_ATTEMPTS} attempts, backing off",
                observed=f"{len(troubled)} requests answered 5xx or dropped",
                journal=[e["seq"] for e in troubled[:3] + troubled[-2:]],
            ))
        refusals = Counter((e.get("operation_id"), e.get("status"), e.get("reason"))
                           for e in exchanges if 400 <= (e.get("status") or 0) < 500)
        for (operation_id, status, reason), count in sorted(
                refusals.items(), key=lambda kv: str(kv[0])):
            if count > MAX_SAME_REFUSAL:
                same = [e["seq"] for e in exchanges
                        if (e.get("operation_id"), e.get("status"), e.get("reason"))
                        == (operation_id, status, reason)]
                findings.append(Finding(
                    NAME, f"{record.step}: asked {count} times for what the bank refused "
                    f"({status} {reason})", step=record.step,
                    expected=f"at most {MAX_SAME_REFUSAL} identical refusals: a refusal with a "
                    "reason does not change by asking again",
                    observed=f"{count} x {operation_id} answered {status} {reason}",
                    journal=same[:3] + same[-2:],
                ))
    return findings
