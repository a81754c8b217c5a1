"""Hypothesis strategies for random scenarios, valid by construction.

A scenario is one or two enterprises with a line each, maybe a regional policy, and a timeline
of bank events (upgrade, maintenance, freeze/unfreeze, lock/unlock, policy change, faults,
external drawdowns, clock advances) interleaved with connector operations (get-line, draw-down,
get-drawdown of an earlier draw-down, activate, repay), at increasing virtual times. Every
reference points at something that exists; lock ends lie after their step. No expectations are
written: the invariant oracles (no double disbursement, within limit, retry discipline, reason
propagation, ...) judge the run. Maintenance windows are short and rare, since each costs the
connector a wall-clock Retry-After.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from fake_core_bank import cores
from fake_core_bank.domain.bank import BANK_TZ
from harness.scenarios.model import (
    Customer,
    Event,
    FaultMatch,
    FrozenMap,
    Given,
    Line,
    Money,
    Operation,
    Policy,
    Scenario,
    Step,
)

CLOCK = datetime(2026, 3, 2, 9, 0, tzinfo=BANK_TZ)
EXPIRES = CLOCK.date().replace(year=CLOCK.year + 1)
STATUSES = ("ACTIVE",) * 6 + ("FROZEN", "PENDING_ACTIVATION")


def _yuan(low: int, high: int) -> st.SearchStrategy[Money]:
    """Whole-yuan CNY amounts (minor units are fen)."""
    return st.integers(low, high).map(lambda y: Money(y * 100, "CNY"))


@st.composite
def scenarios(draw: Any, version: str, *, max_steps: int = 6) -> Scenario:
    """A random scenario for a connector at ``version``."""
    count = draw(st.integers(1, 2))
    customers = tuple(Customer(id=f"ENT{n:06d}", region="330100") for n in range(1, count + 1))
    lines = tuple(
        Line(id=f"CL{n:06d}", customer=f"ENT{n:06d}", limit=draw(_yuan(50_000, 300_000)),
             used=Money(0, "CNY"), status=draw(st.sampled_from(STATUSES)), expires_on=EXPIRES)
        for n in range(1, count + 1))
    line_ids = [ln.id for ln in lines]
    policies: tuple[Policy, ...] = ()
    if draw(st.booleans()):
        policies = (Policy(id="regional", region="330000", effective=CLOCK,
                           max_drawdown=draw(_yuan(10_000, 200_000))),)
    model = cores.active()
    later = list(model.versions[model.version_key(version) + 1:])
    at = CLOCK
    steps: list[Step] = []
    drawdowns: list[str] = []
    armed: FaultMatch | None = None  # a fault just armed: the next operation meets it
    total = draw(st.integers(1, max_steps))
    index = -1
    while index + 1 < total or armed is not None:  # an armed fault always meets its operation
        index += 1
        if armed is None:
            at = at + timedelta(minutes=draw(st.integers(0, 90)))
        name = f"s{index}"
        if armed is None and draw(st.integers(0, 99)) < 40:
            event = draw(_event(line_ids, later, at))
            if event is not None:
                kind, fields = event
                steps.append(Event(at=at, index=index, name=name, kind=kind,
                                   fields=FrozenMap(fields)))
                armed = fields["match"] if kind == "fault" else None
                continue
        if armed is not None:
            op = cores.active().operation_of(armed.operation or "") or "get-line"
            line = armed.line or line_ids[0]
            armed = None
        else:
            op = draw(st.sampled_from(("get-line", "draw-down", "draw-down", "draw-down",
                                       "get-drawdown", "activate", "repay")))
            line = draw(st.sampled_from(line_ids))
        if op == "get-drawdown" and not drawdowns:
            op = "draw-down"
        if op == "draw-down":
            # A shared intent now and then: the caller retrying one business intent.
            intent = draw(st.sampled_from([name, *drawdowns[-1:]])) if drawdowns else name
            steps.append(Operation(at=at, index=index, name=name, kind=op, line=line,
                                   amount=draw(_yuan(1_000, 120_000)),
                                   purpose=draw(st.sampled_from(("WC01", "EQ01", None))),
                                   intent=intent))
            drawdowns.append(name)
        elif op == "get-drawdown":
            steps.append(Operation(at=at, index=index, name=name, kind=op,
                                   ref=draw(st.sampled_from(drawdowns)), intent=name))
        elif op == "repay":
            steps.append(Operation(at=at, index=index, name=name, kind=op, line=line,
                                   amount=draw(_yuan(100, 10_000)), intent=name))
        else:
            steps.append(Operation(at=at, index=index, name=name, kind=op, line=line,
                                   intent=name))
    return Scenario(id="explore", title="random timeline", cause="fault", versions=(version,),
                    given=Given(clock=CLOCK, customers=customers, lines=lines,
                                policies=policies),
                    timeline=tuple(steps))


@st.composite
def _event(draw: Any, lines: list[str], later: list[str],
           at: datetime) -> tuple[str, dict[str, Any]] | None:
    kind = draw(st.sampled_from(("fault", "fault", "fault", "freeze", "unfreeze", "lock",
                                 "unlock", "policy", "external-drawdown", "advance",
                                 "maintenance", "upgrade")))
    line = draw(st.sampled_from(lines))
    if kind == "fault":
        ops = cores.active().operations
        if "draw-down" not in ops or "get-line" not in ops:
            return None  # the core names no operations: faults cannot be aimed
        # three in four aimed at drawdowns, where a lost answer costs money
        operation = draw(st.sampled_from((ops["draw-down"],) * 3 + (ops["get-line"],)))
        fault = draw(st.sampled_from(("lost-response", "lost-response", "drop", "error")))
        return "fault", {"kind": fault, "match": FaultMatch(operation=operation, line=line),
                         "times": draw(st.integers(1, 2)),
                         "status": 500 if fault == "error" else None, "delay": None}
    if kind in ("freeze", "unfreeze", "unlock"):
        return kind, {"line": line}
    if kind == "lock":
        return kind, {"line": line, "until": at + timedelta(days=draw(st.integers(1, 30))),
                      "reason": None}
    if kind == "policy":
        return kind, {"policy": Policy(
            id="regional", region="330000", effective=at,
            max_drawdown=draw(_yuan(10_000, 200_000)),
            require_purpose_code=draw(st.booleans()))}
    if kind == "external-drawdown":
        return kind, {"line": line, "amount": draw(_yuan(1_000, 50_000))}
    if kind == "advance":
        return kind, {"by": timedelta(hours=draw(st.integers(1, 48)))}
    if kind == "maintenance":
        return kind, {"duration": timedelta(minutes=draw(st.sampled_from((10, 30)))),
                      "mode": draw(st.sampled_from(("full", "read-only")))}
    if kind == "upgrade" and later:
        return kind, {"to": draw(st.sampled_from(later)), "retire": None, "deprecate": None,
                      "sunset": None}
    return None
