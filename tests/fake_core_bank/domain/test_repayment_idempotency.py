"""Repayments honour an Idempotency-Key like drawdowns do (v2/v3 contracts)."""

from __future__ import annotations

import pytest

from fake_core_bank.domain.bank import DrawdownRequest
from fake_core_bank.domain.model import Reason, Refusal
from tests.fake_core_bank.bank_testkit import make_core


def test_a_retried_repayment_with_its_key_books_once() -> None:
    core = make_core()
    line = next(iter(core.bank.lines.values()))
    account = core.bank.customers[line.customer_id].account_no
    core.bank.draw_down(DrawdownRequest(line.line_id, 50_000, "CNY", account))
    first, _ = core.bank.repay(line.line_id, 20_000, "CNY", idempotency_key="rp-1")
    again, replayed = core.bank.repay(line.line_id, 20_000, "CNY", idempotency_key="rp-1")
    assert again.repayment_id == first.repayment_id and replayed
    assert core.bank.get_line(line.line_id).used == 30_000
    with pytest.raises(Refusal) as caught:
        core.bank.repay(line.line_id, 10_000, "CNY", idempotency_key="rp-1")
    assert caught.value.reason is Reason.IDEMPOTENCY_CONFLICT
    without_key, _ = core.bank.repay(line.line_id, 10_000, "CNY")
    assert without_key.repayment_id != first.repayment_id
    assert core.bank.get_line(line.line_id).used == 20_000
