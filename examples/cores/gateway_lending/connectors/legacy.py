"""A connector built for release r1 only, never updated: it speaks drawdown service version 1.0
(amounts in yuan) and nothing else, and knows no retCode that r1 did not have (GW0410).

Otherwise it is careful (it signs, reads retStatus and retCode, reuses its consumerSeqNo), so
what it fails on r2 is exactly what release r1 cannot do: draw down after drawdown 1.0 retired.
"""

from __future__ import annotations

from typing import Any, ClassVar

from examples.cores.gateway_lending.connectors.reference import ReferenceConnector


class LegacyR1Connector(ReferenceConnector):
    DRAWBRIDGE: ClassVar[dict[str, Any]] = {
        "name": "gateway-legacy-r1", "version": "0.9.0", "contracts": ["r1"]}
    DRAWDOWN_VERSIONS: ClassVar[tuple[str, ...]] = ("1.0",)

    def _move_on(self, answer: dict[str, Any]) -> bool:
        return False  # r1 had no deprecation: the head's announcement is not read

    def _result(self, status: int, answer: dict[str, Any]) -> dict[str, Any]:
        result = super()._result(status, answer)
        if result.get("reason") == "VERSION_RETIRED":
            result["reason"] = "UNKNOWN"  # GW0410 did not exist when it was written
        return result
