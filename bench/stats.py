"""Medians and ranges of repeated measurements."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: Sequence[float], fmt: str = "{:,.0f}") -> str:
    """``median (min-max)``, or the single value, or a dash when there is none."""
    if not values:
        return "-"
    if len(values) == 1:
        return fmt.format(values[0])
    return (f"{fmt.format(median(values))} ({fmt.format(min(values))}"
            f"-{fmt.format(max(values))})")
