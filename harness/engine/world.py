"""A scenario's ``given`` as the fake bank's state, with generated data where it is silent.

Unset customer fields (name, credit code, region, account) are generated with faker zh_CN and a
generator seeded by the run's seed and the customer's id: same seed, same enterprise.
"""

from __future__ import annotations

import random
from typing import Any

from fake_core_bank import cores
from fake_core_bank.domain import creditcode
from fake_core_bank.domain.seeding import REGIONS
from harness.scenarios.model import Customer, Given, Line, Policy


def served_versions(given: Given, version: str) -> tuple[str, ...]:
    """What the core serves at the start of a run at ``version``: the scenario's ``serve``, or
    every version up to ``version`` (the older ones deprecated, as a real core keeps them)."""
    if given.serve is not None:
        return given.serve
    model = cores.active()
    return model.up_to(version) if model.evolution.side_by_side else (version,)


def customer_state(customer: Customer, seed: int) -> dict[str, Any]:
    rng = random.Random(f"customer:{seed}:{customer.id}")
    name_seed = rng.randrange(2**32)  # drawn whether or not it is used: the rest stays put
    region = customer.region or rng.choice(REGIONS)
    return {
        "customerId": customer.id,
        "name": customer.name or company_name(name_seed),
        "creditCode": customer.credit_code or creditcode.generate(rng, region),
        "region": region,
        "accountNo": customer.account_no
        or "6222" + "".join(rng.choice("0123456789") for _ in range(15)),
    }


def company_name(seed: int) -> str:
    """A zh_CN company name drawn by faker seeded with ``seed``. faker is imported here, when
    a customer has no name, not with the engine: its import is a tenth of a second that a
    command whose scenarios name every customer (the whole library) does not pay."""
    from faker import Faker

    faker = Faker("zh_CN")
    faker.seed_instance(seed)
    return str(faker.company())


def line_state(line: Line) -> dict[str, Any]:
    return {
        "lineId": line.id, "customerId": line.customer, "currency": line.limit.currency,
        "limit": line.limit.minor, "used": line.used.minor, "status": line.status,
        "expiresOn": line.expires_on.isoformat(),
        "lockedUntil": line.locked_until.isoformat() if line.locked_until else None,
        "lockReason": line.lock_reason,
        "preconditions": [
            {"code": p.code, "description": p.description or p.code, "satisfied": p.satisfied,
             "dueDate": p.due_date.isoformat() if p.due_date else None}
            for p in line.preconditions
        ],
    }


def policy_state(policy: Policy) -> dict[str, Any]:
    return {
        "id": policy.id, "region": policy.region, "effective": policy.effective.isoformat(),
        "maxDrawdown": policy.max_drawdown.minor if policy.max_drawdown else None,
        "requirePurposeCode": policy.require_purpose_code,
        "allowedPurposes": list(policy.allowed_purposes) if policy.allowed_purposes else None,
    }


def initial_state(given: Given, seed: int) -> dict[str, Any]:
    return {
        "customers": [customer_state(c, seed) for c in given.customers],
        "lines": [line_state(ln) for ln in given.lines],
        "policies": [policy_state(p) for p in given.policies],
    }
