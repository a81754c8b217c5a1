"""Operators on what the connector sends: keys, retries, fields, amounts, versions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from harness.mutate.operators.base import (
    Forward,
    Operator,
    RunState,
    on_request,
)
from harness.mutate.wire import Exchange, WireRequest, WireResponse

KEY = "idempotency-key"
REPEATS = 3  # extra requests of the "at once" retry operators: one more than any oracle allows


def _keyed_post(e: Exchange) -> bool:
    return e.method == "POST" and KEY in e.request_headers


def _body(e: Exchange) -> dict[str, Any]:
    return e.request_body if isinstance(e.request_body, dict) else {}


def _retried_post(exchanges: Sequence[Exchange]) -> bool:
    keys = Counter(e.request_headers[KEY] for e in exchanges if _keyed_post(e))
    return any(count > 1 for count in keys.values())


def _new_key(request: WireRequest, state: RunState) -> WireRequest:
    return request.with_header(KEY, f"{request.header(KEY)}-mutant-{state.next_serial()}")


async def _new_key_after_conflict(request: WireRequest, forward: Forward,
                                  state: RunState) -> WireResponse:
    response = await forward(request)
    if _conflict(Exchange.live(request, response)):
        response = await forward(_new_key(request, state))
    return response


def _conflict(e: Exchange) -> bool:
    body = e.response_body if isinstance(e.response_body, dict) else {}
    return _keyed_post(e) and e.status == 409 \
        and body.get("reasonCode") == "IDEMPOTENCY_CONFLICT"


def _booked(e: Exchange) -> bool:
    return _keyed_post(e) and e.status is not None and 200 <= e.status < 300


async def _resubmit(request: WireRequest, forward: Forward, state: RunState) -> WireResponse:
    response = await forward(request)
    if _booked(Exchange.live(request, response)):
        await forward(_new_key(request, state))  # the double submit; its answer goes nowhere
    return response


def _unavailable(e: Exchange) -> bool:
    return e.status == 503


def _refused(e: Exchange) -> bool:
    body = e.response_body if isinstance(e.response_body, dict) else {}
    return e.status is not None and 400 <= e.status < 500 and "reasonCode" in body


def _asking_again(touches: Any) -> Any:
    async def intercept(request: WireRequest, forward: Forward, _state: RunState) -> WireResponse:
        response = await forward(request)
        for _ in range(REPEATS):
            if not touches(Exchange.live(request, response)):
                break
            response = await forward(request)
        return response

    return intercept


def _has_purpose(e: Exchange) -> bool:
    return "purposeCode" in _body(e)


def _strip_purpose(request: WireRequest, _state: RunState) -> WireRequest:
    body = request.json()
    del body["purposeCode"]
    return request.with_json(body)


def _through_float(minor: int) -> int:
    """What ``int(yuan * 100)`` makes of an amount a connector held as a float of yuan."""
    return int(float(f"{minor // 100}.{minor % 100:02d}") * 100)


def _minor_amount(e: Exchange) -> int | None:
    amount = _body(e).get("amount")
    return amount if isinstance(amount, int) and not isinstance(amount, bool) else None


def _float_lossy(e: Exchange) -> bool:
    amount = _minor_amount(e)
    return amount is not None and amount >= 0 and _through_float(amount) != amount


def _rewrite_amount(change: Any) -> Any:
    def rewrite(request: WireRequest, _state: RunState) -> WireRequest:
        body = request.json()
        body["amount"] = change(body["amount"])
        return request.with_json(body)

    return rewrite


def _whole_yuan(e: Exchange) -> bool:
    amount = _minor_amount(e)
    return amount is not None and amount // 100 != amount


def _has_currency(e: Exchange) -> bool:
    return _body(e).get("currency") == "CNY"


def _wrong_currency(request: WireRequest, _state: RunState) -> WireRequest:
    return request.with_json({**request.json(), "currency": "USD"})


def _versions_move(exchanges: Sequence[Exchange]) -> bool:
    return len({e.version for e in exchanges}) > 1


def _pin(request: WireRequest, state: RunState) -> WireRequest:
    first = state.data.setdefault("first-version", request.version)
    if request.version == first:
        return request
    return request.with_route(f"/{first}/{request.route[1:].partition('/')[2]}")


def _any(_e: Exchange) -> bool:
    return True


OPERATORS = (
    Operator("drop-idempotency-key", "send POSTs without their Idempotency-Key",
             "idempotency: no key", ("request-conformance", "no-double-disbursement"),
             "require an Idempotency-Key on a POST the connector sends",
             _keyed_post, on_request(_keyed_post, lambda r, _s: r.without_headers(KEY))),
    Operator("new-key-every-attempt", "give every attempt of a POST a fresh Idempotency-Key",
             "idempotency: key per attempt, not per intent", ("no-double-disbursement",),
             "lose or fail the answer to a POST so the connector retries it (and the retry "
             "would book twice)", _keyed_post, on_request(_keyed_post, _new_key),
             applies=_retried_post),
    Operator("new-key-after-409", "after a 409 IDEMPOTENCY_CONFLICT, send the POST again with a "
             "new key", "idempotency: conflict 'resolved' by a new key",
             ("no-double-disbursement", "expected-outcome"),
             "answer 409 IDEMPOTENCY_CONFLICT (one key reused with a different body)",
             _conflict, _new_key_after_conflict),
    Operator("resubmit-after-answer", "send a booked POST once more, with a new key, after its "
             "2xx answer", "double submission", ("no-double-disbursement", "ledger-total"),
             "book a keyed POST (a drawdown or repayment that succeeds)", _booked, _resubmit),
    Operator("hammer-503", f"retry a 503 at once, {REPEATS} times, before passing it on",
             "retries: Retry-After ignored", ("retry-discipline",),
             "answer 503 with a Retry-After", _unavailable, _asking_again(_unavailable)),
    Operator("retry-refusals", f"ask {REPEATS} more times whenever the bank refuses with a "
             "reason (4xx)", "retries: a refusal retried as if transient", ("retry-discipline",),
             "refuse an operation with a 4xx reasonCode", _refused, _asking_again(_refused)),
    Operator("strip-purpose-code", "drop purposeCode from request bodies",
             "optional field the policy requires left out",
             ("request-conformance", "expected-outcome"),
             "require a purposeCode the connector was given (a policy or the contract)",
             _has_purpose, on_request(_has_purpose, _strip_purpose)),
    Operator("amount-through-float", "send int(yuan * 100) of a float, as a connector holding "
             "yuan in a float does", "money: binary floating point", ("amount-fidelity",),
             "book an amount binary floating point cannot hold (e.g. 0.57 yuan)",
             _float_lossy, on_request(_float_lossy, _rewrite_amount(_through_float))),
    Operator("amount-in-major-units", "send amounts in whole yuan where the contract says fen",
             "money: unit confusion", ("amount-fidelity", "expected-outcome"),
             "move money (a drawdown or repayment of at least 1 yuan)",
             _whole_yuan, on_request(_whole_yuan, _rewrite_amount(lambda a: a // 100))),
    Operator("wrong-currency", "send every amount as USD (a hard-coded currency)",
             "money: currency hard-coded", ("request-conformance", "expected-outcome"),
             "move money in CNY", _has_currency, on_request(_has_currency, _wrong_currency)),
    Operator("pin-first-version", "keep the version prefix the connector used first, whatever "
             "it learns later", "versions: successor never followed",
             ("expected-outcome", "reason-propagation"),
             "move the connector to another contract version mid-run (a retirement with a "
             "successor-version link)", _any, on_request(_any, _pin), applies=_versions_move),
)
