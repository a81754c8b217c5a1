"""The catalogue and what single operators do to one exchange (no bank, no connector)."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from fake_core_bank.errors import InputError
from harness.mutate.operators import CATALOGUE, catalogue_digest, controls, requests, responses
from harness.mutate.operators.base import Forward, Operator, RunState
from harness.mutate.wire import Exchange, WireRequest, WireResponse
from harness.oracles import ORACLES
from harness.oracles.retry_discipline import MAX_SAME_REFUSAL

POST = WireRequest("POST", "/v2/credit-lines/CL000001/drawdowns", "",
                   (("idempotency-key", "k1"), ("content-type", "application/json")),
                   orjson.dumps({"amount": 57, "currency": "CNY",
                                 "beneficiaryAccount": "6222", "purposeCode": "WC01"}))
GET = WireRequest("GET", "/v2/credit-lines/CL000001", "", (), b"")


class Bank:
    """A forward that records what reached the bank and answers from a list (last one repeats)."""

    def __init__(self, *answers: WireResponse) -> None:
        self.answers = list(answers)
        self.seen: list[WireRequest] = []

    async def __call__(self, request: WireRequest) -> WireResponse:
        self.seen.append(request)
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def answer(status: int, body: object, *headers: tuple[str, str]) -> WireResponse:
    return WireResponse(status, (("content-type", "application/json"), *headers),
                        orjson.dumps(body))


def apply(op_id: str, request: WireRequest, forward: Forward,
          state: RunState | None = None) -> WireResponse:
    return asyncio.run(CATALOGUE[op_id].intercept(request, forward, state or RunState()))


def test_the_catalogue_has_twenty_operators_on_both_directions_and_three_controls() -> None:
    assert len(requests.OPERATORS) >= 10 and len(responses.OPERATORS) >= 10
    assert len(requests.OPERATORS) + len(responses.OPERATORS) >= 20
    assert [op.control for op in controls.OPERATORS] == [True, True, True]
    assert len(CATALOGUE) == len(requests.OPERATORS + responses.OPERATORS + controls.OPERATORS)


@pytest.mark.parametrize("op", list(CATALOGUE.values()), ids=lambda op: op.id)
def test_every_operator_is_described_and_names_registered_oracles(op: Operator) -> None:
    assert op.description and op.defect
    assert set(op.oracles) <= set(ORACLES)
    if not op.control:
        assert op.oracles and op.hole, "a mutant names who should kill it and what is missing"


def test_the_digest_is_stable_and_names_sha256() -> None:
    assert catalogue_digest() == catalogue_digest()
    assert catalogue_digest().startswith("sha256:")


def test_an_unknown_operator_is_refused_with_a_suggestion() -> None:
    from harness.mutate.operators import select

    with pytest.raises(InputError, match=r"--operators: unknown operator 'hamer-503'.*"
                                         r"did you mean 'hammer-503'"):
        select("hamer-503")
    assert [op.id for op in select("hammer-503, stale-read,hammer-503")] == [
        "hammer-503", "stale-read"]


def test_request_rewrites_reach_the_bank() -> None:
    bank = Bank(answer(201, {}))
    apply("drop-idempotency-key", POST, bank)
    apply("strip-purpose-code", POST, bank)
    apply("amount-through-float", POST, bank)
    apply("amount-in-major-units", POST, bank)
    first, second, third, fourth = bank.seen
    assert first.header("idempotency-key") is None
    assert "purposeCode" not in second.json()
    assert third.json()["amount"] == 56  # 0.57 * 100 in binary floating point
    assert fourth.json()["amount"] == 0
    apply("wrong-currency", POST, bank)
    assert bank.seen[-1].json()["currency"] == "USD"


def test_a_refusal_is_asked_again_until_the_oracle_limit_is_passed() -> None:
    bank = Bank(answer(422, {"reasonCode": "INSUFFICIENT_AVAILABLE"}))
    assert apply("retry-refusals", POST, bank).status == 422
    assert len(bank.seen) == 1 + requests.REPEATS
    assert len(bank.seen) > MAX_SAME_REFUSAL
    plain = Bank(answer(404, {"detail": "no reason code"}))
    apply("retry-refusals", GET, plain)
    assert len(plain.seen) == 1


def test_a_fresh_key_per_attempt_is_deterministic_per_run() -> None:
    bank = Bank(answer(201, {}))
    state = RunState()
    apply("new-key-every-attempt", POST, bank, state)
    apply("new-key-every-attempt", POST, bank, state)
    keys = [r.header("idempotency-key") for r in bank.seen]
    assert keys == ["k1-mutant-1", "k1-mutant-2"]


def test_resubmit_sends_a_booked_post_again_but_answers_the_first() -> None:
    bank = Bank(answer(201, {"drawdownId": "D1"}), answer(201, {"drawdownId": "D2"}))
    got = apply("resubmit-after-answer", POST, bank)
    assert got.json() == {"drawdownId": "D1"}
    assert [r.header("idempotency-key") for r in bank.seen] == ["k1", "k1-mutant-1"]


def test_a_conflict_is_resent_with_a_new_key() -> None:
    conflict = answer(409, {"reasonCode": "IDEMPOTENCY_CONFLICT"})
    bank = Bank(conflict, answer(201, {"drawdownId": "D2"}))
    assert apply("new-key-after-409", POST, bank).status == 201
    assert len(bank.seen) == 2
    locked = Bank(answer(409, {"reasonCode": "LINE_LOCKED"}))
    apply("new-key-after-409", POST, locked)
    assert len(locked.seen) == 1, "a lock is a 409 too, but no key conflict"


def test_hammer_retries_a_503_at_once_and_stops_when_it_clears() -> None:
    down = answer(503, {"reasonCode": "MAINTENANCE"}, ("retry-after", "5"))
    bank = Bank(down)
    assert apply("hammer-503", GET, bank).status == 503
    assert len(bank.seen) == 1 + requests.REPEATS
    cleared = Bank(down, answer(200, {}))
    assert apply("hammer-503", GET, cleared).status == 200
    assert len(cleared.seen) == 2


def test_response_rewrites_reach_the_connector() -> None:
    locked = answer(409, {"reasonCode": "LINE_LOCKED", "lockedUntil": "2026-01-01T00:00:00Z",
                          "detail": "额度处于特殊业务锁定期"}, ("retry-after", "3"))
    assert "lockedUntil" not in apply("strip-locked-until", GET, Bank(locked)).json()
    assert apply("locked-as-frozen", GET, Bank(locked)).json()["reasonCode"] == "LINE_FROZEN"
    assert "reasonCode" not in apply("drop-reason-code", GET, Bank(locked)).json()
    assert apply("reason-from-text", GET, Bank(locked)).json()["reasonCode"] == "LINE_LOCKED"
    varied = answer(409, {"reasonCode": "LINE_LOCKED", "detail": "锁定期内不允许提款（流水号1）"})
    assert apply("reason-from-text", GET, Bank(varied)).json()["reasonCode"] == "UNKNOWN"
    assert apply("strip-retry-after", GET, Bank(locked)).header("retry-after") is None
    pending = answer(202, {"drawdownId": "D1", "status": "PENDING"})
    assert apply("accepted-as-created", POST, Bank(pending)).status == 201
    assert apply("pending-as-disbursed", POST, Bank(pending)).json()["status"] == "DISBURSED"
    rejected = answer(200, {"drawdownId": "D1", "status": "REJECTED", "rejection": {}})
    assert apply("rejected-as-disbursed", POST, Bank(rejected)).json() == {
        "drawdownId": "D1", "status": "DISBURSED"}
    deprecated = answer(200, {}, ("deprecation", "@1"), ("sunset", "x"), ("link", "</v3>"))
    assert apply("strip-deprecation-headers", GET, Bank(deprecated)).headers == (
        ("content-type", "application/json"),)
    line = answer(200, {"limit": 100, "available": 40, "used": 60})
    assert apply("available-as-limit", GET, Bank(line)).json()["available"] == 100


def test_a_stale_read_serves_the_first_answer_again() -> None:
    state = RunState()
    first = apply("stale-read", GET, Bank(answer(200, {"status": "ACTIVE"})), state)
    again = apply("stale-read", GET, Bank(answer(200, {"status": "FROZEN"})), state)
    assert first.json() == again.json() == {"status": "ACTIVE"}


def test_pinning_keeps_the_first_version_prefix() -> None:
    bank = Bank(answer(200, {}))
    state = RunState()
    apply("pin-first-version", GET, bank, state)
    apply("pin-first-version", WireRequest("GET", "/v3/credit-lines/CL000001", "", (), b""),
          bank, state)
    assert [r.path for r in bank.seen] == ["/v2/credit-lines/CL000001"] * 2


def test_applicability_is_read_from_a_clean_runs_exchanges() -> None:
    def ex(method: str, path: str, status: int, body: object = None,
           key: str | None = None) -> Exchange:
        return Exchange(method, path, {"idempotency-key": key} if key else {}, None, status,
                        {}, body)

    once = [ex("POST", "/v2/x", 201, key="a"), ex("POST", "/v2/y", 201, key="b")]
    retried = [ex("POST", "/v2/x", None, key="a"), ex("POST", "/v2/x", 201, key="a")]  # type: ignore[arg-type]
    assert not CATALOGUE["new-key-every-attempt"].applicable(once)
    assert CATALOGUE["new-key-every-attempt"].applicable(retried)
    assert not CATALOGUE["pin-first-version"].applicable(once)
    assert CATALOGUE["pin-first-version"].applicable([*once, ex("GET", "/v3/z", 200)])
    same = [ex("GET", "/v2/l", 200, {"a": 1}), ex("GET", "/v2/l", 200, {"a": 1})]
    assert not CATALOGUE["stale-read"].applicable(same)
    assert CATALOGUE["stale-read"].applicable([*same, ex("GET", "/v2/l", 200, {"a": 2})])


def test_controls_change_form_not_meaning() -> None:
    body = {"b": 1, "a": {"y": 2, "x": [{"k": 1}]}}
    reordered = apply("control-reorder-keys", GET, Bank(answer(200, body))).json()
    assert reordered == body and list(reordered) == ["a", "b"]
    extended = apply("control-unknown-field", GET, Bank(answer(200, body))).json()
    assert extended["a"]["x"][0][controls.UNKNOWN_FIELD]
    headed = apply("control-unknown-header", GET, Bank(answer(200, body)))
    assert headed.header("x-drawbridge-unknown") == "1" and headed.json() == body
