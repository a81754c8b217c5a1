"""A correct connector for contract v2 and v3, built on ``requests``: the behaviour to copy.

- money in integer minor units; an Idempotency-Key derived from the caller's business intent,
  reused on every retry of that intent, so a lost answer is retried without a second booking;
- Retry-After honoured during maintenance, bounded retries with backoff on 5xx and dropped
  connections;
- the bank's ``reasonCode`` (and ``lockedUntil``) passed to the caller; unknown fields and
  values ignored (tolerant reader); v3's asynchronous drawdowns polled until settled;
- on 410 VERSION_RETIRED it follows the ``successor-version`` link when it speaks that version.
"""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any, ClassVar

import requests

SUPPORTED = ("v2", "v3")
KEY_OK = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
MAX_WAIT_SECONDS = 30.0
MAX_ATTEMPTS = 6
POLLS = 10


def idempotency_key(intent: str) -> str:
    """One key per business intent; long or odd intents are hashed into the allowed alphabet."""
    if KEY_OK.match(intent):
        return intent
    return "intent-" + hashlib.sha256(intent.encode()).hexdigest()[:40]


class ReferenceConnector:
    DRAWBRIDGE: ClassVar[dict[str, Any]] = {
        "name": "reference-python", "version": "1.0.0", "contracts": list(SUPPORTED)}

    def __init__(self, bank_url: str, *, version: str) -> None:
        self.bank_url = bank_url.rstrip("/")
        self.version = version if version in SUPPORTED else "v2"
        self.http = requests.Session()

    def close(self) -> None:
        self.http.close()

    # -- transport with retries -----------------------------------------------------------------
    def _call(self, method: str, path: str, *, json: Any = None,
              key: str | None = None) -> requests.Response:
        headers = {"Idempotency-Key": key} if key else {}
        waited = 0.0
        last_error: Exception | None = None
        for attempt in range(MAX_ATTEMPTS):
            try:
                response = self.http.request(method, f"{self.bank_url}/{self.version}{path}",
                                             json=json, headers=headers, timeout=10)
            except requests.RequestException as exc:  # dropped or lost answer: retry, same key
                last_error = exc
                time.sleep(min(0.05 * 2**attempt, 1.0))
                continue
            if response.status_code == 410 and self._follow_successor(response):
                continue
            if response.status_code == 503:
                delay = float(response.headers.get("Retry-After", "1"))
                if waited + delay > MAX_WAIT_SECONDS:
                    return response
                time.sleep(delay)
                waited += delay
                continue
            if response.status_code >= 500 and attempt < MAX_ATTEMPTS - 1:
                time.sleep(min(0.05 * 2**attempt, 1.0))
                continue
            return response
        if last_error is not None:
            raise last_error
        return response

    def _follow_successor(self, response: requests.Response) -> bool:
        match = re.search(r"</(v\d+)>", response.headers.get("Link", ""))
        if match and match.group(1) in SUPPORTED and match.group(1) != self.version:
            self.version = match.group(1)
            return True
        return False

    # -- outcome mapping ------------------------------------------------------------------------
    @staticmethod
    def _refusal(response: requests.Response) -> dict[str, Any]:
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        if not isinstance(problem, dict):
            problem = {}
        outcome: dict[str, Any] = {"outcome": "rejected",
                                   "reason": problem.get("reasonCode", "UNKNOWN"),
                                   "detail": problem.get("detail")}
        if problem.get("lockedUntil"):
            outcome["lockedUntil"] = problem["lockedUntil"]
        return outcome

    def _result(self, response: requests.Response) -> dict[str, Any]:
        if response.status_code < 400:
            return {"outcome": "succeeded", "data": response.json()}
        return self._refusal(response)

    # -- the protocol ---------------------------------------------------------------------------
    def get_credit_line(self, line_id: str) -> dict[str, Any]:
        response = self._call("GET", f"/credit-lines/{line_id}")
        result = self._result(response)
        if result["outcome"] == "succeeded":
            line = result["data"]
            result["line"] = {"status": line.get("status", "UNKNOWN"), "limit": line["limit"],
                              "used": line["used"], "available": line["available"]}
        return result

    def activate(self, line_id: str) -> dict[str, Any]:
        return self._result(self._call("POST", f"/credit-lines/{line_id}/activation"))

    def repay(self, line_id: str, amount_minor: int, currency: str, *,
              intent: str) -> dict[str, Any]:
        body = {"amount": amount_minor, "currency": currency}
        return self._result(self._call("POST", f"/credit-lines/{line_id}/repayments", json=body,
                                       key=idempotency_key(intent)))

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        body: dict[str, Any] = {"amount": amount_minor, "currency": currency,
                                "beneficiaryAccount": account}
        if purpose:
            body["purposeCode"] = purpose
        elif self.version == "v3":
            body["purposeCode"] = "WC01"  # v3 requires a purpose: working capital by default
        response = self._call("POST", f"/credit-lines/{line_id}/drawdowns", json=body,
                              key=idempotency_key(intent))
        if response.status_code >= 400:
            return self._refusal(response)
        drawdown = response.json()
        if drawdown.get("status") == "PENDING":
            return self._settle(drawdown["drawdownId"])
        return self._drawdown_outcome(drawdown)

    def _settle(self, drawdown_id: str) -> dict[str, Any]:
        for _ in range(POLLS):
            response = self._call("GET", f"/drawdowns/{drawdown_id}")
            if response.status_code >= 500:
                # The bank accepted the drawdown; that it cannot say more right now is no
                # refusal of it: the caller learns "pending" and looks it up later.
                return {"outcome": "pending", "drawdownId": drawdown_id}
            if response.status_code >= 400:
                return self._refusal(response)
            drawdown = response.json()
            if drawdown.get("status") != "PENDING":
                return self._drawdown_outcome(drawdown)
            time.sleep(0.05)
        return {"outcome": "pending", "drawdownId": drawdown_id}

    @staticmethod
    def _drawdown_outcome(drawdown: dict[str, Any]) -> dict[str, Any]:
        status = drawdown.get("status")
        if status == "DISBURSED":
            return {"outcome": "succeeded", "drawdownId": drawdown["drawdownId"]}
        if status == "PENDING":
            return {"outcome": "pending", "drawdownId": drawdown["drawdownId"]}
        rejection = drawdown.get("rejection") or {}
        outcome = {"outcome": "rejected", "drawdownId": drawdown.get("drawdownId"),
                   "reason": rejection.get("reasonCode", "UNKNOWN")}
        if rejection.get("lockedUntil"):
            outcome["lockedUntil"] = rejection["lockedUntil"]
        return outcome

    def get_drawdown(self, drawdown_id: str) -> dict[str, Any]:
        response = self._call("GET", f"/drawdowns/{drawdown_id}")
        if response.status_code >= 400:
            return self._refusal(response)
        drawdown = response.json()
        outcome = self._drawdown_outcome(drawdown)
        outcome["drawdown"] = {"amount": drawdown["amount"], "status": drawdown.get("status")}
        return outcome
