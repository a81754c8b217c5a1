"""Money, idempotency, repayments and v3's asynchronous settlement on the domain core."""

from __future__ import annotations

import pytest

from fake_core_bank.domain.model import DrawdownStatus, LineStatus, Reason, Refusal
from fake_core_bank.http.wire import yuan
from tests.fake_core_bank.bank_testkit import ACCOUNT, LIMIT, make_core


@pytest.mark.parametrize("amount", [0, -1, -LIMIT])
def test_zero_and_negative_amounts_are_refused_naming_the_amount(amount):
    core = make_core()
    with pytest.raises(Refusal) as refused:
        core.bank.draw_down(core.request(amount))
    assert (refused.value.reason, refused.value.field) == (Reason.INVALID_REQUEST, "amount")
    assert core.line.used == 0


def test_the_whole_available_amount_can_be_drawn_and_one_fen_more_cannot():
    core = make_core(used=1_00)
    with pytest.raises(Refusal) as refused:
        core.bank.draw_down(core.request(LIMIT - 1_00 + 1))
    assert refused.value.reason is Reason.INSUFFICIENT_AVAILABLE
    drawdown, _ = core.bank.draw_down(core.request(LIMIT - 1_00))
    assert drawdown.amount == LIMIT - 1_00
    assert (core.line.used, core.line.available) == (LIMIT, 0)


def test_amounts_stay_exact_integers_in_minor_units():
    core = make_core()
    for amount in (1, 1, 33, 99_999_99):
        core.bank.draw_down(core.request(amount))
    assert core.line.used == 1 + 1 + 33 + 99_999_99
    assert isinstance(core.line.used, int)
    assert yuan(core.line.used) == "100000.34"
    assert yuan(core.line.available) == "199999.66"


def test_a_currency_other_than_the_lines_is_refused():
    core = make_core()
    request = core.request(100)
    with pytest.raises(Refusal) as refused:
        core.bank.draw_down(type(request)(**{**request.__dict__, "currency": "USD"}))
    assert refused.value.field == "currency"


def test_same_key_same_body_replays_the_first_drawdown_and_books_once():
    core = make_core()
    first, replayed_first = core.bank.draw_down(core.request(500_00, "erp-1"))
    again, replayed_again = core.bank.draw_down(core.request(500_00, "erp-1"))
    assert (replayed_first, replayed_again) == (False, True)
    assert again is first
    assert core.line.used == 500_00
    assert list(core.bank.drawdowns) == [first.drawdown_id]


@pytest.mark.parametrize("change", [
    {"amount": 500_01}, {"account": "6222000099998888"}, {"purpose": "WC01"},
    {"line_id": "CL000002"},
])
def test_same_key_other_body_is_an_idempotency_conflict(change):
    core = make_core()
    core.bank.draw_down(core.request(500_00, "erp-1"))
    amount = change.pop("amount", 500_00)
    with pytest.raises(Refusal) as refused:
        core.bank.draw_down(core.request(amount, "erp-1", **change))
    assert refused.value.reason is Reason.IDEMPOTENCY_CONFLICT
    assert refused.value.field == "Idempotency-Key"
    assert core.line.used == 500_00
    assert len(core.bank.drawdowns) == 1


def test_a_replay_answers_even_after_the_line_froze():
    # The first answer is the answer: a retry must not turn a booked drawdown into a refusal.
    core = make_core()
    first, _ = core.bank.draw_down(core.request(500_00, "erp-1"))
    core.bank.set_status(core.line_id, LineStatus.FROZEN)
    again, replayed = core.bank.draw_down(core.request(500_00, "erp-1"))
    assert replayed and again.drawdown_id == first.drawdown_id


def test_a_refused_drawdown_does_not_consume_its_key():
    core = make_core()
    core.bank.set_status(core.line_id, LineStatus.FROZEN)
    with pytest.raises(Refusal):
        core.bank.draw_down(core.request(500_00, "erp-1"))
    core.bank.set_status(core.line_id, LineStatus.ACTIVE)
    drawdown, replayed = core.bank.draw_down(core.request(500_00, "erp-1"))
    assert not replayed and drawdown.status is DrawdownStatus.DISBURSED


