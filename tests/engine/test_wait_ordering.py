"""With several jobs the runs that will wait longest start first, so their waits overlap;
the plan itself (and so --shard) and every artefact keep their order."""

from __future__ import annotations

from pathlib import Path

from harness.engine.session import expected_wait, longest_waits_first, plan
from harness.scenarios.library import load_library

ROOT = Path(__file__).resolve().parents[2]


def test_maintenance_windows_are_expected_waits_and_go_first() -> None:
    library = load_library([ROOT / "scenarios" / "maintenance",
                            ROOT / "scenarios" / "line-state"])
    by_id = {s.id: s for s in library}
    assert expected_wait(by_id["full-outage-retry-after"]) >= 1.0
    assert expected_wait(by_id["frozen-line"]) == 0.0
    items = plan(library, ("v2",))
    ordered = longest_waits_first(items)
    waits = [expected_wait(w.scenario) for w in ordered]
    assert waits == sorted(waits, reverse=True) and waits[0] >= 1.0
    # stable: among equal waits the plan's order stays
    quiet = [w for w in items if not expected_wait(w.scenario)]
    assert [w for w in ordered if not expected_wait(w.scenario)] == quiet
    assert sorted(map(id, ordered)) == sorted(map(id, items))
