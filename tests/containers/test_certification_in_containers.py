"""The reference connector image against the fake bank image: the in-process verdicts, exactly.

A certification-like cut of the library (one or two scenarios per cause, v2 and v3) runs twice:
in process (python driver, LocalBank) and fully containerised (container driver, the bank in a
container driven through its control API). Vendors certify images with the second form, so it
must judge exactly like the first.
"""

from __future__ import annotations

import pytest

from harness.drivers import driver_factory
from harness.engine.containers import FakeCoreBankContainer
from harness.engine.runner import RunOptions
from harness.engine.session import plan, run_plan
from harness.paths import scenarios_root
from harness.scenarios.library import load_library

pytestmark = [pytest.mark.docker, pytest.mark.slow]

#: One or two per cause of the article, plus faults: fast ones (seconds of wall time each).
SCENARIOS = (
    "lock-period-case-study",        # line state: the case study's lock period
    "frozen-line",                   # line state
    "shareholder-guarantee",         # business rule attached to the line
    "purpose-code-required",         # policy
    "full-outage-retry-after",       # maintenance window, Retry-After honoured
    "lost-response-after-commit",    # fault: no double disbursement
    "rolling-upgrade-v2-v3",         # integration: mixed fleet
)
OPTIONS = RunOptions(seed=7)


def verdicts(results):
    return [(r.scenario_id, r.version, r.verdict, sorted(f.oracle for f in r.findings))
            for r in results]


@pytest.fixture(scope="module")
def items():
    library = [s for s in load_library([scenarios_root()]) if s.id in SCENARIOS]
    assert sorted(s.id for s in library) == sorted(SCENARIOS)
    return plan(library, ("v2", "v3"))


@pytest.fixture(scope="module")
def in_process(items):
    make, identity = driver_factory("python:examples.connectors.reference_py:ReferenceConnector")
    results, interrupted = run_plan(items, make, identity, OPTIONS)
    assert not interrupted
    return results


def test_the_image_against_the_bank_container_gives_the_in_process_verdicts(
        items, in_process, bank_image, connector_image):
    make, identity = driver_factory(f"container:{connector_image}")
    results, interrupted = run_plan(
        items, make, identity, OPTIONS,
        bank_factory=lambda: FakeCoreBankContainer(bank_image).start())
    assert not interrupted
    assert [r.error for r in results if r.error] == []
    assert verdicts(results) == verdicts(in_process)
    assert len(results) == len(items) >= 10
    # What was judged is the same too: the operations' outcomes, step by step.
    assert [[(o.step, o.outcome.describe()) for o in r.operations] for r in results] == [
        [(o.step, o.outcome.describe()) for o in r.operations] for r in in_process]
