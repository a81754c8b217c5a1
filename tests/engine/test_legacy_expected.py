"""The legacy v1 connector against a core at v2 fails exactly the set written down, and why.

``legacy_expected.yaml`` is the reviewed list of incompatibilities the library must surface for
a connector nobody updated since v1; a scenario added, removed or weakened shows up here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from engine_helpers import LEGACY, library, oracles_fired, run

EXPECTED_FILE = Path(__file__).with_name("legacy_expected.yaml")


def expected() -> dict[str, set[str]]:
    data = yaml.safe_load(EXPECTED_FILE.read_text(encoding="utf-8"))
    return {sid: set(entry["oracles"]) for sid, entry in data.items()}


def test_the_expected_set_names_real_v2_scenarios_and_explains_each() -> None:
    data = yaml.safe_load(EXPECTED_FILE.read_text(encoding="utf-8"))
    v2_ids = {s.id for s in library() if "v2" in s.versions}
    assert set(data) <= v2_ids, set(data) - v2_ids
    for sid, entry in data.items():
        assert entry["oracles"] and len(entry["why"]) > 40, sid


@pytest.mark.slow
def test_legacy_connector_at_v2_fails_exactly_the_expected_set() -> None:
    results = run(LEGACY, ["v2"])
    errors = [f"{r.key}: {r.error}" for r in results if r.verdict == "error"]
    assert not errors, errors
    observed = {r.scenario_id: oracles_fired(r) for r in results if not r.passed}
    assert observed == expected()
