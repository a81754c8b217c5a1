"""One finding per cause: one edit reached from many places is reported once, with its places.

A shared schema edited once reaches every operation, status code and media type that uses
it; the comparison reports a change at each (each of those exchanges breaks), and the report
groups them back by cause (:attr:`Change.cause_key`: the rule, the message and where the
edit is written in both documents). ``--expand`` lists every place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from harness.contracts.model import Change


@dataclass(frozen=True)
class GroupedFinding:
    """Changes with one cause; the first (in report order) stands for them all."""

    changes: tuple[Change, ...]

    @property
    def first(self) -> Change:
        return self.changes[0]

    @property
    def count(self) -> int:
        """How many places the cause reaches."""
        return len(self.changes)

    @property
    def places(self) -> list[str]:
        """Every place, in report order: ``GET /x response 200 .status``."""
        return [c.location for c in self.changes]

    def as_dict(self) -> dict[str, object]:
        """The first change's fields, plus ``count`` and every place."""
        return {**self.first.as_dict(), "count": self.count, "places": self.places}


def group(changes: Sequence[Change]) -> list[GroupedFinding]:
    """Findings in report order (worst first, then by the first place each reaches)."""
    by_cause: dict[tuple[str, ...], list[Change]] = {}
    for change in sorted(changes):
        by_cause.setdefault(change.cause_key, []).append(change)
    return [GroupedFinding(tuple(items)) for items in by_cause.values()]


def place_lines(finding: GroupedFinding, expand: bool, limit: int = 1) -> list[str]:
    """The places to print: all with ``expand``, else the first and how many more."""
    places = finding.places
    if expand or len(places) <= limit:
        return places
    more = len(places) - limit
    return [*places[:limit], f"and {more} more place{'s' if more > 1 else ''} "
                             "(--expand lists them)"]


def split_at(position: str) -> tuple[str, int, int] | None:
    """``a/b.yaml:12:5`` -> ``("a/b.yaml", 12, 5)``; None when not located."""
    path, _, rest = position.rpartition(":")
    file, _, line = path.rpartition(":")
    if not file or not line.isdigit() or not rest.isdigit():
        return None
    return file, int(line), int(rest)
