"""Correct connectors that speak only v2: what a vendor who never migrated ships.

A v3 core still serves v2 (deprecated), so certifying them against profile v3 asks the real
question "will my v2 connector survive the v3 core?" (issue 13, part 2).
"""

from __future__ import annotations

from typing import Any, ClassVar

from examples.connectors.reference_py.connector import ReferenceConnector


class SpeaksV2Only(ReferenceConnector):
    """The reference connector, declaring and addressing v2 whatever the core's version."""

    DRAWBRIDGE: ClassVar[dict[str, Any]] = {
        "name": "speaks-v2-only", "version": "1.0.0", "contracts": ["v2"]}

    def __init__(self, bank_url: str, *, version: str) -> None:
        super().__init__(bank_url, version="v2")

    def _follow_successor(self, response: Any) -> bool:
        return False  # it speaks no successor


class V2OnlyReportsPendingForever(SpeaksV2Only):
    """Speaks v2 but reports every booked drawdown as ``pending``: wrong on v2, where the
    answer is final. Judged by v2's expectations it fails, however v3 would see it."""

    @staticmethod
    def _drawdown_outcome(drawdown: dict[str, Any]) -> dict[str, Any]:
        outcome = ReferenceConnector._drawdown_outcome(drawdown)
        if outcome["outcome"] == "succeeded":
            outcome = {**outcome, "outcome": "pending"}
        return outcome
