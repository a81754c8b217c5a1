"""Which of a scenario's expectations hold for the contract version the connector used.

A scenario's expectations are written for a connector speaking a version: v3's asynchronous
settlement makes a drawdown ``pending`` that v2 books at once. The engine learns from the
journal which version the connector actually addressed for each operation and asks here what
to judge it by (docs/scenario-format.md, "Expectations per version"):

1. ``expect.byVersion.<used>`` when the scenario states one for that version;
2. otherwise the default expectation, unless the scenario's ``assumes`` leaves the used version
   out: then the expectation is not judged, and the record says why;
3. when the connector sent nothing (``used`` None), the default.

The core's version alone never decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from harness.scenarios.model import Money, Scenario, StepExpect

__all__ = ["Chosen", "disbursed_for", "step_expect_for"]


@dataclass(frozen=True)
class Chosen:
    """An expectation chosen for a version, and why (None: the default applied as written)."""

    expect: StepExpect | None
    basis: str | None = None


def _outside(scenario: Scenario, used: str) -> str | None:
    if scenario.assumes is None or used in scenario.assumes:
        return None
    return (f"not judged: the expectations assume a connector speaking "
            f"{', '.join(scenario.assumes)}; it used {used}")


def step_expect_for(scenario: Scenario, expect: StepExpect | None,
                    used: str | None) -> Chosen:
    """The expectation an operation is judged by when the connector used ``used``."""
    if expect is None or used is None:
        return Chosen(expect)
    if used in expect.by_version:
        chosen: StepExpect = expect.by_version[used]
        return Chosen(chosen, f"byVersion {used}")
    skipped = _outside(scenario, used)
    if skipped is not None:
        return Chosen(None, skipped)
    return Chosen(expect)


def disbursed_for(scenario: Scenario, used: Iterable[str]) -> tuple[Money | None, str | None]:
    """The total the ledger must hold when the draw-downs used the versions ``used``.

    One version with a ``byVersion`` total takes that total; a version outside ``assumes``
    (without one) leaves the total unjudged; anything else, the default ``disbursed``.
    """
    expect = scenario.expect
    versions = sorted(set(used))
    if len(versions) == 1 and versions[0] in expect.disbursed_by_version:
        total: Money = expect.disbursed_by_version[versions[0]]
        return total, f"byVersion {versions[0]}"
    for version in versions:
        skipped = _outside(scenario, version)
        if skipped is not None and expect.disbursed is not None:
            return None, skipped
    return expect.disbursed, None
