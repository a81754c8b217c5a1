"""accepted-as-created is an equivalent mutant for the reference connectors (docs/mutation.md):
they decide on the drawdown's ``status`` in the body, as the contract says, and treat every 2xx
alike, so a 201 where the bank said 202 changes nothing they send or report. Shown here on the
v3 scenarios where the operator applies; the defect it stands for (an accepted drawdown
reported as paid) is caught by v3-async-drawdown (tests/engine/test_planted_defects.py,
SucceedsOnAccept)."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from examples.connectors.reference_py.connector import ReferenceConnector
from harness.drivers import driver_factory
from harness.engine.runner import RunOptions
from harness.engine.session import plan
from harness.evidence import RunResult
from harness.mutate.operators import CATALOGUE
from harness.mutate.pool import run_pairs
from harness.mutate.session import exchanges
from harness.paths import scenarios_root
from harness.scenarios.library import load_library
from tests.mutate.mutate_kit import NODE, REFERENCE

SCENARIOS = {"v3-async-drawdown", "frozen-before-settlement"}


class TrustsTheStatusCode(ReferenceConnector):
    """The defect the operator stands for: a 201 is final, so only a 202 is polled."""

    def _call(self, method: str, path: str, *, json: Any = None,
              key: str | None = None) -> Any:
        response = super()._call(method, path, json=json, key=key)
        if response.status_code == 201 and method == "POST" and path.endswith("/drawdowns"):
            response._content = response.content.replace(b'"PENDING"', b'"DISBURSED"')
        return response


def _connector_side(result: RunResult) -> list[Any]:
    """What the connector did: every request it sent, and every outcome it reported."""
    sent = [(e.method, e.path, e.request_body, e.request_headers.get("idempotency-key"))
            for e in exchanges(result)]
    told = [(op.step, op.outcome) for op in result.operations]
    return [sent, told]


def _clean_and_mutant(spec: str) -> list[tuple[RunResult, RunResult]]:
    items = plan([s for s in load_library([scenarios_root()]) if s.id in SCENARIOS], ("v3",))
    assert len(items) == len(SCENARIOS)
    make_driver, identity = driver_factory(spec)
    pairs = [(op, item) for item in items for op in (None, CATALOGUE["accepted-as-created"])]
    results = run_pairs(pairs, make_driver, identity, RunOptions(), jobs=1)
    return list(zip(results[::2], results[1::2], strict=True))


@pytest.mark.parametrize("spec", [REFERENCE, NODE], ids=["python", "node"])
def test_a_201_for_a_202_changes_nothing_the_reference_connectors_send_or_report(
        spec: str) -> None:
    if spec == NODE and shutil.which("node") is None:
        pytest.skip("needs Node.js 20+ on PATH")
    operator = CATALOGUE["accepted-as-created"]
    for clean, mutant in _clean_and_mutant(spec):
        assert operator.applicable(exchanges(clean)), f"{clean.key}: the bank answers 202"
        assert clean.passed and mutant.passed
        assert _connector_side(mutant) == _connector_side(clean), clean.key


def test_the_comparison_sees_a_connector_that_trusts_the_status_code() -> None:
    pairs = _clean_and_mutant(f"python:{__name__}:TrustsTheStatusCode")
    assert all(clean.passed for clean, _ in pairs), "a 202 is still polled"
    assert any(_connector_side(m) != _connector_side(c) for c, m in pairs)
    assert not all(mutant.passed for _, mutant in pairs), "reported paid before it settled"
