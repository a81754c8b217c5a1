"""A finding in one line a person acts on: what went wrong, what was expected, what was observed.

Gate lines (certificate ``gate.reasons``), the results history's reasons, summary.md and the
JUnit failure messages all say a failure this way, so they read the same everywhere:

    >>> headline({"message": "lock: reason lost", "expected": "rejected LINE_LOCKED",
    ...           "observed": "rejected LINE_FROZEN"})
    'lock: reason lost: expected rejected LINE_LOCKED, observed rejected LINE_FROZEN'

"""

from __future__ import annotations

from typing import Any


def headline(finding: dict[str, Any]) -> str:
    """The message with expected and observed appended, unless the message already says both
    in those words (``expected-outcome``'s does)."""
    message = str(finding.get("message") or "")
    expected, observed = finding.get("expected"), finding.get("observed")
    if expected is None and observed is None:
        return message
    if f"expected {expected}" in message and f"observed {observed}" in message:
        return message
    parts = [f"expected {expected}"] * (expected is not None) + \
        [f"observed {observed}"] * (observed is not None)
    return f"{message}: {', '.join(parts)}"


def first_problem(result: dict[str, Any]) -> str:
    """What a failed or errored result's gate line says: its first finding, or its error."""
    findings = result.get("findings") or []
    if findings:
        return headline(findings[0])
    return str(result.get("error") or "no finding recorded")
