"""The one error hierarchy shared by the fake bank and the harness.

Input errors subclass ``ValueError`` too, so callers that only know the stdlib still catch them.
Each one renders as a single line: where, what was expected and found, and the fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class DrawbridgeError(Exception):
    """Base of every error Drawbridge raises on purpose."""


class InputError(DrawbridgeError, ValueError):
    """Bad input from a user: a file, a field, an argument. The CLI exits 2 with one line.

    >>> where = "scenarios/a.yaml:3:5 given.lines[0].limit"
    >>> str(InputError(where, "expected money", "write '100.00 CNY'"))
    "scenarios/a.yaml:3:5 given.lines[0].limit: expected money; fix: write '100.00 CNY'"
    """

    def __init__(self, where: str, problem: str, fix: str | None = None) -> None:
        self.where = where
        self.problem = problem
        self.fix = fix
        super().__init__(self.one_line())

    def one_line(self) -> str:
        text = f"{self.where}: {self.problem}" if self.where else self.problem
        if self.fix:
            text += f"; fix: {self.fix}"
        return " ".join(text.split())

    @classmethod
    def for_unknown_name(
        cls, where: str, kind: str, found: str, known: Iterable[str]
    ) -> InputError:
        """An unknown key, state or reference, with a did-you-mean and the valid values."""
        known = sorted(known)
        close = difflib.get_close_matches(found, known, n=1)
        fix = f"did you mean {close[0]!r}?" if close else None
        listing = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
        plural = kind + ("es" if kind.endswith(("s", "x", "ch", "sh")) else "s")
        fix = f"{fix + ' ' if fix else ''}valid {plural}: {listing}"
        return cls(where, f"unknown {kind} {found!r}", fix)
