"""The good path: a full scenario loads with exact typed values, defaults and positions."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from fake_core_bank.errors import InputError
from harness.scenarios import (
    Event,
    FaultMatch,
    Money,
    Operation,
    Policy,
    SourceRef,
    StepExpect,
    load_scenario,
)

GOOD = Path(__file__).parent / "good"
CST = timezone(timedelta(hours=8))


def cst(*args: int) -> datetime:
    return datetime(*args, tzinfo=CST)


def test_full_example_has_exact_typed_values() -> None:
    s = load_scenario(GOOD / "full-example.yaml")
    assert (s.id, s.cause, s.versions, s.tags, s.seed) == (
        "lock-period-case-study",
        "line-state",
        ("v2", "v3"),
        ("case-study",),
        7,
    )
    assert s.title == "特殊业务锁定期阻止提款，解除后提款成功"
    g = s.given
    assert g.clock == cst(2026, 3, 2, 9, 0)
    assert g.serve == ("v2",)
    customer = g.customer("ENT000001")
    assert customer.credit_code == "91350100M000100Y43"
    assert (customer.region, customer.account_no) == ("330000", "6222020200112233445")
    line = g.line("CL000001")
    assert line.limit == Money(30_000_000, "CNY")
    assert line.used == Money(0, "CNY")
    assert line.available == Money(30_000_000, "CNY")
    assert (line.status, line.locked_until, line.expires_on) == ("ACTIVE", None, date(2027, 3, 1))
    (pre,) = line.preconditions
    assert (pre.code, pre.satisfied, pre.due_date) == (
        "SHAREHOLDER_GUARANTEE",
        False,
        date(2026, 3, 31),
    )
    assert g.policies[0] == Policy(
        id="zj-tighten-2026q1",
        region="330000",
        effective=cst(2026, 3, 5, 0, 0),
        max_drawdown=Money(10_000_000, "CNY"),
        require_purpose_code=True,
        allowed_purposes=("WC01", "EQ01"),
    )
    assert (g.bank.message_variants, g.bank.settle_after_polls, g.bank.time_scale) == (
        True,
        1,
        3600.0,
    )

    lock, first, unlock, second, poll = s.timeline
    assert isinstance(lock, Event) and lock.kind == "lock" and lock.name == "step-0"
    assert dict(lock.fields) == {
        "line": "CL000001",
        "until": cst(2026, 4, 1, 0, 0),
        "reason": "特殊业务锁定期",
    }
    assert lock.line == "CL000001"
    assert isinstance(first, Operation)
    assert (first.at, first.name, first.intent, first.amount, first.purpose) == (
        cst(2026, 3, 2, 10, 0),
        "first-attempt",
        "first-attempt",
        Money(5_000_000, "CNY"),
        "WC01",
    )
    assert first.expect == StepExpect(
        outcomes=("rejected",), reasons=("LINE_LOCKED",), locked_until=cst(2026, 4, 1, 0, 0)
    )
    assert unlock.at == cst(2026, 3, 3, 11, 0)
    assert isinstance(second, Operation)
    assert second.at == cst(2026, 3, 3, 12, 0)  # an absolute time between relative ones
    assert second.intent == "drawdown-march"
    assert second.expect is not None and second.expect.outcomes == ("succeeded", "pending")
    assert isinstance(poll, Operation)
    assert (poll.kind, poll.ref, poll.line, poll.name) == (
        "get-drawdown",
        "second-attempt",
        None,
        "step-4",
    )
    assert s.expect.disbursed == Money(5_000_000, "CNY")
    assert s.expect.skip_oracles == ("retry-discipline",)
    assert s.operations == (first, second, poll)
    assert s.events == (lock, unlock)
    assert s.step("second-attempt") is second


def test_every_element_points_at_its_source() -> None:
    s = load_scenario(GOOD / "full-example.yaml")
    path = s.source.path if s.source else ""
    assert path.endswith("tests/scenarios/good/full-example.yaml")
    assert s.given.lines[0].source == SourceRef(path, 20, 7)
    assert s.given.lines[0].preconditions[0].source == SourceRef(path, 27, 11)
    assert s.timeline[2].source == SourceRef(path, 58, 5)
    assert str(s.timeline[2].source) == f"{path}:58:5"


def test_defaults(tmp_path: Path) -> None:
    (tmp_path / "minimal.yaml").write_text(
        "format: drawbridge/scenario@1\nid: minimal\ntitle: t\ncause: fault\nversions: [v1]\n"
        "given:\n  clock: '2024-02-29T08:00:00Z'\n  customers: [{id: ENT000001}]\n"
        "  lines: [{id: CL000001, customer: ENT000001, limit: 1 USD}]\n"
        "timeline:\n  - {at: +0s, event: maintenance, duration: 2h}\n"
        "  - {at: +1m, event: fault, kind: latency, delay: 3s, match: {operation: getLine}}\n",
        encoding="utf-8",
    )
    s = load_scenario(tmp_path / "minimal.yaml")
    line = s.given.lines[0]
    assert (line.used, line.status, line.expires_on) == (
        Money(0, "USD"),
        "ACTIVE",
        date(2025, 2, 28),
    )
    assert s.given.serve is None and s.seed is None and s.description is None
    assert s.given.bank.settle_after_polls == 1 and s.given.bank.time_scale is None
    maintenance, fault = s.timeline
    assert isinstance(maintenance, Event) and isinstance(fault, Event)
    assert maintenance.fields == {"duration": timedelta(hours=2), "mode": "full"}
    assert fault.fields["match"] == FaultMatch(operation="getLine")
    assert (fault.fields["times"], fault.fields["status"], fault.fields["delay"]) == (
        1,
        None,
        timedelta(seconds=3),
    )
    assert s.expect.disbursed is None and s.expect.skip_oracles == ()


def test_include_merges_given_by_id_and_keeps_positions() -> None:
    s = load_scenario(GOOD / "with-include.yaml")
    g = s.given
    assert g.clock == cst(2026, 3, 2, 9, 0)  # from the fragment
    assert [line.id for line in g.lines] == ["CL000001", "CL000002", "CL000003"]
    assert g.line("CL000001").status == "FROZEN"  # replaced by the including file
    assert g.line("CL000001").used == Money(10_000_000, "CNY")
    assert g.line("CL000002").limit == Money(5_000_000, "CNY")  # kept from the fragment
    assert (g.bank.message_variants, g.bank.settle_after_polls) == (False, 2)  # key by key
    base = g.line("CL000002").source
    assert base is not None and base.path.endswith("good/common/base.yaml") and base.line == 12
    top = g.line("CL000001").source
    assert top is not None and top.path.endswith("good/with-include.yaml")


def test_policy_event_and_fault_fields_are_typed() -> None:
    s = load_scenario(GOOD / "with-include.yaml")
    policy = s.step("step-4")
    assert isinstance(policy, Event)
    assert policy.fields["policy"].max_drawdown == Money(10_000, "CNY")
    assert policy.fields["policy"].region == "*"
    fault = s.step("step-3")
    assert isinstance(fault, Event)
    assert fault.fields["status"] == 500  # the default for error faults
    assert fault.fields["match"] == FaultMatch(
        operation="createDrawdown", method="POST", line="CL000002"
    )
    rolling = s.step("step-6")
    assert isinstance(rolling, Event) and rolling.fields["share"] == 0.5


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nowhere\.yaml: file not found; fix: check the path"):
        load_scenario(tmp_path / "nowhere.yaml")


def test_scenario_is_hashable_and_equality_ignores_positions(tmp_path: Path) -> None:
    text = (GOOD / "full-example.yaml").read_text(encoding="utf-8")
    (tmp_path / "shifted.yaml").write_text("# a comment moves every line\n" + text, "utf-8")
    a, b = load_scenario(GOOD / "full-example.yaml"), load_scenario(tmp_path / "shifted.yaml")
    assert a == b and hash(a) == hash(b)
    assert a.given.lines[0].source != b.given.lines[0].source


def test_repository_scenarios_all_load() -> None:
    from harness.scenarios import load_library
    from harness.scenarios.library import scenario_files

    root = Path(__file__).resolve().parents[2] / "scenarios"
    if not [f for f in scenario_files(root)]:
        pytest.skip("no scenario files in scenarios/ yet")
    scenarios = load_library([root])
    assert len({s.id for s in scenarios}) == len(scenarios)


def test_the_documented_example_loads(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md").read_text("utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    example = "\n".join(line for line in example.splitlines() if not line.startswith("include:"))
    (tmp_path / "doc.yaml").write_text(example, encoding="utf-8")
    s = load_scenario(tmp_path / "doc.yaml")
    assert s.id == "lock-period-case-study"
    assert s.given.customers[0].credit_code == "91330100MA2B3C4D5N"
    assert s.expect.disbursed == Money(5_000_000, "CNY")
