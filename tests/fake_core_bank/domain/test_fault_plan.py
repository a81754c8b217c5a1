"""Faults are matched by operation, method and line, and consumed ``times`` times."""

from __future__ import annotations

import pytest

from fake_core_bank.domain.faults import Fault, FaultPlan


def test_a_fault_is_consumed_exactly_times_times():
    plan = FaultPlan()
    plan.add(Fault("1", "drop", operation_id="createDrawdown", times=2))
    taken = [plan.take("createDrawdown", "POST", "CL000001") for _ in range(4)]
    assert [f is not None for f in taken] == [True, True, False, False]
    assert plan.faults[0].applied == 2


def test_a_fault_matches_only_its_operation_method_and_line():
    plan = FaultPlan()
    plan.add(Fault("1", "error", operation_id="createDrawdown", method="post", line="CL000002"))
    assert plan.take("getCreditLine", "GET", "CL000002") is None
    assert plan.take("createDrawdown", "POST", "CL000001") is None
    fault = plan.take("createDrawdown", "POST", "CL000002")
    assert fault is not None and fault.describe() == "error#1"


def test_faults_apply_in_the_order_they_were_added_and_clear_removes_them():
    plan = FaultPlan()
    plan.add(Fault("1", "latency", times=1))
    plan.add(Fault("2", "drop", times=1))
    assert [plan.take(None, "GET", None).fault_id for _ in range(2)] == ["1", "2"]
    plan.add(Fault("3", "drop"))
    plan.clear()
    assert plan.take(None, "GET", None) is None


def test_an_unknown_fault_kind_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown fault kind 'explode'; valid: latency, drop"):
        FaultPlan().add(Fault("1", "explode"))
