"""docs/contract-diff.md documents every rule the tool can report, with its classification."""

from __future__ import annotations

from pathlib import Path

from harness.contracts.catalog import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "contract-diff.md"


def test_rules_table_matches_the_catalogue():
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) != 5:
                continue  # the module table
            rows[cells[0].strip("`")] = (cells[2], cells[3])
    assert rows == {r.id: (r.audience.value, r.severity.label) for r in RULES.values()}
