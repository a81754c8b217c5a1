"""long-outage-retry-after (issue 14): its 503s advertise a wait longer than a connector's default
one, and the three reference connectors (python, Node.js via command, the HTTP service) honour
it. The planted connector that waits its own default instead fails it
(test_planted_defects.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from engine_helpers import NODE, REFERENCE, explain, run

from harness import demo
from harness.evidence import RunResult

SCENARIO = ["long-outage-retry-after"]


@pytest.fixture(scope="module")
def reference_service() -> Iterator[str]:
    with demo.reference_service(ports=(0,)) as url:
        yield url


def _retry_afters(result: RunResult) -> list[str | None]:
    return [{k.lower(): v for k, v in e["response_headers"].items()}.get("retry-after")
            for e in result.journal if e.get("kind") == "exchange" and e.get("status") == 503]


@pytest.mark.parametrize("connector", ["python", "node", "http"])
def test_the_reference_connectors_wait_the_advertised_time(
        connector: str, request: pytest.FixtureRequest) -> None:
    if connector == "node" and shutil.which("node") is None:
        pytest.skip("needs Node.js 20+ on PATH")
    spec = {"python": REFERENCE, "node": NODE}.get(connector) or request.getfixturevalue(
        "reference_service")
    results = run(spec, ["v2", "v3"], SCENARIO)
    assert len(results) == 2
    assert all(r.passed for r in results), explain(results)
    # the window advertises more than the one second a connector falls back to
    assert all(_retry_afters(r) == ["2"] for r in results), [_retry_afters(r) for r in results]
