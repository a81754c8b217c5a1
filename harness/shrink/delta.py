"""Delta debugging over scenarios: the smallest scenario that still fails the same way.

The *units* of a scenario are its timeline steps, its customers, lines, policies and line
preconditions, each operation's ``expect`` and the scenario's ``expect.disbursed``. Removing a
unit removes what depends on it (a line takes its events and operations, a customer its lines,
a draw-down the get-drawdowns that look it up, a precondition the events that satisfy it); a
candidate that would not load (e.g. a ``remove-policy`` left without its policy, an empty
timeline) is skipped. ``fails(candidate)`` decides what "still fails" means -- the engine passes
"the same oracle still objects" (:mod:`harness.explore.judge`), so this module needs no engine.

The search is ddmin (Zeller and Hildebrandt): remove chunks of halving size while the failure
stays, then single units until none can go (1-minimal). Results are memoised by the candidate's
canonical text, so no scenario runs twice.

>>> small = shrink(scenario, lambda s: still_fails(s)).scenario            # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from fake_core_bank.errors import InputError
from harness.scenarios import dump_scenario
from harness.scenarios.loader import reload_scenario
from harness.scenarios.model import Event, FrozenMap, Operation, Scenario, Step

Unit = tuple[str, ...]
Predicate = Callable[[Scenario], bool]


def units(scenario: Scenario) -> list[Unit]:
    """Everything that could go, in a stable order (timeline first: most often irrelevant)."""
    found: list[Unit] = [("step", s.name) for s in scenario.timeline]
    found += [("expect", s.name) for s in scenario.operations if s.expect is not None]
    found += [("policy", p.id) for p in scenario.given.policies]
    found += [("precondition", ln.id, p.code) for ln in scenario.given.lines
              for p in ln.preconditions]
    found += [("line", ln.id) for ln in scenario.given.lines]
    found += [("customer", c.id) for c in scenario.given.customers]
    if scenario.expect.disbursed is not None:
        found.append(("disbursed",))
    return found


def _step_lines(step: Step) -> set[str]:
    if isinstance(step, Operation):
        return {step.line} if step.line else set()
    assert isinstance(step, Event)
    lines = {step.line} if step.line else set()
    match = step.fields.get("match")
    if match is not None and getattr(match, "line", None):
        lines.add(match.line)
    return lines


def without(scenario: Scenario, removed: set[Unit]) -> Scenario | None:
    """``scenario`` minus ``removed`` and what depends on it; None when that would not load."""
    given = scenario.given
    customers = tuple(c for c in given.customers if ("customer", c.id) not in removed)
    kept_customers = {c.id for c in customers}
    lines = tuple(
        replace(ln, preconditions=tuple(p for p in ln.preconditions
                                        if ("precondition", ln.id, p.code) not in removed))
        for ln in given.lines
        if ("line", ln.id) not in removed and ln.customer in kept_customers)
    kept_lines = {ln.id for ln in lines}
    kept_conditions = {(ln.id, p.code) for ln in lines for p in ln.preconditions}
    policies = tuple(p for p in given.policies if ("policy", p.id) not in removed)
    timeline: list[Step] = []
    kept_steps: set[str] = set()
    for step in scenario.timeline:
        if ("step", step.name) in removed or not _step_lines(step) <= kept_lines:
            continue
        if isinstance(step, Operation) and step.ref is not None and step.ref not in kept_steps:
            continue
        if isinstance(step, Event) and step.kind == "satisfy-precondition" \
                and (step.fields["line"], step.fields["code"]) not in kept_conditions:
            continue
        if isinstance(step, Operation) and ("expect", step.name) in removed:
            step = replace(step, expect=None)
        timeline.append(step)
        kept_steps.add(step.name)
    expect = scenario.expect
    if ("disbursed",) in removed:
        expect = replace(expect, disbursed=None, disbursed_by_version=FrozenMap())
    candidate = replace(scenario, given=replace(given, customers=customers, lines=lines,
                                                policies=policies),
                        timeline=tuple(timeline), expect=expect)
    try:
        return reload_scenario(candidate, f"<shrinking {scenario.id}>")
    except InputError:
        return None


@dataclass
class ShrinkResult:
    scenario: Scenario
    runs: int  # how many candidates were run
    removed: list[Unit]


def shrink(scenario: Scenario, fails: Predicate, *, max_runs: int = 400) -> ShrinkResult:
    """The smallest variant of ``scenario`` for which ``fails`` still holds (1-minimal in the
    units, within ``max_runs`` evaluations). ``fails(scenario)`` itself is assumed true."""
    memo: dict[str, bool] = {}
    runs = 0

    def test(removed: set[Unit]) -> bool:
        nonlocal runs
        candidate = without(scenario, removed)
        if candidate is None:
            return False
        key = dump_scenario(candidate)
        if key not in memo:
            if runs >= max_runs:
                return False
            runs += 1
            memo[key] = fails(candidate)
        return memo[key]

    removed: set[Unit] = set()
    remaining = units(scenario)
    chunks = 2
    while len(remaining) >= 2:
        size = max(1, len(remaining) // chunks)
        parts = [remaining[i:i + size] for i in range(0, len(remaining), size)]
        for part in parts:
            if test(removed | set(part)):
                removed |= set(part)
                remaining = [u for u in remaining if u not in part]
                chunks = max(chunks - 1, 2)
                break
        else:
            if size == 1:
                break
            chunks = min(chunks * 2, len(remaining))
    for unit in list(remaining):  # the last single unit (and a 1-minimality sweep)
        if test(removed | {unit}):
            removed.add(unit)
    final = without(scenario, removed)
    assert final is not None  # every kept removal was tested loadable
    return ShrinkResult(final, runs, sorted(removed, key=_order(units(scenario))))


def _order(all_units: Sequence[Unit]) -> Callable[[Unit], int]:
    index = {u: i for i, u in enumerate(all_units)}
    return lambda u: index.get(u, len(index))
