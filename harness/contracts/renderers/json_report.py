"""JSON: sorted keys, changes in report order, stable across runs."""

from __future__ import annotations

import json
from collections.abc import Sequence

from harness.contracts.model import Change
from harness.contracts.renderers.summary import counts


def render_json(changes: Sequence[Change], old: str, new: str) -> str:
    """A machine-readable report: ``{"old", "new", "summary", "changes": [...]}``."""
    report = {
        "old": old,
        "new": new,
        "summary": counts(changes),
        "changes": [c.as_dict() for c in sorted(changes)],
    }
    return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
