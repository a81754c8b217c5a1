"""The sequence diagram's geometry, from real journals: lanes, bands, arrows, brackets."""

from __future__ import annotations

from typing import Any

from harness.evidence import RunResult
from harness.reporting.sequence import Gap, RowGraphic, excerpt, layout


def result(results: list[RunResult], scenario: str, version: str) -> dict[str, Any]:
    return next(r.to_dict() for r in results if (r.scenario_id, r.version) == (scenario, version))


def row(diagram: Any, seq: int) -> RowGraphic:
    return next(r for r in diagram.rows if r.seq == seq)


def test_maintenance_band_covers_exactly_the_rows_inside_the_window(
        legacy_results: list[RunResult]) -> None:
    data = result(legacy_results, "full-outage-retry-after", "v2")
    diagram = layout(data, prefix="t")
    assert [lane.label for lane in diagram.lanes] == ["harness", "connector", "bank v1"]
    band = next(s for s in diagram.background if s.kind == "rect" and "band" in s.cls)
    window = next(e["request_body"] for e in data["journal"] if e["note"] == "maintenance")
    for entry in data["journal"]:
        if entry["note"] == "clock-set":
            continue  # the gutter shows time; clock-set rows are not drawn
        y = row(diagram, entry["seq"]).y
        inside = window["start"] <= entry["at"] < window["end"]
        assert (band.y1 <= y < band.y2) == inside, entry["seq"]
    answered_503 = next(e for e in data["journal"] if e.get("status") == 503)
    assert band.y1 <= row(diagram, answered_503["seq"]).y < band.y2
    assert diagram.counts == {"exchanges": 3, "highlighted": 2, "bands": 1}


def test_dropped_connection_is_a_broken_arrow_and_bookings_are_labelled(
        legacy_results: list[RunResult]) -> None:
    diagram = layout(result(legacy_results, "lost-response-after-commit", "v2"), prefix="t")
    dropped = [r for r in diagram.rows if "dropped" in r.cls.split()]
    assert len(dropped) == 1
    kinds = {(s.kind, s.cls) for s in dropped[0].shapes}
    assert ("line", "arrow response broken") in kinds and ("cross", "cut") in kinds
    assert not any(s.cls.startswith("arrow response") and s.marker for s in dropped[0].shapes)
    assert any(s.text == "booked DD00000001" for s in dropped[0].shapes)
    assert "faulted" in dropped[0].cls.split()


def test_rolling_upgrade_gets_a_lane_per_node_and_switch_markers(
        reference_results: list[RunResult]) -> None:
    data = result(reference_results, "rolling-upgrade-v2-v3", "v3")
    diagram = layout(data, prefix="t")
    nodes = {(e["version"], e["served_by"]) for e in data["journal"] if e["kind"] == "exchange"}
    banks = [(lane.label, lane.sublabel) for lane in diagram.lanes[2:]]
    assert sorted(banks) == sorted((f"bank {v}", n.replace("-", " ")) for v, n in nodes)
    switches = [s.text for r in diagram.rows if "switch" in r.cls.split() for s in r.shapes
                if s.kind == "text" and s.cls == "switch-label"]
    assert switches == ["rolling upgrade v2 \u2192 v3, 50% on new nodes",
                        "rollout complete: every node new"]
    # Each exchange's request arrow ends on the lane of the node that served it.
    lane_x = {lane.key: lane.x for lane in diagram.lanes}
    for entry in (e for e in data["journal"] if e["kind"] == "exchange"):
        arrow = next(s for s in row(diagram, entry["seq"]).shapes if "request" in s.cls)
        assert arrow.x2 == lane_x[f"bank:{entry['version']}:{entry['served_by']}"]


def test_each_operation_is_a_bracket_from_begin_to_end(legacy_results: list[RunResult]) -> None:
    data = result(legacy_results, "upgrade-retires-v1", "v2")
    diagram = layout(data, prefix="t")
    brackets = [s for s in diagram.background if s.cls == "activation"]
    assert [s.title for s in brackets] == [f"operation {o['step']}" for o in data["operations"]]
    for bracket, operation in zip(brackets, data["operations"], strict=True):
        first, last = operation["journal"]
        assert bracket.y1 == row(diagram, first).y + 18
        assert bracket.y2 == row(diagram, last).y + 18
    ends = [s.text for r in diagram.rows if "op-end" in r.cls.split() for s in r.shapes
            if s.kind == "text"]
    assert "\u25c0 read-after-upgrade: rejected VERSION_RETIRED" in ends


def test_long_journals_keep_start_end_and_the_findings_context() -> None:
    entries = [{"seq": n, "at": "2026-03-02T10:00:00+08:00", "kind": "exchange"}
               for n in range(1, 1001)]
    kept = excerpt(entries, focus={500}, limit=240)
    seqs = [e["seq"] for e in kept if not isinstance(e, Gap)]
    gaps = [g for g in kept if isinstance(g, Gap)]
    assert seqs == [*range(1, 13), *range(488, 513), *range(989, 1001)]
    assert [(g.first, g.last, g.count) for g in gaps] == [(13, 487, 475), (513, 988, 476)]
    assert excerpt(entries[:240], focus=()) == entries[:240]


def test_layout_is_deterministic(legacy_results: list[RunResult]) -> None:
    data = result(legacy_results, "lost-response-after-commit", "v2")
    assert layout(data, prefix="a") == layout(data, prefix="a")
