"""Plain text: grouped by severity (breaking first), then by operation."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from harness.contracts.model import Change, Severity
from harness.contracts.renderers.summary import headline


def render_text(changes: Sequence[Change], old: str, new: str) -> str:
    """A terminal report.

    >>> render_text([], "a.yaml", "b.yaml")
    'a.yaml -> b.yaml: no changes\\n'
    """
    lines = [f"{old} -> {new}: {headline(changes)}"]
    for severity, in_severity in groupby(sorted(changes), key=lambda c: c.severity):
        items = list(in_severity)
        lines += ["", f"{severity.label.upper()} ({len(items)})"]
        for operation, in_operation in groupby(items, key=lambda c: c.operation):
            lines.append(f"  {operation or '(document)'}")
            for change in in_operation:
                where = f"{change.pointer}: " if change.pointer else ""
                breaks = "" if severity is Severity.SAFE else f" [breaks {change.audience.value}]"
                lines.append(f"    {where}{change.message}  ({change.rule}){breaks}")
    return "\n".join(lines) + "\n"
