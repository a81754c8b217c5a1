"""A stateful property test of the ledger: random drawdowns, retries, repayments, state changes.

Whatever the order, the line is never drawn beyond its limit or below zero, ``used`` is exactly
what the drawdowns and repayments add up to, and an idempotency key books at most once.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from fake_core_bank.domain.model import DrawdownStatus, LineStatus, Reason, Refusal
from tests.fake_core_bank.bank_testkit import ACCOUNT, LIMIT, make_core

pytestmark = pytest.mark.slow

KEYS = ("erp-1", "erp-2", "erp-3", "erp-4")
ACCOUNTS = (ACCOUNT, "6222000099998888")
# Amounts around the interesting edges: one fen, round sums, most of the line, all of it.
AMOUNTS = st.one_of(st.integers(-2, 3), st.sampled_from([100_000_00, LIMIT - 1, LIMIT]),
                    st.integers(1, LIMIT + 1))


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.core = make_core(limit=LIMIT)
        self.bank = self.core.bank
        #: what the test expects each key to have booked: key -> (body, drawdown id)
        self.booked: dict[str, tuple[tuple[object, ...], str]] = {}

    @rule(amount=AMOUNTS, key=st.none() | st.sampled_from(KEYS),
          account=st.sampled_from(ACCOUNTS), asynchronous=st.booleans())
    def draw_down(self, amount, key, account, asynchronous):
        request = self.core.request(amount, key, account=account, asynchronous=asynchronous)
        before = self.bank.get_line(self.core.line_id).used
        try:
            drawdown, replayed = self.bank.draw_down(request)
        except Refusal as refusal:
            assert self.bank.get_line(self.core.line_id).used == before
            if key in self.booked and self.booked[key][0] != request.fingerprint():
                assert refusal.reason is Reason.IDEMPOTENCY_CONFLICT
            else:
                assert refusal.reason is not Reason.IDEMPOTENCY_CONFLICT
                assert key not in self.booked
            return
        if key in self.booked:
            assert replayed and self.booked[key] == (request.fingerprint(), drawdown.drawdown_id)
            assert self.bank.get_line(self.core.line_id).used == before
        else:
            assert not replayed and drawdown.amount == amount
            if key is not None:
                self.booked[key] = (request.fingerprint(), drawdown.drawdown_id)

    @precondition(lambda self: any(d.status is DrawdownStatus.PENDING
                                   for d in self.bank.drawdowns.values()))
    @rule(data=st.data())
    def poll(self, data):
        pending = [i for i, d in self.bank.drawdowns.items() if d.status is DrawdownStatus.PENDING]
        drawdown = self.bank.get_drawdown(data.draw(st.sampled_from(pending)), poll=True)
        assert drawdown.status is not DrawdownStatus.PENDING  # settle_after_polls=1

    @rule(data=st.data())
    def repay(self, data):
        # Repay everything, one drawdown's amount, or anything: the edges are where bugs are.
        used = self.bank.get_line(self.core.line_id).used
        amounts = sorted({d.amount for d in self.bank.drawdowns.values()}) or [1]
        amount = data.draw(st.one_of(st.just(used), st.sampled_from(amounts),
                                     st.integers(-1, LIMIT)))
        try:
            self.bank.repay(self.core.line_id, amount, "CNY")
        except Refusal as refusal:
            assert refusal.field == "amount"

    @rule(status=st.sampled_from([LineStatus.FROZEN, LineStatus.SUSPENDED, LineStatus.ACTIVE]))
    def set_status(self, status):
        if self.bank.get_line(self.core.line_id).status is not LineStatus.EXPIRED:
            self.bank.set_status(self.core.line_id, status)

    @rule(hours=st.integers(1, 48))
    def lock(self, hours):
        if self.bank.get_line(self.core.line_id).status is not LineStatus.EXPIRED:
            self.bank.set_status(self.core.line_id, LineStatus.LOCKED,
                                 locked_until=self.bank.now() + timedelta(hours=hours))

    @rule(amount=st.integers(1, LIMIT))
    def external_drawdown(self, amount):
        try:
            self.bank.external_drawdown(self.core.line_id, amount)
        except Refusal as refusal:
            assert refusal.reason is Reason.INSUFFICIENT_AVAILABLE

    @rule(hours=st.integers(0, 24 * 40))
    def advance_clock(self, hours):
        self.bank.clock.advance(timedelta(hours=hours))

    @invariant()
    def used_stays_within_the_limit(self):
        line = self.bank.get_line(self.core.line_id)
        assert 0 <= line.used <= line.limit

    @invariant()
    def used_is_what_drawdowns_and_repayments_add_up_to(self):
        drawn = sum(d.amount for d in self.bank.drawdowns.values()
                    if d.status is not DrawdownStatus.REJECTED)
        repaid = sum(r.amount for r in self.bank.repayments.values())
        assert self.bank.get_line(self.core.line_id).used == drawn - repaid

    @invariant()
    def one_booking_per_idempotency_key(self):
        keyed = {drawdown_id for _, drawdown_id in self.bank.idempotency.values()}
        assert len(keyed) == len(self.bank.idempotency)
        assert {k: v[1] for k, v in self.bank.idempotency.items()} == {
            k: v[1] for k, v in self.booked.items()}

    @invariant()
    def a_lock_never_outlives_its_end(self):
        line = self.bank.get_line(self.core.line_id)
        if line.status is LineStatus.LOCKED:
            assert line.locked_until is not None and line.locked_until > self.bank.now()


LedgerMachine.TestCase.settings = settings(
    max_examples=200, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestLedger = LedgerMachine.TestCase
