"""Deterministic zh_CN enterprises and credit lines for a seed.

Names come from faker's zh_CN company vocabulary (``company_prefixes`` x ``company_suffixes``,
what ``Faker("zh_CN").company()`` joins); every draw, like the credit codes, accounts and limits,
comes from one generator seeded per seed. Only the vocabulary is taken from faker: building a
``Faker`` instance loads every provider of the locale and a draw through it costs ten times ours,
which is what kept a million lines at 43 s (issue 8). faker is imported only when a bank has
enterprises to seed.

Ids are the contracts' ``CL`` / ``ENT`` + six digits: enterprise n gets number ``n mod 1,000,000``,
so 999,999 enterprises are numbered 1..999,999 and the millionth is ``CL000000``/``ENT000000``.
More than :data:`MAX_ENTERPRISES` cannot be addressed and is refused.
"""

from __future__ import annotations

import functools
import gc
import random
from datetime import date

from fake_core_bank.domain import creditcode
from fake_core_bank.domain.bank import CoreBank
from fake_core_bank.domain.model import CreditLine, Customer, LineStatus
from fake_core_bank.errors import InputError

#: Administrative division codes of a few prefecture-level cities (GB/T 2260).
REGIONS = ("110000", "310000", "330100", "330200", "320500", "440300", "440100", "350100",
           "370200", "510100", "420100", "610100")
#: Limits in yuan, weighted towards the article's 300,000 CNY micro-business line.
LIMITS_YUAN = (100_000, 200_000, 300_000, 300_000, 300_000, 500_000, 1_000_000)
#: The same limits in fen, one int object each: a million lines share seven integers.
_LIMITS_FEN = tuple(yuan * 100 for yuan in LIMITS_YUAN)
#: Six-digit ids (``^CL[0-9]{6}$``, ``^ENT[0-9]{6}$``): CL000000..CL999999.
MAX_ENTERPRISES = 1_000_000


@functools.cache
def company_names() -> tuple[str, ...]:
    """Every name faker's zh_CN ``company()`` can give (prefix x suffix, repeats kept, so one
    uniform draw has its odds); a million enterprises share these few hundred strings."""
    from faker.providers.company.zh_CN import Provider

    return tuple(p + s for p in Provider.company_prefixes for s in Provider.company_suffixes)


def seed_enterprises(bank: CoreBank, count: int, seed: int, *, expires_on: date) -> None:
    """Add ``count`` enterprises, each with one ACTIVE credit line in CNY.

    >>> from datetime import datetime
    >>> from fake_core_bank.domain.bank import BANK_TZ
    >>> from fake_core_bank.domain.clock import Clock
    >>> from fake_core_bank.domain.ids import IdGenerator
    >>> bank = CoreBank(Clock(datetime(2026, 3, 2, 9, tzinfo=BANK_TZ)), IdGenerator())
    >>> seed_enterprises(bank, 2, seed=7, expires_on=date(2027, 3, 1))
    >>> sorted(bank.lines), bank.lines["CL000002"].customer_id
    (['CL000001', 'CL000002'], 'ENT000002')
    """
    if not 0 <= count <= MAX_ENTERPRISES:
        raise InputError("customers", f"{count:,} enterprises asked",
                         f"ask for 0 to {MAX_ENTERPRISES:,}: line ids are CL + 6 digits "
                         "(the contracts' pattern)")
    if count == 0:
        return
    if bank.customers or bank.lines:
        raise ValueError("seed_enterprises numbers from 1 and needs a bank without enterprises")
    names = company_names()
    rng = random.Random(f"seed-enterprises:{seed}")
    # The records hold no cycles; a million of them would make the cyclic collector walk the
    # growing heap again and again (two thirds of the time), so it waits until they are in.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _fill(bank, count, names, rng, expires_on)
    finally:
        if collecting:
            gc.enable()


def _fill(bank: CoreBank, count: int, names: tuple[str, ...], rng: random.Random,
          expires_on: date) -> None:
    choice, below = rng.choice, rng.randrange
    with bank.lock:
        # What add_customer/add_line do one by one (the lock, the id counters), once for the
        # batch: the records are new and valid by construction.
        for n in range(1, count + 1):
            number = f"{n % MAX_ENTERPRISES:06d}"
            region = choice(REGIONS)
            customer = Customer(
                customer_id="ENT" + number, name=choice(names),
                credit_code=creditcode.generate(rng, region), region=region,
                account_no=f"6222{below(10**15):015d}",
            )
            line = CreditLine(
                line_id="CL" + number, customer_id=customer.customer_id, currency="CNY",
                limit=choice(_LIMITS_FEN), used=0, status=LineStatus.ACTIVE,
                expires_on=expires_on,
            )
            bank.customers[customer.customer_id] = customer
            bank.lines[line.line_id] = line
            bank.lines_by_customer[customer.customer_id] = [line.line_id]
        last = f"{min(count, MAX_ENTERPRISES - 1):06d}"
        bank.ids.skip_past("ENT" + last, "ENT")
        bank.ids.skip_past("CL" + last, "CL")
