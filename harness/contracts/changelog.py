"""Does a CHANGELOG document a change that ``drawbridge diff`` found?

contracts/CHANGELOG.md has one Markdown table per version section (``## v2 (from v1)``), with
rows ``| id | change | breaking? | breaks whom | where |``. The ``where`` cell holds locators in
backticks: ``schema Drawdown.currency``, ``POST /credit-lines/{lineId}/drawdowns response
202``, ``* response 410``, ``servers``. A change is covered by a row when one of these holds:

1. schema form: the row names ``schema S`` and S is one of the change's schema locators or a
   prefix of one at a name boundary. ``schema Drawdown.currency`` covers ``Drawdown.currency``.
   ``schema Problem`` covers ``Problem.title``, because the row says the whole schema changed;
2. operation form: the row's ``where`` names the change's operation, or ``*``, and the change's
   field (the last name in its pointer, or ``response 202`` for a status) appears in the
   row's ``where`` or ``change`` cell;
3. document level (servers, components): the last name of the pointer appears in ``where``.

>>> rows = parse_changelog("## v2\\n| id | change | where |\\n|-|-|-|\\n"
...                        "| v2-06 | new currency | `schema Drawdown.currency` |\\n")
>>> rows["v2"][0].schemas
('Drawdown.currency',)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.contracts.model import Change

_HEADING = re.compile(r"^#+\s.*?\b(v\d+)\b")  # the first version: "## v3 (from v2)"
_LOCATOR = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class Row:
    """One CHANGELOG row: its cells by lower-cased header, and the schema locators it names."""

    cells: dict[str, str]

    @property
    def where(self) -> str:
        return self.cells.get("where", "")

    @property
    def text(self) -> str:
        return self.cells.get("change", "")

    def names_operation(self, operation: str) -> bool:
        """Does a locator start with ``operation`` (``GET /x ...``) or with ``*`` (every one)?"""
        locators = _LOCATOR.findall(self.where) or [self.where]
        return any(loc == operation or loc.startswith((operation + " ", "* "))
                   for loc in locators)

    @property
    def schemas(self) -> tuple[str, ...]:
        """``Drawdown.currency`` for each ``schema Drawdown.currency`` locator in ``where``."""
        return tuple(loc.removeprefix("schema ").strip()
                     for loc in _LOCATOR.findall(self.where) if loc.startswith("schema "))


def parse_changelog(text: str) -> dict[str, list[Row]]:
    """The rows of every table, by the version named in the section heading above it."""
    rows: dict[str, list[Row]] = {}
    version: str | None = None
    header: list[str] | None = None
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            version, header = heading.group(1), None
        elif line.startswith("|") and version:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if header is None:
                header = [c.lower() for c in cells]
            elif not set("".join(cells)) <= set("-: "):
                rows.setdefault(version, []).append(Row(dict(zip(header, cells, strict=False))))
        elif not line.startswith("|"):
            header = None  # a table ended; the next one has its own header
    return rows


def change_field(change: Change) -> str:
    """The name a row must mention: the last property or parameter name, or the status."""
    names = re.findall(r"[A-Za-z_][A-Za-z0-9_-]*", change.pointer.split(" ")[-1])
    if change.pointer.startswith("response ") and not names:
        return change.pointer  # a status code change: "response 202"
    return names[-1] if names else change.pointer


def _within(locator: str, prefix: str) -> bool:
    return locator == prefix or locator.startswith((prefix + ".", prefix + "["))


def covering_row(change: Change, rows: list[Row]) -> Row | None:
    """The first row that documents ``change`` (rules in the module docstring), or None."""
    for row in rows:
        if any(_within(loc, named) for loc in change.schemas for named in row.schemas):
            return row
        if not change.operation:  # servers, components.schemas.X: the last name suffices
            if change.pointer.split("[")[0].split(".")[-1] in row.where:
                return row
            continue
        field = change_field(change)
        if row.names_operation(change.operation) and (field in row.where or field in row.text):
            return row
    return None
