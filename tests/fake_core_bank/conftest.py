"""Shared fixtures of the fake bank's tests.

HTTP tests share one real server per session (uvicorn on loopback, as ``drawbridge serve`` runs
it) and reset the bank before each test, like pytest-httpserver. Every test that touched the
server is failed at teardown when the fake answered something its own contract does not allow.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.server import BankServer
from tests.fake_core_bank.bank_testkit import Core, make_core


@pytest.fixture
def core() -> Core:
    return make_core()


# -- the real server --------------------------------------------------------------------------
SERVER_CONFIG = BankConfig(seed=1, customers=3)


@pytest.fixture(scope="session")
def bank_server() -> Iterator[BankServer]:
    with BankServer(SERVER_CONFIG) as server:
        yield server


@pytest.fixture
def bank(bank_server: BankServer) -> FakeBank:
    """The session's fake bank, back in its configuration's initial state."""
    fake = bank_server.bank
    fake.config = SERVER_CONFIG  # a test may have reset it with overrides
    fake.reset()
    return fake


@pytest.fixture(autouse=True)
def _answers_conform(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test at teardown when the fake answered outside its own contract.

    Only tests that used the server are checked (pytest-httpserver's ``check_assertions``).
    """
    server: BankServer | None = None
    if "bank" in request.fixturenames:
        server = request.getfixturevalue("bank_server")
    yield
    if server is None:
        return
    fake = server.bank
    violations = [
        f"#{e.seq} {e.method} {e.path} -> {e.status}: {'; '.join(e.response_violations)}"
        for e in fake.journal.entries() if e.response_violations
    ]
    if violations:
        pytest.fail("the fake bank answered outside its contract:\n  " + "\n  ".join(violations),
                    pytrace=False)


@pytest.fixture
def client(bank_server: BankServer, bank: FakeBank) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=bank_server.base_url, timeout=10) as http:
        yield http
