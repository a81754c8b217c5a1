"""The targets of issue 8 and their verdicts: met, not met, or not measured (and why)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    met: bool | None  # None: not measured
    why: str = ""

    @property
    def word(self) -> str:
        return {True: "**met**", False: "**not met**", None: "not measured"}[self.met]


def at_least(target: str, value: float | None, threshold: float, unit: str = "x",
             why: str = "") -> Verdict:
    if value is None:
        return Verdict(target, "-", None, why)
    return Verdict(target, f"{value:.2f}{unit}", value >= threshold, why)


def at_most(target: str, value: float | None, threshold: float, unit: str,
            why: str = "", fmt: str = "{:.2f}") -> Verdict:
    if value is None:
        return Verdict(target, "-", None, why)
    return Verdict(target, fmt.format(value) + unit, value <= threshold, why)
