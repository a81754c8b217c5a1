"""A correct connector for the gateway's lending services (releases r1 and r2).

- every request an envelope: the service code and version, the consumer, a ``consumerSeqNo``
  derived from the caller's business intent (reused on every retry of it, so a lost answer is
  retried without a second booking), the gateway's date and time (learnt by signing on, SY0001,
  and from every answer's head), the HMAC-SHA256 signature;
- it signs with the key the gateway names as in force (``sysHead.keyId``, and the announced
  ``keyRotation`` from its date); refused for a key no longer in force (GW0402), it re-signs
  with the key the refusal names and sends again;
- success is ``retStatus`` S, never HTTP 200 alone; a refusal's reason comes from ``retCode``
  (never from ``retMsg``, which varies), a lock's end from ``lockEndDate``/``lockEndTime``;
- drawdowns at service version 2.0 (amount in fen, ``purposeCode``) on r2, 1.0 on r1; a
  deprecated or retired (GW0410) version is left for the successor the head names; a node
  that has no such version (GW0404, an r1 node in a mixed fleet) is asked again at the
  version it has, with the same consumerSeqNo;
- an accepted drawdown (2.0: ``ddStatus`` 02) is polled with the drawdown inquiry until
  settled (bounded): succeeded, rejected with the reason its ``rejectCode`` names, or pending;
- 503 waits ``Retry-After`` (bounded), 5xx and broken connections are retried with backoff.
"""

from __future__ import annotations

import hashlib
import re
import time
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar

import requests

from examples.cores.gateway_lending import envelope as env

CONSUMER = "DRAWBRIDGE"
SEQ_OK = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
MAX_WAIT_SECONDS = 30.0
MAX_ATTEMPTS = 6
#: status polls of an accepted drawdown (r2's drawdown 2.0) before reporting it pending
POLLS = 10
POLL_PAUSE_SECONDS = 0.05
CST = timezone(timedelta(hours=8))
#: the gateway's reasons the harness has no word for, and the word it has
SAID_AS = {"VERSION_UNAVAILABLE": "MAINTENANCE", "ACTIVATION_NOT_ALLOWED": "UNKNOWN"}


def sequence_number(intent: str) -> str:
    """One consumerSeqNo per business intent; long or odd intents hashed into the alphabet."""
    if SEQ_OK.match(intent):
        return intent
    return "seq-" + hashlib.sha256(intent.encode()).hexdigest()[:40]


