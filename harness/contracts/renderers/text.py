"""Plain text: findings grouped by severity (breaking first), each with why and where."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from harness.contracts.grouping import group, place_lines
from harness.contracts.model import Change, Severity
from harness.contracts.renderers.summary import headline


def render_text(changes: Sequence[Change], old: str, new: str, expand: bool = False) -> str:
    """A terminal report.

    >>> render_text([], "a.yaml", "b.yaml")
    'a.yaml -> b.yaml: no changes\\n'
    """
    lines = [f"{old} -> {new}: {headline(changes)}"]
    for severity, in_severity in groupby(group(changes), key=lambda f: f.first.severity):
        items = list(in_severity)
        lines += ["", f"{severity.label.upper()} ({len(items)})"]
        for finding in items:
            change = finding.first
            breaks = "" if severity is Severity.SAFE else f" [breaks {change.audience.value}]"
            places = place_lines(finding, expand)
            lines.append(f"  {places[0]}: {change.message}  ({change.rule}){breaks}")
            if change.why:
                lines.append(f"      why: {change.why}")
            at = "  ".join(f"{side}: {where}" for side, where in
                           (("old", change.old_at), ("new", change.new_at)) if where)
            if at:
                lines.append(f"      {at}")
            lines += [f"      {place}" for place in places[1:]]
    return "\n".join(lines) + "\n"
