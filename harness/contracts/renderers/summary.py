"""Counts shared by every report format."""

from __future__ import annotations

from collections.abc import Sequence

from harness.contracts.model import Change, Severity


def counts(changes: Sequence[Change]) -> dict[str, int]:
    """Changes per severity label, every label present (zero included)."""
    result = {severity.label: 0 for severity in Severity}
    for change in changes:
        result[change.severity.label] += 1
    return result


def headline(changes: Sequence[Change]) -> str:
    """``3 breaking, 1 potentially-breaking, 2 safe`` or ``no changes``."""
    if not changes:
        return "no changes"
    return ", ".join(f"{n} {label}" for label, n in counts(changes).items())
