"""JSON: sorted keys, findings in report order, stable across runs."""

from __future__ import annotations

import json
from collections.abc import Sequence

from harness.contracts.grouping import group
from harness.contracts.model import Change
from harness.contracts.renderers.summary import counts


def report_dict(changes: Sequence[Change], old: str, new: str) -> dict[str, object]:
    """``{"old", "new", "summary", "places", "changes": [...]}``, one entry per finding."""
    return {
        "old": old,
        "new": new,
        "summary": counts(changes),
        "places": len(changes),
        "changes": [f.as_dict() for f in group(changes)],
    }


def dump(report: object) -> str:
    """Sorted keys, two-space indents, UTF-8 as is: byte-identical run to run."""
    return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_json(changes: Sequence[Change], old: str, new: str, expand: bool = False) -> str:
    """A machine-readable report (:func:`report_dict`).

    Each finding comes with its ``count`` and every one of its ``places`` (always: a program
    reading the report decides what to show, so ``expand`` changes nothing here).
    """
    return dump(report_dict(changes, old, new))
