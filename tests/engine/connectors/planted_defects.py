"""Connectors with one planted defect each: small variants of the Python reference connector.

Each class changes exactly one behaviour of :class:`ReferenceConnector`, the way real
connectors get it wrong; ``test_planted_defects.py`` checks that the intended oracle catches it
on the intended scenario (and that the unmodified reference passes the same run).
"""

from __future__ import annotations

import itertools
import time
from typing import Any, ClassVar

import requests

from examples.connectors.reference_py.connector import (
    MAX_ATTEMPTS,
    ReferenceConnector,
    idempotency_key,
)


class _RewritingSession(requests.Session):
    """A session that lets a defect touch every outgoing request or incoming answer."""

    def __init__(self, owner: ReferenceConnector) -> None:
        super().__init__()
        self.owner = owner

    def request(self, method: str | bytes, url: str | bytes,  # type: ignore[override]
                *args: Any, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        self.owner.before_send(headers, kwargs)
        return super().request(method, url, *args, headers=headers, **kwargs)


class _Planted(ReferenceConnector):
    DRAWBRIDGE: ClassVar[dict[str, Any]] = {
        "name": "planted-defect", "version": "0", "contracts": ["v2", "v3"]}

    def __init__(self, bank_url: str, *, version: str) -> None:
        super().__init__(bank_url, version=version)
        self.http.close()
        self.http = _RewritingSession(self)

    def before_send(self, headers: dict[str, str], kwargs: dict[str, Any]) -> None:
        """Hook: change a request just before it leaves."""


class KeyPerCall(_Planted):
    """The Idempotency-Key is a fresh token per call, not derived from the business intent.

    Retries inside one call reuse it, so the lost answer is recovered; but the caller's own
    retry of the same intent (the batch job rerunning) books a second drawdown."""

    calls = itertools.count(1)

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        token = f"call-{next(self.calls)}"
        return super().draw_down(line_id, amount_minor, currency, account=account,
                                 purpose=purpose, intent=token)


class FreshKeyPerAttempt(_Planted):
    """Every HTTP attempt carries a new Idempotency-Key, so the retry of a lost answer books
    again."""

    attempts = itertools.count(1)

    def before_send(self, headers: dict[str, str], kwargs: dict[str, Any]) -> None:
        if "Idempotency-Key" in headers:
            headers["Idempotency-Key"] = f"{headers['Idempotency-Key']}-{next(self.attempts)}"


class HammersThroughRetryAfter(_Planted):
    """Ignores Retry-After: on 503 it retries after 50 ms, as fast as its loop allows."""

    def _call(self, method: str, path: str, *, json: Any = None,
              key: str | None = None) -> requests.Response:
        headers = {"Idempotency-Key": key} if key else {}
        response: requests.Response | None = None
        for _ in range(MAX_ATTEMPTS):
            response = self.http.request(method, f"{self.bank_url}/{self.version}{path}",
                                         json=json, headers=headers, timeout=10)
            if response.status_code < 500:
                return response
            time.sleep(0.05)
        assert response is not None
        return response


class HammersAfterASlowStart(HammersThroughRetryAfter):
    """Hammers through Retry-After, and takes 0.6 s before its first request (a token fetched
    elsewhere, a cold start): longer than the 25 bank minutes the window has left at the time
    scale, so a clock counting from the operation's beginning let it miss the window."""

    def draw_down(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        time.sleep(0.6)
        return super().draw_down(*args, **kwargs)


class _DeafToRetryAfter(requests.Session):
    """A session whose answers arrive without Retry-After, as a connector reading no header."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        response = super().request(*args, **kwargs)
        response.headers.pop("Retry-After", None)
        return response


class WaitsItsOwnDefault(_Planted):
    """Reads no Retry-After: on a 503 it waits its own default second, whatever the bank said."""

    def __init__(self, bank_url: str, *, version: str) -> None:
        super().__init__(bank_url, version=version)
        self.http = _DeafToRetryAfter()


class GenericError(_Planted):
    """Every refusal becomes a generic error: the caller never learns the bank's reason."""

    @staticmethod
    def _refusal(response: requests.Response) -> dict[str, Any]:
        return {"outcome": "rejected", "reason": "UNKNOWN",
                "detail": f"bank error {response.status_code}"}

    @staticmethod
    def _drawdown_outcome(drawdown: dict[str, Any]) -> dict[str, Any]:
        outcome = ReferenceConnector._drawdown_outcome(drawdown)
        if outcome["outcome"] == "rejected":
            outcome = {"outcome": "rejected", "reason": "UNKNOWN"}
        return outcome


class YuanAsMinorUnits(_Planted):
    """Sends the amount in yuan where v2+ wants fen: 80,000.00 CNY goes out as 80000 (800.00)."""

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        return super().draw_down(line_id, amount_minor // 100, currency, account=account,
                                 purpose=purpose, intent=intent)


#: What the connector's author saw in testing: the texts of one quiet afternoon.
MESSAGE_TABLE = {
    "额度已冻结，暂无法提款": "LINE_FROZEN",
    "可用额度不足": "INSUFFICIENT_AVAILABLE",
    "额度处于特殊业务锁定期": "LINE_LOCKED",
}


class ParsesMessageText(_Planted):
    """Maps the Chinese ``detail`` text to a reason instead of reading ``reasonCode``."""

    @staticmethod
    def _refusal(response: requests.Response) -> dict[str, Any]:
        problem = response.json()
        return {"outcome": "rejected",
                "reason": MESSAGE_TABLE.get(problem.get("detail", ""), "UNKNOWN")}


class StrictReader(_Planted):
    """Refuses any answer with a field or status it was not built for (no tolerant reader)."""

    KNOWN_LINE_FIELDS: ClassVar[set[str]] = {
        "lineId", "customerId", "currency", "limit", "used", "available", "status",
        "expiryDate", "expiresOn", "preconditions", "lockedUntil", "lockReason"}
    KNOWN_STATUSES: ClassVar[set[str]] = {
        "ACTIVE", "FROZEN", "PENDING_ACTIVATION", "LOCKED", "EXPIRED"}

    def get_credit_line(self, line_id: str) -> dict[str, Any]:
        response = self._call("GET", f"/credit-lines/{line_id}")
        if response.status_code >= 400:
            return self._refusal(response)
        line = response.json()
        unknown = set(line) - self.KNOWN_LINE_FIELDS
        if unknown:
            raise ValueError(f"unexpected fields in credit line: {sorted(unknown)}")
        if line["status"] not in self.KNOWN_STATUSES:
            raise ValueError(f"unknown credit line status {line['status']!r}")
        return {"outcome": "succeeded", "data": line}


class GivesUpOnLostAnswer(_Planted):
    """A broken connection on a drawdown is reported as ``failed``, though the bank booked it."""

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        body: dict[str, Any] = {"amount": amount_minor, "currency": currency,
                                "beneficiaryAccount": account, "purposeCode": purpose or "WC01"}
        try:
            response = self.http.request(
                "POST", f"{self.bank_url}/{self.version}/credit-lines/{line_id}/drawdowns",
                json=body, headers={"Idempotency-Key": idempotency_key(intent)}, timeout=10)
        except requests.RequestException as exc:
            return {"outcome": "failed", "detail": f"drawdown failed: {exc}"}
        if response.status_code >= 400:
            return self._refusal(response)
        drawdown = response.json()
        if drawdown.get("status") == "PENDING":
            return self._settle(drawdown["drawdownId"])
        return self._drawdown_outcome(drawdown)


class DropsLockedUntil(_Planted):
    """Passes the reason on but not the lock's end date."""

    @staticmethod
    def _refusal(response: requests.Response) -> dict[str, Any]:
        outcome = ReferenceConnector._refusal(response)
        outcome.pop("lockedUntil", None)
        return outcome


class NoPurposeCodeOnV3(_Planted):
    """Still builds the v2 body on v3: no purposeCode, which v3 requires."""

    def before_send(self, headers: dict[str, str], kwargs: dict[str, Any]) -> None:
        body = kwargs.get("json")
        if isinstance(body, dict):
            body.pop("purposeCode", None)


class FloatCents(_Planted):
    """Carries money as float yuan and truncates back to fen: 1234.29 CNY leaves as 123428."""

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        yuan = amount_minor / 100
        return super().draw_down(line_id, int(yuan * 100), currency, account=account,
                                 purpose=purpose, intent=intent)


class SucceedsOnAccept(_Planted):
    """Treats v3's 202 Accepted as money paid: reports succeeded without waiting to settle."""

    def _settle(self, drawdown_id: str) -> dict[str, Any]:
        return {"outcome": "succeeded", "drawdownId": drawdown_id}


class RetriesRefusals(_Planted):
    """Retries a refused drawdown (409/422) a few more times, hoping the answer changes."""

    def _call(self, method: str, path: str, *, json: Any = None,
              key: str | None = None) -> requests.Response:
        response = super()._call(method, path, json=json, key=key)
        for _ in range(5):
            if response.status_code not in (409, 422):
                break
            response = super()._call(method, path, json=json, key=key)
        return response


#: Keyword rules tuned to the texts the docs show (额度已冻结 ..., "Credit line frozen"): the
#: way a connector decides by the human text when its author never saw the texts vary.
TITLE_WORDS = (("frozen", "LINE_FROZEN"), ("locked", "LINE_LOCKED"),
               ("pending activation", "LINE_PENDING_ACTIVATION"), ("expired", "LINE_EXPIRED"),
               ("insufficient", "INSUFFICIENT_AVAILABLE"), ("precondition", "PRECONDITION_UNMET"),
               ("policy limit", "POLICY_LIMIT_EXCEEDED"), ("required by policy",
                                                          "POLICY_FIELD_REQUIRED"),
               ("idempotency", "IDEMPOTENCY_CONFLICT"), ("read-only", "READ_ONLY"),
               ("maintenance", "MAINTENANCE"), ("retired", "VERSION_RETIRED"))
DETAIL_WORDS = (("冻结", "LINE_FROZEN"), ("锁定", "LINE_LOCKED"),
                ("激活", "LINE_PENDING_ACTIVATION"), ("到期", "LINE_EXPIRED"),
                ("可用额度不足", "INSUFFICIENT_AVAILABLE"), ("前置条件", "PRECONDITION_UNMET"),
                ("上限", "POLICY_LIMIT_EXCEEDED"), ("用途", "POLICY_FIELD_REQUIRED"),
                ("幂等", "IDEMPOTENCY_CONFLICT"), ("仅支持查询", "READ_ONLY"),
                ("维护", "MAINTENANCE"), ("下线", "VERSION_RETIRED"))


def reason_from_text(problem: dict[str, Any]) -> str:
    title = str(problem.get("title", "")).lower()
    detail = str(problem.get("detail", ""))
    for word, reason in TITLE_WORDS:
        if word in title:
            return reason
    for word, reason in DETAIL_WORDS:
        if word in detail:
            return reason
    return "UNKNOWN"


class DecidesByText(_Planted):
    """Decides the reason by keywords of the problem's title and detail, never ``reasonCode``:
    right on every text the docs show, wrong whenever the bank words it otherwise."""

    @staticmethod
    def _refusal(response: requests.Response) -> dict[str, Any]:
        problem = response.json()
        outcome: dict[str, Any] = {"outcome": "rejected", "reason": reason_from_text(problem)}
        if problem.get("lockedUntil"):
            outcome["lockedUntil"] = problem["lockedUntil"]
        return outcome

    @staticmethod
    def _drawdown_outcome(drawdown: dict[str, Any]) -> dict[str, Any]:
        outcome = ReferenceConnector._drawdown_outcome(drawdown)
        if outcome["outcome"] == "rejected":
            outcome["reason"] = reason_from_text(drawdown.get("rejection") or {})
        return outcome


class FreshKeyAfterConflict(_Planted):
    """Takes 409 IDEMPOTENCY_CONFLICT for a stale key and re-posts the body under a fresh one:
    the batch re-run with a corrected amount is disbursed a second time."""

    def _call(self, method: str, path: str, *, json: Any = None,
              key: str | None = None) -> requests.Response:
        response = super()._call(method, path, json=json, key=key)
        if key and response.status_code == 409 and (
                response.json().get("reasonCode") == "IDEMPOTENCY_CONFLICT"):
            response = super()._call(method, path, json=json, key=f"{key}-rerun")
        return response


class NeverMigrates(_Planted):
    """Configured once for v2 and left there: it declares v3 but ignores Deprecation, Sunset and
    the successor Link, so when v2 is retired it reports VERSION_RETIRED instead of moving on."""

    def __init__(self, bank_url: str, *, version: str) -> None:
        super().__init__(bank_url, version="v2")

    def _follow_successor(self, response: requests.Response) -> bool:
        return False


class KeyFromBody(_Planted):
    """Derives the Idempotency-Key from the request body, not the intent: a second invoice of
    the same amount on the same line is replayed as the first, and nobody pays the supplier."""

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        body_key = f"{line_id}:{amount_minor}:{currency}:{account}"
        return super().draw_down(line_id, amount_minor, currency, account=account,
                                 purpose=purpose, intent=body_key)


class RepaysWholeYuan(_Planted):
    """Repays whole yuan only: the fen of a repayment are cut off (1234.29 CNY repays 1234.00),
    while its drawdowns are exact."""

    def repay(self, line_id: str, amount_minor: int, currency: str, *,
              intent: str) -> dict[str, Any]:
        return super().repay(line_id, amount_minor // 100 * 100, currency, intent=intent)


def _next_line(line_id: str) -> str:
    """The line after ``line_id`` in the bank's numbering: CL000001 -> CL000002."""
    return f"{line_id[:2]}{int(line_id[2:]) + 1:0{len(line_id) - 2}d}"


class DrawsOnTheNextLine(_Planted):
    """Maps the caller's line to the bank's off by one (an ERP table counted from 0): CL000001
    is drawn as CL000002. The amount and the currency are exact."""

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        return super().draw_down(_next_line(line_id), amount_minor, currency, account=account,
                                 purpose=purpose, intent=intent)


class FreshRepaymentKeyPerAttempt(_Planted):
    """Derives its drawdowns' keys from the intent, but gives every repayment attempt a fresh
    key: the retry of a lost repayment answer, and the caller's rerun, repay again."""

    attempts = itertools.count(1)
    repaying = False

    def _call(self, method: str, path: str, *, json: Any = None,
              key: str | None = None) -> requests.Response:
        self.repaying = path.endswith("/repayments")
        return super()._call(method, path, json=json, key=key)

    def before_send(self, headers: dict[str, str], kwargs: dict[str, Any]) -> None:
        if self.repaying:
            headers["Idempotency-Key"] = f"repay-attempt-{next(self.attempts)}"


class PaysTheSettlementAccount(_Planted):
    """Pays every drawdown to the company's one settlement account, whatever account the caller
    named: the amount is right and the money goes to someone else."""

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        return super().draw_down(line_id, amount_minor, currency, account="6222000000000000001",
                                 purpose=purpose, intent=intent)


class HardWiredPurpose(_Planted):
    """Sends purpose code EQ01 (equipment) on every drawdown, whatever purpose the caller gave."""

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        return super().draw_down(line_id, amount_minor, currency, account=account,
                                 purpose="EQ01", intent=intent)


class ReportsTheFirstDrawdownId(_Planted):
    """Keeps the first drawdown id it learnt and reports it for every later drawdown."""

    first: str | None = None

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        outcome = super().draw_down(line_id, amount_minor, currency, account=account,
                                    purpose=purpose, intent=intent)
        if outcome.get("drawdownId"):
            self.first = self.first or outcome["drawdownId"]
            outcome["drawdownId"] = self.first
        return outcome


class ReadsTheNextLine(_Planted):
    """Reads the caller's line off by one (CL000001 is read as CL000002) and reports what it
    read faithfully: the caller is told another line's limit and status."""

    def get_credit_line(self, line_id: str) -> dict[str, Any]:
        return super().get_credit_line(_next_line(line_id))


class RepaysAndForgets(_Planted):
    """Fire and forget: every repayment is reported succeeded, whatever the bank answered."""

    def repay(self, line_id: str, amount_minor: int, currency: str, *,
              intent: str) -> dict[str, Any]:
        super().repay(line_id, amount_minor, currency, intent=intent)
        return {"outcome": "succeeded"}


class PendingWithoutId(_Planted):
    """Reports v3's 202 Accepted as pending at once, without polling and without the drawdown
    id the bank gave: its caller cannot look the drawdown up."""

    def _settle(self, drawdown_id: str) -> dict[str, Any]:
        return {"outcome": "pending"}


class SwallowsActivationRefusal(_Planted):
    """Asks the bank to activate the line and reports it activated whatever the bank said."""

    def activate(self, line_id: str) -> dict[str, Any]:
        super().activate(line_id)
        return {"outcome": "succeeded"}


class AnswersReadsFromCache(_Planted):
    """Reads each line once and answers every later read of it from its cache."""

    def __init__(self, bank_url: str, *, version: str) -> None:
        super().__init__(bank_url, version=version)
        self.cache: dict[str, dict[str, Any]] = {}

    def get_credit_line(self, line_id: str) -> dict[str, Any]:
        if line_id not in self.cache:
            self.cache[line_id] = super().get_credit_line(line_id)
        return dict(self.cache[line_id])


class NoPolicyFieldInItsTable(_Planted):
    """Its table of reason codes lacks POLICY_FIELD_REQUIRED: that refusal reaches the caller as
    UNKNOWN (a purpose the policy does not allow looks like any other error)."""

    @staticmethod
    def _refusal(response: requests.Response) -> dict[str, Any]:
        outcome = ReferenceConnector._refusal(response)
        if outcome.get("reason") == "POLICY_FIELD_REQUIRED":
            outcome["reason"] = "UNKNOWN"
        return outcome


class ReadsExpiredAsActive(_Planted):
    """Its table of line statuses lacks EXPIRED and falls back to ACTIVE."""

    def get_credit_line(self, line_id: str) -> dict[str, Any]:
        result = super().get_credit_line(line_id)
        line = result.get("line") or {}
        if line.get("status") == "EXPIRED":
            line["status"] = "ACTIVE"
        return result


class CutsTheKeyToFit(_Planted):
    """Makes the Idempotency-Key fit the bank's 64 characters by cutting the intent, not by
    hashing it: long intents that differ only at their end share one key (drawdowns only)."""

    intent = ""

    def before_send(self, headers: dict[str, str], kwargs: dict[str, Any]) -> None:
        if "Idempotency-Key" in headers and self.intent:
            headers["Idempotency-Key"] = self.intent[:64]

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        self.intent = intent
        try:
            return super().draw_down(line_id, amount_minor, currency, account=account,
                                     purpose=purpose, intent=intent)
        finally:
            self.intent = ""


class PollsItsFirstDrawdown(_Planted):
    """v3: polls the first drawdown it ever saw for every later one (an id kept in a field),
    and reports each by the id its 202 gave."""

    first: str | None = None

    def _settle(self, drawdown_id: str) -> dict[str, Any]:
        if self.first is None:
            self.first = drawdown_id
        outcome = super()._settle(self.first)
        if outcome.get("drawdownId"):
            outcome["drawdownId"] = drawdown_id
        return outcome
