"""A connector written for contract v1 and never updated: what breaks when the core moves on.

It is not careless for its time: it honours Retry-After and maps v1's error codes. But v1 cannot
tell a lock from a freeze (both E1003), has no activation, no purpose code and no idempotency, and
this connector retries a dropped drawdown blindly, so a lost answer books twice.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

import requests

#: v1 error code -> the harness's reason vocabulary, as well as v1 allows.
REASONS = {
    "E1001": "INVALID_REQUEST", "E1002": "NOT_FOUND", "E1003": "LINE_FROZEN",
    "E1004": "INSUFFICIENT_AVAILABLE", "E1005": "LINE_EXPIRED", "E1006": "PRECONDITION_UNMET",
    "E1007": "POLICY_LIMIT_EXCEEDED", "E1009": "IDEMPOTENCY_CONFLICT", "E9001": "MAINTENANCE",
    "E9002": "VERSION_RETIRED",
}


def yuan(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


class LegacyV1Connector:
    DRAWBRIDGE: ClassVar[dict[str, Any]] = {
        "name": "legacy-v1", "version": "0.9.3", "contracts": ["v1"]}

    def __init__(self, bank_url: str, *, version: str) -> None:
        self.base = bank_url.rstrip("/") + "/v1"
        self.http = requests.Session()

    def close(self) -> None:
        self.http.close()

    def _call(self, method: str, path: str, body: Any = None) -> requests.Response:
        for attempt in range(5):
            try:
                response = self.http.request(method, self.base + path, json=body, timeout=10)
            except requests.RequestException:
                time.sleep(0.1 * (attempt + 1))  # retried without any idempotency key
                continue
            if response.status_code == 503 and attempt < 4:
                time.sleep(float(response.headers.get("Retry-After", "1")))
                continue
            return response
        raise ConnectionError("bank unreachable after 5 attempts")

    @staticmethod
    def _result(response: requests.Response) -> dict[str, Any]:
        if response.status_code < 400:
            return {"outcome": "succeeded", "data": response.json()}
        try:
            code = response.json().get("code")
        except (ValueError, AttributeError):
            code = None
        return {"outcome": "rejected", "reason": REASONS.get(code, "UNKNOWN"),
                "detail": f"HTTP {response.status_code} {code}"}

    def get_credit_line(self, line_id: str) -> dict[str, Any]:
        result = self._result(self._call("GET", f"/credit-lines/{line_id}"))
        if result["outcome"] == "succeeded":
            line = result["data"]
            # v1 amounts are yuan: "300000.00" -> 30000000 fen (written before v2 existed).
            result["line"] = {"status": line.get("status"),
                              **{k: round(float(line[k]) * 100)
                                 for k in ("limit", "used", "available")}}
        return result

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        body = {"amount": yuan(amount_minor), "accountNo": account}
        if purpose:
            body["purpose"] = purpose
        response = self._call("POST", f"/credit-lines/{line_id}/drawdowns", body)
        result = self._result(response)
        if result["outcome"] == "succeeded":
            result["drawdownId"] = result["data"]["drawdownId"]
        return result

    def get_drawdown(self, drawdown_id: str) -> dict[str, Any]:
        result = self._result(self._call("GET", f"/drawdowns/{drawdown_id}"))
        if result["outcome"] == "succeeded":
            result["drawdownId"] = drawdown_id
            data = result["data"]
            result["drawdown"] = {"amount": round(float(data["amount"]) * 100),
                                  "status": data.get("status")}
        return result

    def activate(self, line_id: str) -> dict[str, Any]:
        return {"outcome": "failed", "detail": "v1 has no activation: ask the branch"}

    def repay(self, line_id: str, amount_minor: int, currency: str, *,
              intent: str) -> dict[str, Any]:
        return self._result(self._call("POST", f"/credit-lines/{line_id}/repayments",
                                       {"amount": yuan(amount_minor)}))
