"""dump_scenario writes canonical YAML that loads back to an equal scenario."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_core_bank import cores
from harness.scenarios import (
    BankKnobs,
    Customer,
    Event,
    FrozenMap,
    Given,
    Line,
    Money,
    Operation,
    Scenario,
    ScenarioExpect,
    Step,
    StepExpect,
    dump_scenario,
    load_scenario,
)
from harness.scenarios import vocabulary as v
from harness.scenarios.creditcode import generate

GOOD = Path(__file__).parent / "good"


def reload(scenario: Scenario, directory: Path) -> Scenario:
    path = directory / "dumped.yaml"
    path.write_text(dump_scenario(scenario), encoding="utf-8")
    return load_scenario(path)


def test_examples_round_trip(tmp_path: Path) -> None:
    for name in ("full-example.yaml", "with-include.yaml"):
        original = load_scenario(GOOD / name)
        again = reload(original, tmp_path)
        assert again == original
        assert dump_scenario(again) == dump_scenario(original)  # canonical: a fixed point


def test_dump_is_canonical_text(tmp_path: Path) -> None:
    text = dump_scenario(load_scenario(GOOD / "full-example.yaml"))
    assert text.startswith("format: drawbridge/scenario@1\nid: lock-period-case-study\n")
    assert "limit: 300000.00 CNY\n" in text
    assert "clock: '2026-03-02T09:00:00+08:00'\n" in text
    assert "- at: +1d3h\n  do: draw-down\n  name: second-attempt\n" in text
    assert "include:" not in text


# -- generated scenarios -----------------------------------------------------------------
OFFSETS = [timezone(timedelta(hours=h)) for h in (8, 0, -5)]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    clock = draw(
        st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31))
    ).replace(microsecond=0, tzinfo=draw(st.sampled_from(OFFSETS)))
    currency = draw(st.sampled_from(sorted(v.CURRENCIES)))
    region = draw(st.sampled_from(["330000", "110105", "440300"]))
    customers = tuple(
        Customer(
            id=f"ENT00000{i}",
            name=draw(
                st.none() | st.text("某轻工业制造有限公司 abc-'\"#:", min_size=1, max_size=12)
            ),
            credit_code=draw(st.none() | st.just(generate(random.Random(i), region))),
            region=draw(st.none() | st.just(region)),
        )
        for i in range(1, draw(st.integers(1, 2)) + 1)
    )
    lines = []
    for i in range(1, draw(st.integers(1, 3)) + 1):
        limit = draw(st.integers(0, 10**17 - 1))
        status = draw(st.sampled_from(v.LINE_STATUSES))
        lines.append(
            Line(
                id=f"CL00000{i}",
                customer=draw(st.sampled_from([c.id for c in customers])),
                limit=Money(limit, currency),
                used=Money(draw(st.integers(0, limit)), currency),
                status=status,
                locked_until=(
                    clock + timedelta(days=draw(st.integers(1, 90))) if status == "LOCKED" else None
                ),
                expires_on=draw(st.dates(date(2020, 1, 1), date(2035, 1, 1))),
            )
        )
    line_ids = [line.id for line in lines]
    steps: list[Step] = []
    at = clock
    draws: list[str] = []
    for index in range(draw(st.integers(1, 6))):
        at += timedelta(seconds=draw(st.integers(0, 3 * 86400)))
        name = f"s{index}"
        choice = draw(st.sampled_from(["freeze", "lock", "advance", "draw", "get", "poll"]))
        if choice == "poll" and not draws:
            choice = "get"
        if choice in ("freeze", "lock", "advance"):
            fields: dict[str, object] = {
                "freeze": {"line": draw(st.sampled_from(line_ids))},
                "lock": {
                    "line": draw(st.sampled_from(line_ids)),
                    "until": at + timedelta(hours=draw(st.integers(1, 500))),
                    "reason": draw(st.none() | st.just("特殊业务锁定期")),
                },
                "advance": {"by": timedelta(minutes=draw(st.integers(1, 10**5)))},
            }[choice]
            steps.append(
                Event(at=at, index=index, name=name, kind=choice, fields=FrozenMap(fields))
            )
        elif choice == "draw":
            draws.append(name)
            outcomes = tuple(draw(st.lists(st.sampled_from(v.OUTCOMES), max_size=2, unique=True)))
            steps.append(
                Operation(
                    at=at,
                    index=index,
                    name=name,
                    kind="draw-down",
                    line=draw(st.sampled_from(line_ids)),
                    amount=Money(draw(st.integers(0, 10**12)), currency),
                    purpose=draw(st.none() | st.just("WC01")),
                    intent=draw(st.sampled_from([name, "intent-a"])),
                    expect=draw(
                        st.none()
                        | st.just(
                            StepExpect(
                                outcomes=outcomes,
                                reasons=("LINE_LOCKED",) if "rejected" in outcomes else (),
                            )
                        )
                    ),
                )
            )
        elif choice == "poll":
            ref = draw(st.sampled_from(draws))
            steps.append(
                Operation(at=at, index=index, name=name, kind="get-drawdown", ref=ref, intent=name)
            )
        else:
            line = draw(st.sampled_from(line_ids))
            steps.append(
                Operation(at=at, index=index, name=name, kind="get-line", line=line, intent=name)
            )
    return Scenario(
        id=draw(st.from_regex(r"[a-z0-9][a-z0-9-]{2,20}", fullmatch=True)),
        title=draw(st.text(min_size=1, max_size=20).filter(lambda t: t.strip() == t and t)),
        cause=draw(st.sampled_from(v.CAUSES)),
        versions=tuple(draw(st.lists(st.sampled_from(cores.active().versions), min_size=1,
                                     unique=True))),
        description=draw(st.none() | st.text(max_size=30)),
        seed=draw(st.none() | st.integers(0, 2**40)),
        given=Given(
            clock=clock,
            serve=draw(st.none() | st.just(("v2",))),
            customers=customers,
            lines=tuple(lines),
            bank=BankKnobs(
                message_variants=draw(st.booleans()),
                settle_after_polls=draw(st.integers(0, 5)),
                time_scale=draw(st.none() | st.floats(0.5, 10**6)),
            ),
        ),
        timeline=tuple(steps),
        expect=ScenarioExpect(
            disbursed=draw(st.none() | st.just(Money(0, currency))),
            skip_oracles=tuple(draw(st.lists(st.sampled_from(v.ORACLES), unique=True))),
        ),
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scenarios())
def test_generated_scenarios_round_trip(tmp_path: Path, scenario: Scenario) -> None:
    assert reload(scenario, tmp_path) == scenario


def test_text_with_yaml_line_breaks_survives(tmp_path: Path) -> None:
    # Found by hypothesis: YAML folds NEL (\x85) and LS/PS in plain scalars into line breaks.
    original = load_scenario(GOOD / "full-example.yaml")
    tricky = dataclasses.replace(original, title="0\x850 \u2028a\tb\u2029 ：冒号: x")
    assert reload(tricky, tmp_path) == tricky
