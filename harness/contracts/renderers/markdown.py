"""Markdown: a summary line and one table row per finding (for PR comments)."""

from __future__ import annotations

from collections.abc import Sequence

from harness.contracts.grouping import group, place_lines
from harness.contracts.model import Change
from harness.contracts.renderers.summary import headline


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(changes: Sequence[Change], old: str, new: str,
                    expand: bool = False) -> str:
    """A Markdown table: severity, breaks whom, rule, places, change, why, old and new line."""
    lines = [f"## Contract changes: `{old}` -> `{new}`", "", f"{headline(changes)}.", ""]
    if changes:
        lines += ["| severity | breaks | rule | location | change | why | old | new |",
                  "|---|---|---|---|---|---|---|---|"]
        for finding in group(changes):
            c = finding.first
            where = "<br>".join(f"`{_cell(p)}`" if i == 0 or expand else _cell(p)
                                for i, p in enumerate(place_lines(finding, expand)))
            lines.append(
                f"| {c.severity.label} | {c.audience.value} | `{c.rule}` | {where} "
                f"| {_cell(c.message)} | {_cell(c.why)} | {_cell(c.old_at)} | {_cell(c.new_at)} |")
    return "\n".join(lines) + "\n"
