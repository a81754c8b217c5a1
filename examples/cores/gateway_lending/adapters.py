"""The gateway's two releases as Drawbridge adapters: the envelope in, the domain, the envelope out.

Every request is a POST of an envelope to ``/esb/<serviceCode>``. The adapter checks the head
(the service code matches the path, the service version is offered, the consumer is known, the
signature verifies with the key in force on the bank's business date), then runs the service in
the domain and answers ``{"sysHead": {retStatus S|F, ret: [{retCode, retMsg}], ...}, "body"}``.
A business refusal is HTTP 200 with ``retStatus`` F; maintenance, an upgrade and overload are 503
with a gateway code; a malformed envelope is 400 (GW4000).
"""

from __future__ import annotations

import copy
import hmac
from datetime import date, datetime
from typing import Any, ClassVar

from examples.cores.gateway_lending import envelope as env
from examples.cores.gateway_lending.evidence import evidence_of
from fake_core_bank.domain.bank import BANK_TZ, DrawdownRequest
from fake_core_bank.domain.model import (
    CreditLine,
    Drawdown,
    Reason,
    Refusal,
    Repayment,
    Wording,
)
from fake_core_bank.http.adapters.base import Adapter
from fake_core_bank.http.wire import JSON, Evidence, Reply, Request

#: refusals that are no business answer: the gateway could not serve now (HTTP status)
UNAVAILABLE = {Reason.MAINTENANCE: 503, Reason.READ_ONLY: 503, Reason.VERSION_UNAVAILABLE: 503,
               Reason.INTERNAL: 500}
MASK = "[masked]"