def test_repayments_revolve_the_line():
    core = make_core()
    core.bank.draw_down(core.request(LIMIT))
    with pytest.raises(Refusal):
        core.bank.draw_down(core.request(1))
    repayment, _ = core.bank.repay(core.line_id, 100_000_00, "CNY")
    assert repayment.repayment_id == "RP00000001"
    assert core.line.available == 100_000_00
    drawdown, _ = core.bank.draw_down(core.request(100_000_00))
    assert drawdown.amount == 100_000_00 and core.line.available == 0


@pytest.mark.parametrize(("amount", "currency", "field"), [
    (0, "CNY", "amount"), (-5, "CNY", "amount"), (1, "CNY", "amount"), (1, "USD", "currency"),
])
def test_bad_repayments_are_refused_naming_the_field(amount, currency, field):
    core = make_core()  # nothing drawn: any positive repayment exceeds what is outstanding
    with pytest.raises(Refusal) as refused:
        core.bank.repay(core.line_id, amount, currency)
    assert (refused.value.reason, refused.value.field) == (Reason.INVALID_REQUEST, field)


def test_repaying_a_frozen_line_is_allowed():
    core = make_core(used=1000_00)
    core.bank.set_status(core.line_id, LineStatus.FROZEN)
    core.bank.repay(core.line_id, 1000_00, "CNY")
    assert core.line.used == 0


def test_an_asynchronous_drawdown_reserves_the_amount_and_settles_when_polled():
    core = make_core(settle_after_polls=2)
    drawdown, _ = core.bank.draw_down(core.request(500_00, "k", asynchronous=True))
    assert drawdown.status is DrawdownStatus.PENDING and drawdown.settled_at is None
    assert core.line.used == 500_00  # reserved while pending
    assert core.bank.get_drawdown(drawdown.drawdown_id).status is DrawdownStatus.PENDING
    assert core.bank.get_drawdown(drawdown.drawdown_id, poll=True).status is DrawdownStatus.PENDING
    settled = core.bank.get_drawdown(drawdown.drawdown_id, poll=True)
    assert settled.status is DrawdownStatus.DISBURSED
    assert settled.settled_at == core.bank.now()
    assert core.line.used == 500_00


@pytest.mark.parametrize(("status", "reason"), [
    (LineStatus.FROZEN, Reason.LINE_FROZEN), (LineStatus.SUSPENDED, Reason.LINE_SUSPENDED),
])
def test_a_line_blocked_before_settlement_rejects_the_drawdown_and_releases_it(status, reason):
    core = make_core()
    drawdown, _ = core.bank.draw_down(core.request(500_00, "k", asynchronous=True))
    core.bank.set_status(core.line_id, status)
    settled = core.bank.get_drawdown(drawdown.drawdown_id, poll=True)
    assert settled.status is DrawdownStatus.REJECTED
    assert settled.rejection is not None and settled.rejection.reason is reason
    assert core.line.used == 0
    # Polling again changes nothing: the release happens once.
    core.bank.get_drawdown(drawdown.drawdown_id, poll=True)
    assert core.line.used == 0


def test_a_pending_reservation_cannot_be_repaid():
    # Money that was never disbursed cannot be repaid; otherwise a rejection at settlement
    # would release it a second time and take `used` below zero.
    core = make_core()
    drawdown, _ = core.bank.draw_down(core.request(500_00, "k", asynchronous=True))
    with pytest.raises(Refusal) as refused:
        core.bank.repay(core.line_id, 500_00, "CNY")
    assert refused.value.field == "amount"
    core.bank.set_status(core.line_id, LineStatus.FROZEN)
    core.bank.get_drawdown(drawdown.drawdown_id, poll=True)
    assert core.line.used == 0


def test_an_external_drawdown_uses_the_line_without_a_key():
    core = make_core()
    external = core.bank.external_drawdown(core.line_id, 1000_00)
    assert (external.channel, external.status) == ("external", DrawdownStatus.DISBURSED)
    assert external.beneficiary_account == ACCOUNT
    assert core.line.used == 1000_00
    with pytest.raises(Refusal) as refused:
        core.bank.external_drawdown(core.line_id, LIMIT)
    assert refused.value.reason is Reason.INSUFFICIENT_AVAILABLE


def test_drawdowns_carry_the_running_operation_for_the_double_disbursement_oracle():
    core = make_core()
    core.bank.operation = "pay-supplier-1"
    tagged, _ = core.bank.draw_down(core.request(100))
    core.bank.operation = None
    untagged, _ = core.bank.draw_down(core.request(100))
    assert (tagged.operation, untagged.operation) == ("pay-supplier-1", None)
