"""Defects the library once saw through one step only (issue 13, part 3, "thin coverage").

Several shapes each of two defects: money carried through binary floating point, and a pending
line reported as ACTIVE. ``test_thin_coverage.py`` shows each shape fails a MUST scenario at v2
and v3, on more than one step where the defect can show.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from planted_defects import _Planted


class _FloatAmounts(_Planted):
    """Converts the caller's amount before it leaves; ``convert`` is the defect's shape."""

    @staticmethod
    def convert(minor: int) -> int:
        raise NotImplementedError

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        return super().draw_down(line_id, self.convert(amount_minor), currency, account=account,
                                 purpose=purpose, intent=intent)


class MinorRoundTrip(_FloatAmounts):
    """``minor / 100 * 100``: yuan and back through a float, truncated."""

    @staticmethod
    def convert(minor: int) -> int:
        return int(minor / 100 * 100)


class FloatFromDecimalText(_FloatAmounts):
    """Parses the decimal text ("0.57") with ``float`` and truncates ``* 100``."""

    @staticmethod
    def convert(minor: int) -> int:
        return int(float(f"{minor // 100}.{minor % 100:02d}") * 100)


class CentFactor(_FloatAmounts):
    """Scales with a float factor: ``minor * 0.01`` yuan, then ``* 100`` and truncated."""

    @staticmethod
    def convert(minor: int) -> int:
        return int(minor * 0.01 * 100)


class DecimalOfFloat(_FloatAmounts):
    """Uses Decimal, but builds it from a float: ``Decimal(minor / 100)`` is already off."""

    @staticmethod
    def convert(minor: int) -> int:
        return int(Decimal(minor / 100) * 100)


class _LineStatus(_Planted):
    """Reports the line's status through ``status``: the defect's shape."""

    def status(self, line: dict[str, Any]) -> str:
        raise NotImplementedError

    def get_credit_line(self, line_id: str) -> dict[str, Any]:
        result = super().get_credit_line(line_id)
        if result["outcome"] == "succeeded":
            result["line"] = {**result["line"], "status": self.status(result["data"])}
        return result


class PendingLineAsActive(_LineStatus):
    """A status table written before PENDING_ACTIVATION existed, defaulting to ACTIVE."""

    TABLE: ClassVar[dict[str, str]] = {"FROZEN": "FROZEN", "LOCKED": "LOCKED", "EXPIRED": "EXPIRED"}

    def status(self, line: dict[str, Any]) -> str:
        return self.TABLE.get(str(line.get("status")), "ACTIVE")


class StatusFromAvailable(_LineStatus):
    """Derives the status from the money: anything with room to draw is ACTIVE."""

    def status(self, line: dict[str, Any]) -> str:
        return "ACTIVE" if int(line.get("available") or 0) > 0 else "FROZEN"
