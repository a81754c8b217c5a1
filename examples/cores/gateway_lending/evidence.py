"""What a journaled exchange with the gateway meant, in the domain's words (the oracles read
this, never the envelope): :func:`evidence_of` serves both releases' adapters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from examples.cores.gateway_lending import envelope as env
from fake_core_bank.domain.bank import BANK_TZ
from fake_core_bank.http.wire import Evidence

LINE_SERVICES = ("getCreditLine", "activateCreditLine")
DRAWDOWN_SERVICES = ("createDrawdown", "getDrawdown")
#: scenario operation -> the service (operationId) that performs it (``CoreModel.operations``)
OPERATIONS = {"get-line": "getCreditLine", "draw-down": "createDrawdown",
              "get-drawdown": "getDrawdown", "activate": "activateCreditLine",
              "repay": "createRepayment"}
ACTIONS = {operation_id: action for action, operation_id in OPERATIONS.items()}


def evidence_of(entry: dict[str, Any]) -> Evidence:
    request = _mapping(entry.get("request_body"))
    asked = _mapping(request.get("sysHead"))
    seq = asked.get("consumerSeqNo") if isinstance(asked.get("consumerSeqNo"), str) else None
    status = entry.get("status")
    if status is None:
        return Evidence("none", idempotency_key=seq, said="no answer")
    answer = _mapping(entry.get("response_body"))
    head = _mapping(answer.get("sysHead"))
    rets = head.get("ret") if isinstance(head.get("ret"), list) else []
    ret = _mapping(rets[0] if rets else None)
    code = ret.get("retCode") if isinstance(ret.get("retCode"), str) else None
    text = ret.get("retMsg") if isinstance(ret.get("retMsg"), str) else None
    reason = entry.get("reason") or (env.REASONS.get(code) if code else None)
    said = f"{status} {head.get('retStatus', '-')}/{code or '-'}"
    common: dict[str, Any] = {"code": code, "text": text, "idempotency_key": seq, "said": said,
                              "action": ACTIONS.get(str(entry.get("operation_id"))),
                              "code_field": "retCode" if code else None,
                              "unambiguous": code in env.REASONS}
    if status >= 500:
        retry = head.get("retryAfter")
        return Evidence("unavailable", reason, retry_after=float(retry)
                        if isinstance(retry, int) else None, **common)
    if status >= 400:
        return Evidence("invalid", reason or "INVALID_REQUEST", **common)
    if head.get("retStatus") == "S":
        return _done(entry.get("operation_id"), asked, _mapping(answer.get("body")), common)
    if code == env.SERVICE_VERSION_RETIRED:
        successor = _mapping(head.get("deprecation")).get("successor")
        return Evidence("retired", reason, successor=successor, **common)
    outcome = "invalid" if reason == "INVALID_REQUEST" and code and code.startswith("GW") \
        else "refused"
    return Evidence(outcome, reason, locked_until=_lock_end(head), **common)


def _done(operation: Any, asked: dict[str, Any], body: dict[str, Any],
          common: dict[str, Any]) -> Evidence:
    """A done service: a drawdown still PENDING was only accepted (r2's drawdown 2.0, settled
    later); a drawdown shown REJECTED carries its reason (``rejectCode``)."""
    resource = _resource(operation, asked, body)
    status = (resource or {}).get("drawdown", {}).get("status")
    reject = body.get("rejectCode")
    reason = env.REASONS.get(reject) if isinstance(reject, str) and status == "REJECTED" \
        else None
    outcome = "accepted" if operation == "createDrawdown" and status == "PENDING" else "success"
    return Evidence(outcome, reason, resource=resource, **common)


def _resource(operation: Any, asked: dict[str, Any], body: dict[str, Any]) -> dict[str, Any] | None:
    """The answer's resource in domain terms (amounts in fen), or None when it names none."""
    try:
        if operation in LINE_SERVICES:
            return {"line": {"status": env.LINE_STATUS_NAME.get(body["lineStatus"], "UNKNOWN"),
                             "limit": env.fen_of_yuan(body["lineAmt"]),
                             "used": env.fen_of_yuan(body["usedAmt"]),
                             "available": env.fen_of_yuan(body["availAmt"]),
                             "currency": body["ccy"]}}
        if operation in DRAWDOWN_SERVICES:
            amount = body["amount"]
            fen = (int(amount) if operation == "createDrawdown"
                   and asked.get("serviceVersion") == "2.0" else env.fen_of_yuan(amount))
            return {"drawdown": {"drawdownId": body["drawdownNo"], "amount": fen,
                                 "status": env.DRAWDOWN_STATUS_NAME.get(body["ddStatus"],
                                                                        "UNKNOWN")}}
    except (KeyError, TypeError, ValueError):
        return None
    return None


def _lock_end(head: dict[str, Any]) -> str | None:
    """The lock's end as ISO 8601 in the bank's time zone, from lockEndDate and lockEndTime."""
    day, time = head.get("lockEndDate"), head.get("lockEndTime", "000000")
    if not isinstance(day, str) or not isinstance(time, str):
        return None
    try:
        moment = datetime.strptime(day + time, "%Y%m%d%H%M%S").replace(tzinfo=BANK_TZ)
    except ValueError:
        return None
    return moment.isoformat(timespec="seconds")


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
