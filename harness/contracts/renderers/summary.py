"""Counts shared by every report format: findings (one per cause) per severity."""

from __future__ import annotations

from collections.abc import Sequence

from harness.contracts.grouping import group
from harness.contracts.model import Change, Severity


def counts(changes: Sequence[Change]) -> dict[str, int]:
    """Findings per severity label, every label present (zero included)."""
    result = {severity.label: 0 for severity in Severity}
    for finding in group(changes):
        result[finding.first.severity.label] += 1
    return result


def headline(changes: Sequence[Change]) -> str:
    """``3 breaking, 1 potentially-breaking, 2 safe`` or ``no changes``; when one cause
    reaches several places, how many places: ``... (at 40 places)``."""
    if not changes:
        return "no changes"
    text = ", ".join(f"{n} {label}" for label, n in counts(changes).items())
    findings = len(group(changes))
    return text if findings == len(changes) else f"{text} (at {len(changes)} places)"
