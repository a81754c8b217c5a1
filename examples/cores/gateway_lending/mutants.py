"""Wire mutation operators that fit the gateway's envelope (docs/mutation.md, the interface of
``harness.mutate.operators``): each stands for an integration defect a connector of a service
gateway really has, and names the oracles expected to kill it.

``drawbridge mutate --operators`` chooses from Drawbridge's own catalogue, which has no way yet
for a core model to add its own (README.md, "Mutation"); ``OPERATORS`` here are run through
:func:`harness.mutate.session.mutate_profile`, the function behind that command.
"""

from __future__ import annotations

from typing import Any

from examples.cores.gateway_lending import envelope as env
from harness.mutate.operators.base import Operator, RunState, json_rewrite, on_request, on_response
from harness.mutate.wire import Exchange, WireRequest

#: the services that book: their consumerSeqNo is the idempotency key
BOOKINGS = ("DD0201", "RP0301")
#: a code no release of the gateway has: what a connector that ignores retCode knows of it
UNREAD = "XX9999"


def _service(e: Exchange) -> str:
    return e.path.rsplit("/", 1)[-1]


def _head_of(data: Any) -> dict[str, Any]:
    head = data.get("sysHead") if isinstance(data, dict) else None
    return head if isinstance(head, dict) else {}


def _booking(e: Exchange) -> bool:
    return e.method == "POST" and _service(e) in BOOKINGS \
        and isinstance(_head_of(e.request_body).get("consumerSeqNo"), str)


def _signed(e: Exchange) -> bool:
    return e.method == "POST" and "signature" in _head_of(e.request_body)


def _refused_inside_200(e: Exchange) -> bool:
    return e.status == 200 and _head_of(e.response_body).get("retStatus") == "F"


def _announces_deprecation(e: Exchange) -> bool:
    return "deprecation" in _head_of(e.response_body)


def _fresh_seq(request: WireRequest, state: RunState) -> WireRequest:
    data = request.json()
    head = _head_of(data)
    head["consumerSeqNo"] = f"{head['consumerSeqNo']}-m{state.next_serial()}"
    return request.with_json(data)


def _old_key(request: WireRequest, _state: RunState) -> WireRequest:
    data = request.json()
    old = env.CONSUMERS[str(_head_of(data).get("consumerId"))][0]
    _head_of(data).update(keyId=old.key_id, signature=env.sign(data.get("body"), old.secret))
    return request.with_json(data)


def _unread_code(data: Any) -> None:
    for ret in _head_of(data).get("ret") or []:
        ret["retCode"] = UNREAD


def _as_success(data: Any) -> None:
    _head_of(data).update(retStatus="S", ret=[{"retCode": env.SUCCESS, "retMsg": "交易成功"}])


def _no_deprecation(data: Any) -> None:
    _head_of(data).pop("deprecation", None)


def _known_consumer(e: Exchange) -> bool:
    return _signed(e) and str(_head_of(e.request_body).get("consumerId")) in env.CONSUMERS


OPERATORS: tuple[Operator, ...] = (
    Operator(
        "gw-fresh-seq-no", "a new consumerSeqNo on every attempt of a drawdown or repayment",
        "the sequence number is not the idempotency key: a retry after a lost answer books twice",
        ("no-double-disbursement", "ledger-total"),
        "lose an answer after the gateway booked (a retry must reuse consumerSeqNo)",
        _booking, on_request(_booking, _fresh_seq)),
    Operator(
        "gw-old-signing-key", "every request re-signed with the consumer's first key",
        "the signing key is configured once and never rotated on the announced date",
        ("expected-outcome",), "rotate the signing key (sysHead.keyRotation) during a scenario",
        _known_consumer, on_request(_known_consumer, _old_key)),
    Operator(
        "gw-ignore-ret-code", "a refusal's retCode replaced by one no release has",
        "the connector reads retStatus but not retCode: every refusal is UNKNOWN to its caller",
        ("expected-outcome", "reason-propagation"),
        "refuse a drawdown inside HTTP 200 for a reason the caller must act on",
        _refused_inside_200, on_response(_refused_inside_200, json_rewrite(_unread_code))),
    Operator(
        "gw-http-200-is-success", "every HTTP 200 answer made a success (retStatus S)",
        "the connector takes HTTP 200 for success: a refusal inside 200 is reported as done",
        ("expected-outcome", "truthful-outcome", "reason-propagation"),
        "refuse a drawdown inside HTTP 200 (a frozen or locked line)",
        _refused_inside_200, on_response(_refused_inside_200, json_rewrite(_as_success))),
    Operator(
        "gw-deaf-to-deprecation", "the head's deprecation notice of a service version removed",
        "the connector never reads the announced retirement of the service version it uses",
        ("expected-outcome",),
        "retire a service version the connector uses after announcing it (drawdown 1.0)",
        _announces_deprecation,
        on_response(_announces_deprecation, json_rewrite(_no_deprecation))),
)