class ReferenceConnector:
    DRAWBRIDGE: ClassVar[dict[str, Any]] = {
        "name": "gateway-reference", "version": "1.0.0", "contracts": ["r1", "r2"]}
    #: drawdown service versions this connector speaks, preferred first
    DRAWDOWN_VERSIONS: ClassVar[tuple[str, ...]] = ("2.0", "1.0")

    def __init__(self, bank_url: str, *, version: str) -> None:
        self.bank_url = bank_url.rstrip("/")
        self.http = requests.Session()
        self.keys = env.CONSUMERS[CONSUMER]
        self.key = self.keys[0]
        #: the bank's date and time from its last answer (the head's tranDate and tranTime)
        self.bank_time: tuple[str, str] | None = None
        self.drawdown_version = "2.0" if version == "r2" and "2.0" in self.DRAWDOWN_VERSIONS \
            else "1.0"
        self.reads = 0

    def close(self) -> None:
        self.http.close()

    # -- the envelope --------------------------------------------------------------------------
    def _envelope(self, code: str, version: str, seq: str, body: dict[str, Any]) -> dict[str, Any]:
        head = {"serviceCode": code, "serviceVersion": version, "consumerId": CONSUMER,
                "consumerSeqNo": seq, "keyId": self.key.key_id,
                "signature": env.sign(body, self.key.secret)}
        if code != env.SERVICES["signOn"]:
            head["tranDate"], head["tranTime"] = self.bank_time or _wall_time()
        return {"sysHead": head, "body": body}

    def _sign_on(self) -> None:
        """Learn the gateway's date, time and key in force before the first service call."""
        try:
            response = self.http.post(f"{self.bank_url}/esb/{env.SERVICES['signOn']}",
                                      json=self._envelope(env.SERVICES["signOn"], "1.0",
                                                          self._read_seq(), {}), timeout=10)
        except requests.RequestException:
            return  # the service call itself will meet the trouble and retry
        self._learn(_head(_json(response)))

    def _learn(self, head: dict[str, Any]) -> None:
        """What every answer's head teaches: the bank's time and the key in force."""
        if isinstance(head.get("sysDate"), str) and isinstance(head.get("sysTime"), str):
            self.bank_time = (head["sysDate"], head["sysTime"])
        named = next((k for k in self.keys if k.key_id == head.get("keyId")), None)
        if named is not None:
            self.key = named
        rotation = head.get("keyRotation") or {}
        if self.bank_time and rotation.get("effectiveDate", "99999999") <= self.bank_time[0]:
            self.key = next((k for k in self.keys if k.key_id == rotation.get("keyId")), self.key)

    # -- transport with retries ----------------------------------------------------------------
    def _call(self, code: str, version: str, seq: str,
              body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """(HTTP status, answer) of one service call, after retries; raises when the bank was
        never reached."""
        waited = 0.0
        last_error: Exception | None = None
        resigned = False
        status, answer = 0, {}
        if self.bank_time is None:
            self._sign_on()
        for attempt in range(MAX_ATTEMPTS):
            try:
                response = self.http.post(f"{self.bank_url}/esb/{code}",
                                          json=self._envelope(code, version, seq, body),
                                          timeout=10)
            except requests.RequestException as exc:  # a lost answer: retry, same seqNo
                last_error = exc
                time.sleep(min(0.05 * 2**attempt, 1.0))
                continue
            status, answer = response.status_code, _json(response)
            head = _head(answer)
            self._learn(head)
            if _ret_code(answer) == env.KEY_NOT_IN_FORCE and not resigned:
                resigned = True  # _learn took the key the refusal names: sign with it
                continue
            if status == 503:
                delay = float(response.headers.get("Retry-After", "1"))
                if waited + delay > MAX_WAIT_SECONDS:
                    return status, answer
                time.sleep(delay)
                waited += delay
                continue
            if status >= 500 and attempt < MAX_ATTEMPTS - 1:
                time.sleep(min(0.05 * 2**attempt, 1.0))
                continue
            return status, answer
        if last_error is not None and status == 0:
            raise last_error
        return status, answer

    # -- outcomes ------------------------------------------------------------------------------
    def _result(self, status: int, answer: dict[str, Any]) -> dict[str, Any]:
        head = _head(answer)
        if status == 200 and head.get("retStatus") == "S":
            body = answer.get("body")
            return {"outcome": "succeeded", "data": body if isinstance(body, dict) else {}}
        code = _ret_code(answer)
        if status >= 500 and code not in ("GW9001", "GW9002", "GW9003"):
            return {"outcome": "failed", "detail": f"HTTP {status} {code}: not processed"}
        reason = env.REASONS.get(code or "", "UNKNOWN")
        outcome: dict[str, Any] = {"outcome": "rejected", "reason": SAID_AS.get(reason, reason),
                                   "detail": f"{code}"}
        if head.get("lockEndDate"):
            outcome["lockedUntil"] = _iso(head["lockEndDate"], head.get("lockEndTime", "000000"))
        return outcome

    def _read_seq(self) -> str:
        self.reads += 1
        return f"Q{self.reads:06d}"

    # -- the protocol --------------------------------------------------------------------------
    def get_credit_line(self, line_id: str) -> dict[str, Any]:
        result = self._result(*self._call("CL0101", "1.0", self._read_seq(), {"lineNo": line_id}))
        if result["outcome"] == "succeeded":
            line = result.pop("data")
            result["line"] = {"status": env.LINE_STATUS_NAME.get(line.get("lineStatus"),
                                                                 "UNKNOWN"),
                              "limit": env.fen_of_yuan(line["lineAmt"]),
                              "used": env.fen_of_yuan(line["usedAmt"]),
                              "available": env.fen_of_yuan(line["availAmt"])}
        return result

    def activate(self, line_id: str) -> dict[str, Any]:
        result = self._result(*self._call("CL0102", "1.0", self._read_seq(), {"lineNo": line_id}))
        result.pop("data", None)
        return result

    def repay(self, line_id: str, amount_minor: int, currency: str, *,
              intent: str) -> dict[str, Any]:
        body = {"lineNo": line_id, "amount": env.yuan(amount_minor), "ccy": currency}
        result = self._result(*self._call("RP0301", "1.0", sequence_number(intent), body))
        result.pop("data", None)
        return result

    def draw_down(self, line_id: str, amount_minor: int, currency: str, *, account: str,
                  purpose: str | None, intent: str) -> dict[str, Any]:
        seq = sequence_number(intent)
        tried: set[str] = set()
        while True:
            version = self.drawdown_version
            tried.add(version)
            body: dict[str, Any] = {"lineNo": line_id, "ccy": currency, "acctNo": account}
            if version == "2.0":
                body |= {"amount": str(amount_minor), "purposeCode": purpose or "WC01"}
            else:
                body["amount"] = env.yuan(amount_minor)
                if purpose:
                    body["purposeCode"] = purpose
            status, answer = self._call("DD0201", version, seq, body)
            if self._move_on(answer) and self.drawdown_version not in tried:
                continue
            result = self._result(status, answer)
            if result["outcome"] != "succeeded":
                return result
            booked = result.pop("data")
            if booked.get("ddStatus") == env.DRAWDOWN_STATUS["PENDING"]:
                return self._settle(str(booked.get("drawdownNo")))
            return self._drawdown_outcome(booked)

    def _settle(self, drawdown_id: str) -> dict[str, Any]:
        """Poll an accepted drawdown (DD0202) until it is settled, at most :data:`POLLS`
        times; still PENDING, or the gateway unable to say now, is ``pending``: the caller
        looks it up later."""
        for _ in range(POLLS):
            status, answer = self._call("DD0202", "1.0", self._read_seq(),
                                        {"drawdownNo": drawdown_id})
            if status >= 500:
                break
            result = self._result(status, answer)
            if result["outcome"] != "succeeded":
                return result
            outcome = self._drawdown_outcome(result["data"])
            if outcome["outcome"] != "pending":
                return outcome
            time.sleep(POLL_PAUSE_SECONDS)
        return {"outcome": "pending", "drawdownId": drawdown_id}

    @staticmethod
    def _drawdown_outcome(data: dict[str, Any]) -> dict[str, Any]:
        """A drawdown's outcome from its status: disbursed, pending, or rejected with the reason
        its ``rejectCode`` names."""
        status = env.DRAWDOWN_STATUS_NAME.get(data.get("ddStatus"), "UNKNOWN")
        outcome: dict[str, Any] = {"outcome": "succeeded", "drawdownId": data.get("drawdownNo")}
        if status == "PENDING":
            outcome["outcome"] = "pending"
        elif status != "DISBURSED":
            reason = env.REASONS.get(str(data.get("rejectCode")), "UNKNOWN")
            outcome |= {"outcome": "rejected", "reason": SAID_AS.get(reason, reason)}
        return outcome

    def _move_on(self, answer: dict[str, Any]) -> bool:
        """Whether the drawdown service version must change: retired (GW0410) or deprecated
        with a successor this connector speaks, or not offered (GW0404) by this release."""
        head = _head(answer)
        successor = (head.get("deprecation") or {}).get("successor")
        if successor in self.DRAWDOWN_VERSIONS and successor != self.drawdown_version:
            self.drawdown_version = successor
            return _ret_code(answer) == env.SERVICE_VERSION_RETIRED
        if _ret_code(answer) == env.NO_SUCH_SERVICE_VERSION:
            others = [v for v in self.DRAWDOWN_VERSIONS if v != self.drawdown_version]
            if others:
                self.drawdown_version = others[0]
                return True
        return False

    def get_drawdown(self, drawdown_id: str) -> dict[str, Any]:
        result = self._result(*self._call("DD0202", "1.0", self._read_seq(),
                                          {"drawdownNo": drawdown_id}))
        if result["outcome"] != "succeeded":
            return result
        data = result["data"]
        outcome = self._drawdown_outcome(data)
        outcome["drawdown"] = {"amount": env.fen_of_yuan(data["amount"]),
                               "status": env.DRAWDOWN_STATUS_NAME.get(data.get("ddStatus"),
                                                                      "UNKNOWN")}
        return outcome


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _head(answer: dict[str, Any]) -> dict[str, Any]:
    head = answer.get("sysHead")
    return head if isinstance(head, dict) else {}


def _ret_code(answer: dict[str, Any]) -> str | None:
    head = _head(answer)
    rets = head.get("ret") if isinstance(head.get("ret"), list) else []
    first = rets[0] if rets and isinstance(rets[0], dict) else {}
    code = first.get("retCode")
    return code if isinstance(code, str) else None


def _iso(day: str, clock: str) -> str:
    return datetime.strptime(day + clock, "%Y%m%d%H%M%S").replace(tzinfo=CST).isoformat()


def _wall_time() -> tuple[str, str]:
    """When the sign-on failed: the connector's own clock, in the bank's zone."""
    now = datetime.now(CST)
    return env.ymd(now), env.hms(now)
