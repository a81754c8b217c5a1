"""The reference connector image against the fake bank image: the in-process verdicts, exactly.

The v2 certification profile (scenarios/profiles/v2.yaml, MUST and SHOULD) runs twice: in
process (python driver, LocalBank) and fully containerised (the container driver, the bank in a
container driven through its control API). Vendors certify images the second way, so it must
judge exactly like the first.
"""

from __future__ import annotations

import pytest

from harness.certify.profiles import load_profile, resolve_profile
from harness.drivers import driver_factory
from harness.engine.containers import FakeCoreBankContainer
from harness.engine.runner import RunOptions
from harness.engine.session import plan, run_plan
from harness.paths import scenarios_root
from harness.scenarios.library import load_library

pytestmark = [pytest.mark.docker, pytest.mark.slow]

OPTIONS = RunOptions(seed=7)
JOBS = 2  # two banks (two containers) side by side, as `drawbridge certify --jobs 2` would


def verdicts(results):
    return [(r.scenario_id, r.version, r.verdict, sorted(f.oracle for f in r.findings))
            for r in results]


@pytest.fixture(scope="module")
def items():
    library = load_library([scenarios_root()])
    profile = load_profile(resolve_profile("v2"), library)
    chosen = set(profile.must) | set(profile.should)
    return plan([s for s in library if s.id in chosen], (profile.version,))


@pytest.fixture(scope="module")
def in_process(items):
    make, identity = driver_factory("python:examples.connectors.reference_py:ReferenceConnector")
    results, interrupted = run_plan(items, make, identity, OPTIONS, jobs=JOBS)
    assert not interrupted
    return results


def test_the_image_against_the_bank_container_gives_the_in_process_verdicts(
        items, in_process, bank_image, connector_image):
    make, identity = driver_factory(f"container:{connector_image}")
    results, interrupted = run_plan(
        items, make, identity, OPTIONS, jobs=JOBS,
        bank_factory=lambda: FakeCoreBankContainer(bank_image).start())
    assert not interrupted
    assert [r.error for r in results if r.error] == []
    assert verdicts(results) == verdicts(in_process)
    assert len(results) == len(items) >= 20
    # What was judged is the same too: the operations' outcomes, step by step.
    assert [[(o.step, o.outcome.describe()) for o in r.operations] for r in results] == [
        [(o.step, o.outcome.describe()) for o in r.operations] for r in in_process]
