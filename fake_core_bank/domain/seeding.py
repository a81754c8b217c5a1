"""Deterministic zh_CN enterprises and credit lines for a seed (faker + the seeded generator)."""

from __future__ import annotations

import random
from datetime import date

from faker import Faker

from fake_core_bank.domain import creditcode
from fake_core_bank.domain.bank import CoreBank
from fake_core_bank.domain.model import CreditLine, Customer, LineStatus

#: Administrative division codes of a few prefecture-level cities (GB/T 2260).
REGIONS = ("110000", "310000", "330100", "330200", "320500", "440300", "440100", "350100",
           "370200", "510100", "420100", "610100")
#: Limits in yuan, weighted towards the article's 300,000 CNY micro-business line.
LIMITS_YUAN = (100_000, 200_000, 300_000, 300_000, 300_000, 500_000, 1_000_000)


def seed_enterprises(bank: CoreBank, count: int, seed: int, *, expires_on: date) -> None:
    """Add ``count`` enterprises, each with one ACTIVE credit line in CNY."""
    faker = Faker("zh_CN")
    faker.seed_instance(seed)
    rng = random.Random(f"seed-enterprises:{seed}")
    for n in range(1, count + 1):
        region = rng.choice(REGIONS)
        customer = Customer(
            customer_id=f"ENT{n:06d}",
            name=faker.company(),
            credit_code=creditcode.generate(rng, region),
            region=region,
            account_no="6222" + "".join(rng.choice("0123456789") for _ in range(15)),
        )
        bank.add_customer(customer)
        bank.add_line(
            CreditLine(
                line_id=f"CL{n:06d}", customer_id=customer.customer_id, currency="CNY",
                limit=rng.choice(LIMITS_YUAN) * 100, used=0, status=LineStatus.ACTIVE,
                expires_on=expires_on,
            )
        )