class Release1(Adapter):
    """Release r1: every service at version 1.0, amounts in yuan strings."""

    version = "r1"
    #: the sign-on tells the gateway's date: it answers during maintenance
    open_in_maintenance: ClassVar[frozenset[str]] = frozenset({"signOn"})
    #: inquiries are reads although every service is a POST: a READ_ONLY window serves them
    read_only_operations: ClassVar[frozenset[str]] = frozenset({"signOn", "getCreditLine",
                                                                "getDrawdown"})
    #: operationId -> the service versions this release offers
    offered: ClassVar[dict[str, tuple[str, ...]]] = {op: ("1.0",) for op in env.SERVICES}

    # -- one request ---------------------------------------------------------------------------
    def handle(self, request: Request) -> Reply:
        head = request.body["sysHead"]
        extra: dict[str, Any] = {}
        try:
            self._check_head(request, head)
            self._announce(request, head, extra)
            body = request.body["body"]
            request.path_params = {"lineId": body.get("lineNo", ""),
                                   "drawdownId": body.get("drawdownNo", "")}
            reply = super().handle(request)
        except Refusal as refusal:
            return self._refused(request, head, refusal, extra)
        reply.body = {"sysHead": {**self._head(request, head, "S", env.SUCCESS, "交易成功"),
                                  **extra}, "body": reply.body}
        return reply

    def _check_head(self, r: Request, head: dict[str, Any]) -> None:
        code = env.SERVICES[r.operation_id]
        if head["serviceCode"] != code:
            raise _gateway(Reason.INVALID_REQUEST, env.NO_SUCH_SERVICE_VERSION,
                           f"sysHead.serviceCode {head['serviceCode']} is not {code}")
        if head["serviceVersion"] not in self.offered[r.operation_id]:
            raise _gateway(Reason.NOT_FOUND, env.NO_SUCH_SERVICE_VERSION,
                           f"service {code} has no version {head['serviceVersion']} in "
                           f"release {self.version}")
        keys = env.CONSUMERS.get(head["consumerId"])
        if keys is None:
            raise _gateway(Reason.INVALID_REQUEST, env.UNKNOWN_CONSUMER,
                           f"consumer {head['consumerId']} is not registered")
        today = r.bank.core.business_date()
        signature = head["signature"]
        if _signed_by(env.key_in_force(keys, today).secret, r.body["body"], signature):
            return
        if any(_signed_by(k.secret, r.body["body"], signature) for k in keys):
            raise _gateway(Reason.INVALID_REQUEST, env.KEY_NOT_IN_FORCE,
                           "signed with a key that is not in force today")
        raise _gateway(Reason.INVALID_REQUEST, env.BAD_SIGNATURE, "the signature does not verify")

    def _announce(self, r: Request, head: dict[str, Any], extra: dict[str, Any]) -> None:
        """What this answer announces beyond its result (a deprecated service version)."""

    # -- the envelope of answers ---------------------------------------------------------------
    def _head(self, r: Request | None, head: dict[str, Any] | None, status: str, code: str,
              text: str) -> dict[str, Any]:
        out: dict[str, Any] = {"retStatus": status, "ret": [{"retCode": code, "retMsg": text}]}
        if head is not None:
            for name in ("serviceCode", "serviceVersion", "consumerSeqNo"):
                if isinstance(head.get(name), str):
                    out[name] = head[name]
        if r is not None:
            now = r.bank.core.now().astimezone(BANK_TZ)
            out["sysDate"], out["sysTime"] = env.ymd(now), env.hms(now)
            keys = env.CONSUMERS.get(str((head or {}).get("consumerId")))
            if keys:
                out["keyId"] = env.key_in_force(keys, now.date()).key_id
                upcoming = env.next_key(keys, now.date())
                if upcoming is not None:
                    out["keyRotation"] = {"keyId": upcoming.key_id,
                                          "effectiveDate": env.ymd(upcoming.effective)}
        return out

    def _refused(self, r: Request | None, head: dict[str, Any] | None, refusal: Refusal,
                 extra: dict[str, Any], wording: Wording | None = None,
                 retry_after: int | None = None) -> Reply:
        if wording is None:
            wording = refusal.wording or (r.bank.core.messages.wording(refusal.reason)
                                          if r is not None else Wording(refusal.detail))
        code = dict(refusal.extra).get("retCode") or env.RET_CODES[refusal.reason.value]
        text = wording.detail
        if code in (env.BAD_SIGNATURE, env.KEY_NOT_IN_FORCE, env.UNKNOWN_CONSUMER):
            text = f"验签失败：{text}"
        out = {**self._head(r, head, "F", code, text), **extra}
        headers: dict[str, str] = {}
        if refusal.locked_until is not None and refusal.reason is Reason.LINE_LOCKED:
            until = refusal.locked_until.astimezone(BANK_TZ)
            out["lockEndDate"], out["lockEndTime"] = env.ymd(until), env.hms(until)
        if retry_after is not None:
            out["retryAfter"] = retry_after
            headers["retry-after"] = str(retry_after)
        return Reply(UNAVAILABLE.get(refusal.reason, 200), {"sysHead": out, "body": {}}, JSON,
                     headers, reason=refusal.reason.value)

    # -- what the app asks of every adapter ----------------------------------------------------
    def refusal(self, refusal: Refusal, wording: Wording, instance: str,
                retry_after: int | None) -> Reply:
        """A refusal before the envelope was read (maintenance, an upgrade, a fault)."""
        return self._refused(None, None, refusal, {}, wording, retry_after)

    def invalid(self, problems: list[tuple[str, str]], wording: Wording,
                instance: str) -> Reply:
        where = "; ".join(f"{field}: {message}" for field, message in problems[:5])
        body = {"sysHead": self._head(None, None, "F", env.GARBAGE,
                                      f"报文格式错误：{wording.detail}（{where}）"), "body": {}}
        return Reply(400, body, JSON, reason=Reason.INVALID_REQUEST.value)

    def deprecation_headers(self, since: datetime, sunset: datetime,
                            successor: str | None) -> dict[str, str]:
        """Releases replace each other (no release is deprecated beside a newer one): a
        deprecated service version is announced in the answer's head instead."""
        return {}

    def minor_release(self, reply: Reply) -> None:
        """A minor release adds a field the contract does not list to the answer's body."""
        if isinstance(reply.body, dict) and isinstance(reply.body.get("body"), dict):
            reply.body["body"]["riskLevel"] = "R2"

    def journal_body(self, body: Any) -> Any:
        """The request as the journal keeps it: the signature masked (a credential)."""
        if isinstance(body, dict) and isinstance(body.get("sysHead"), dict) \
                and "signature" in body["sysHead"]:
            body = copy.deepcopy(body)
            body["sysHead"]["signature"] = MASK
        return body

    def evidence(self, entry: dict[str, Any]) -> Evidence:
        return evidence_of(entry)

    # -- rendering -----------------------------------------------------------------------------
    def line(self, line: CreditLine) -> dict[str, Any]:
        out: dict[str, Any] = {
            "lineNo": line.line_id, "custNo": line.customer_id, "ccy": line.currency,
            "lineAmt": env.yuan(line.limit), "usedAmt": env.yuan(line.used),
            "availAmt": env.yuan(line.available), "lineStatus": env.LINE_STATUS[line.status.value],
            "expireDate": env.ymd(line.expires_on),
        }
        if line.locked_until is not None:
            until = line.locked_until.astimezone(BANK_TZ)
            out["lockEndDate"], out["lockEndTime"] = env.ymd(until), env.hms(until)
        return out

    def drawdown(self, d: Drawdown) -> dict[str, Any]:
        """A drawdown; a rejected one (settled after the line changed) says why in
        ``rejectCode``, the retCode its refusal would have had."""
        out = {"drawdownNo": d.drawdown_id, "lineNo": d.line_id, "amount": env.yuan(d.amount),
               "ccy": d.currency, "ddStatus": env.DRAWDOWN_STATUS[d.status.value],
               "tranDate": env.ymd(d.created_at.astimezone(BANK_TZ))}
        if d.rejection is not None:
            out["rejectCode"] = env.RET_CODES[d.rejection.reason.value]
            out["rejectMsg"] = (d.rejection.wording or Wording(d.rejection.detail)).detail
        return out

    @staticmethod
    def repayment(p: Repayment) -> dict[str, Any]:
        return {"repayNo": p.repayment_id, "lineNo": p.line_id, "amount": env.yuan(p.amount),
                "ccy": p.currency}

    # -- services ------------------------------------------------------------------------------
    def signOn(self, r: Request) -> Reply:  # noqa: N802 -- named after the operationId
        """The gateway's business date (the head carries its date, time and key in force)."""
        return Reply(200, {"workDate": env.ymd(r.bank.core.business_date())})

    def activateCreditLine(self, r: Request) -> Reply:  # noqa: N802 -- named after the operationId
        return Reply(200, self.line(r.bank.core.activate(r.path_params["lineId"])))

    def amount(self, r: Request) -> int:
        """The drawdown's amount in fen, from this service version's wire form."""
        return env.fen_of_yuan(r.body["body"]["amount"])

    def createDrawdown(self, r: Request) -> Reply:  # noqa: N802
        body = r.body["body"]
        request = DrawdownRequest(
            line_id=body["lineNo"], amount=self.amount(r), currency=body["ccy"],
            beneficiary_account=body["acctNo"], purpose_code=body.get("purposeCode"),
            idempotency_key=r.body["sysHead"]["consumerSeqNo"],
            asynchronous=self.settles_later(r))
        drawdown, replayed = self.draw_down(r, request)
        return self.booked(Reply(200, self.booked_drawdown(r, drawdown)), drawdown, replayed)

    def settles_later(self, r: Request) -> bool:
        """Whether this drawdown is accepted now and settled later (r1: never)."""
        return False

    def booked_drawdown(self, r: Request, d: Drawdown) -> dict[str, Any]:
        return self.drawdown(d)

    def createRepayment(self, r: Request) -> Reply:  # noqa: N802
        body = r.body["body"]
        repayment, replayed = r.bank.core.repay(body["lineNo"], env.fen_of_yuan(body["amount"]),
                                                body["ccy"], r.body["sysHead"]["consumerSeqNo"])
        return self.booked(Reply(200, self.repayment(repayment)), repayment, replayed)


