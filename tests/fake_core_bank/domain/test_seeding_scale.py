"""Seeding at scale: ids stay within the contracts' six digits, bad counts are refused."""

from __future__ import annotations

from datetime import date

import pytest

from fake_core_bank.domain import seeding
from fake_core_bank.errors import InputError
from fake_core_bank.fake import BankConfig, FakeBank


def test_more_enterprises_than_six_digit_ids_can_name_are_refused_with_the_limit():
    bank = FakeBank(BankConfig())
    with pytest.raises(InputError, match=r"customers: 1,000,001 enterprises asked.*0 to "
                                         r"1,000,000: line ids are CL \+ 6 digits"):
        seeding.seed_enterprises(bank.core, 1_000_001, 0, expires_on=date(2027, 3, 1))
    assert not bank.core.lines


def test_the_millionth_enterprise_takes_the_one_six_digit_id_left(monkeypatch):
    # Same numbering with a smaller id space, so the test stays fast.
    monkeypatch.setattr(seeding, "MAX_ENTERPRISES", 100)
    bank = FakeBank(BankConfig())
    seeding.seed_enterprises(bank.core, 100, 3, expires_on=date(2027, 3, 1))
    assert sorted(bank.core.lines) == [f"CL{n:06d}" for n in range(100)]
    assert bank.core.lines["CL000000"].customer_id == "ENT000000"


def test_seeding_after_a_seeded_bank_is_a_programming_error_not_a_silent_overwrite():
    bank = FakeBank(BankConfig(customers=2))
    with pytest.raises(ValueError, match="needs a bank without enterprises"):
        seeding.seed_enterprises(bank.core, 2, 0, expires_on=date(2027, 3, 1))
