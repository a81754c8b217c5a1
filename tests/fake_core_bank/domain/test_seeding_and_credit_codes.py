"""Seeded enterprises: deterministic per seed, valid credit codes, Chinese company names."""

from __future__ import annotations

import random
import re

import pytest

from fake_core_bank.domain import creditcode, state
from fake_core_bank.domain.bank import DrawdownRequest
from fake_core_bank.domain.seeding import REGIONS
from fake_core_bank.fake import BankConfig, FakeBank

HAN = re.compile(r"[\u4e00-\u9fff]")


def _seeded(seed: int) -> dict:
    data = FakeBank(BankConfig(seed=seed, customers=8)).snapshot()
    data.pop("versions")
    return data


def test_the_same_seed_gives_the_same_bank_and_another_seed_another():
    assert _seeded(3) == _seeded(3)
    assert _seeded(3)["customers"] != _seeded(4)["customers"]


def test_seeded_enterprises_are_plausible_chinese_companies_with_valid_codes():
    data = _seeded(11)
    assert [c["customerId"] for c in data["customers"]] == [f"ENT{n:06d}" for n in range(1, 9)]
    for customer in data["customers"]:
        assert HAN.search(customer["name"]), customer["name"]
        assert creditcode.is_valid(customer["creditCode"]), customer["creditCode"]
        assert customer["creditCode"][2:8] == customer["region"] in REGIONS
        assert re.fullmatch(r"6222[0-9]{15}", customer["accountNo"])
    for line in data["lines"]:
        assert (line["status"], line["used"], line["currency"]) == ("ACTIVE", 0, "CNY")
        assert line["limit"] % 100 == 0 and line["limit"] >= 100_000_00


def test_the_seeded_ledger_round_trips_through_a_snapshot():
    request = DrawdownRequest("CL000001", 100_00, "CNY", "6222000011112222")
    original = FakeBank(BankConfig(seed=5, customers=3))
    original.core.draw_down(request)
    original.core.repay("CL000001", 40_00, "CNY")
    data = original.snapshot()
    # what POST /_control/state accepts (state.LISTS) is what a snapshot has
    assert list(data) == ["clock", *state.LISTS, "versions"]
    copy = FakeBank(BankConfig(seed=5))
    copy.load_state(data)
    for kind in ("lines", "drawdowns", "repayments"):
        assert copy.snapshot()[kind] == data[kind], kind
    # New ids continue after the loaded ones instead of colliding with them.
    drawdown, _ = copy.core.draw_down(request)
    assert drawdown.drawdown_id == "DD00000002"
    repayment, _ = copy.core.repay("CL000001", 10_00, "CNY")
    assert repayment.repayment_id == "RP00000002"


def test_the_documented_example_code_is_valid_and_a_changed_character_is_not():
    assert creditcode.is_valid("91350100M000100Y43")
    assert not creditcode.is_valid("91350100M000100Y44")
    assert not creditcode.is_valid("91350100M000100Y4")
    assert not creditcode.is_valid("91350100M000100YI3")  # I is not in the alphabet


@pytest.mark.parametrize("seed", range(5))
def test_generated_codes_are_valid_for_every_region(seed):
    rng = random.Random(seed)
    for region in REGIONS:
        assert creditcode.is_valid(creditcode.generate(rng, region))


def test_state_lines_keep_lock_and_preconditions():
    bank = FakeBank(BankConfig(seed=1, customers=1))
    data = bank.snapshot()
    line = data["lines"][0]
    line.update(status="LOCKED", lockedUntil="2026-03-05T00:00:00+08:00", lockReason="锁定期",
                preconditions=[{"code": "G", "description": "担保", "satisfied": False,
                                "dueDate": "2026-06-30"}])
    loaded = state.line_from_dict(line)
    assert state.line_to_dict(loaded) == line