class Release2(Release1):
    """Release r2: drawdown DD0201 at service version 2.0 (fen as an integer string, purposeCode
    required, settled asynchronously: accepted ``ddStatus`` 02, settled when the drawdown
    inquiry polls it or in the bank's settlement run, a rejection's reason in ``rejectCode``);
    1.0 still served, synchronous and deprecated, until :attr:`retires` (then GW0410)."""

    version = "r2"
    #: a 2.0 drawdown is PENDING until polled (DD0202) or settled by the bank's settlement run
    settles_on_read = False
    offered: ClassVar[dict[str, tuple[str, ...]]] = {**Release1.offered,
                                                     "createDrawdown": ("1.0", "2.0")}
    #: the bank's business date from which drawdown 1.0 is refused (announced in its answers)
    retires = date(2026, 7, 1)

    def _announce(self, r: Request, head: dict[str, Any], extra: dict[str, Any]) -> None:
        if r.operation_id != "createDrawdown" or head["serviceVersion"] != "1.0":
            return
        extra["deprecation"] = {"serviceVersion": "1.0", "retireDate": env.ymd(self.retires),
                                "successor": "2.0"}
        if r.bank.core.business_date() >= self.retires:
            raise _gateway(Reason.VERSION_RETIRED, env.SERVICE_VERSION_RETIRED,
                           f"drawdown service version 1.0 retired on {self.retires}")

    def settles_later(self, r: Request) -> bool:
        return bool(r.body["sysHead"]["serviceVersion"] == "2.0")

    def amount(self, r: Request) -> int:
        if r.body["sysHead"]["serviceVersion"] == "2.0":
            return int(r.body["body"]["amount"])
        return super().amount(r)

    def booked_drawdown(self, r: Request, d: Drawdown) -> dict[str, Any]:
        out = self.drawdown(d)
        if r.body["sysHead"]["serviceVersion"] == "2.0":
            out["amount"] = str(d.amount)
        return out


def _gateway(reason: Reason, code: str, detail: str) -> Refusal:
    """A refusal with the gateway's own retCode (not the reason's business one)."""
    return Refusal(reason, detail, extra=(("retCode", code),))


def _signed_by(secret: str, body: Any, signature: str) -> bool:
    return hmac.compare_digest(env.sign(body, secret), signature)
