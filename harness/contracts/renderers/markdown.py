"""Markdown: a summary line and one table row per change (for PR comments)."""

from __future__ import annotations

from collections.abc import Sequence

from harness.contracts.model import Change
from harness.contracts.renderers.summary import headline


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(changes: Sequence[Change], old: str, new: str) -> str:
    """A Markdown table: severity, breaks whom, rule, location, message."""
    lines = [f"## Contract changes: `{old}` -> `{new}`", "", f"{headline(changes)}.", ""]
    if changes:
        lines += ["| severity | breaks | rule | location | change |", "|---|---|---|---|---|"]
        lines += [
            f"| {c.severity.label} | {c.audience.value} | `{c.rule}` | `{_cell(c.location)}` "
            f"| {_cell(c.message)} |"
            for c in sorted(changes)
        ]
    return "\n".join(lines) + "\n"
