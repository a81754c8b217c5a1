"""One served gateway bank per session (uvicorn on loopback), reset before each test; a test is
failed at teardown when the gateway answered outside its own contract."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.server import BankServer
from tests.cores.gateway.gateway_kit import MODEL, START, Gateway

CONFIG = BankConfig(seed=3, customers=0, start=START, validate_responses=True)


@pytest.fixture(scope="session")
def gateway_server() -> Iterator[BankServer]:
    with BankServer(bank=FakeBank(CONFIG, model=MODEL)) as server:
        yield server


@pytest.fixture
def bank(gateway_server: BankServer) -> Iterator[FakeBank]:
    fake = gateway_server.bank
    fake.config = CONFIG
    fake.reset()
    yield fake
    violations = [f"#{e.seq} {e.path} -> {e.status}: {'; '.join(e.response_violations)}"
                  for e in fake.journal.entries() if e.response_violations]
    if violations:
        pytest.fail("the gateway answered outside its contract:\n  " + "\n  ".join(violations),
                    pytrace=False)


@pytest.fixture
def gateway(gateway_server: BankServer, bank: FakeBank) -> Iterator[Gateway]:
    with httpx.Client(base_url=gateway_server.base_url, timeout=10) as http:
        yield Gateway(http)
