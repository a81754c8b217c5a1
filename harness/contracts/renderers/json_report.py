"""JSON: sorted keys, findings in report order, stable across runs."""

from __future__ import annotations

import json
from collections.abc import Sequence

from harness.contracts.grouping import group
from harness.contracts.model import Change
from harness.contracts.renderers.summary import counts


def render_json(changes: Sequence[Change], old: str, new: str, expand: bool = False) -> str:
    """A machine-readable report: ``{"old", "new", "summary", "places", "changes": [...]}``.

    One entry per finding, with its ``count`` and every one of its ``places`` (always: a
    program reading the report decides what to show, so ``expand`` changes nothing here).
    """
    report = {
        "old": old,
        "new": new,
        "summary": counts(changes),
        "places": len(changes),
        "changes": [f.as_dict() for f in group(changes)],
    }
    return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
