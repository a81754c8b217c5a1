"""The response self-check: on by default in a BankConfig (the test suite's banks, whose
autouse fixture fails a test on any violation), off in ``drawbridge serve`` unless
``--self-check``. Shown to fire on an answer outside the contract."""

from __future__ import annotations

import httpx
import pytest

from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.wire import JSON, Reply
from fake_core_bank.lending import core as lending
from fake_core_bank.server import BankServer


@pytest.mark.parametrize(("check", "caught"), [(True, True), (False, False)])
def test_a_non_conforming_answer_is_journaled_only_with_the_self_check(
        monkeypatch: pytest.MonkeyPatch, check: bool, caught: bool) -> None:
    monkeypatch.setattr(lending.adapters["v2"], "handle",
                        lambda _request: Reply(200, {"lineId": 42}, JSON))
    bank = FakeBank(BankConfig(seed=1, customers=1, validate_responses=check))
    with BankServer(bank=bank) as server:
        assert httpx.get(server.base_url + "/v2/credit-lines/CL000001").status_code == 200
    violations = [v for e in bank.journal.entries() for v in e.response_violations]
    assert bool(violations) is caught, violations


def test_the_suite_s_banks_check_by_default() -> None:
    assert BankConfig().validate_responses is True
