"""The Drawbridge pytest plugin (entry point ``pytest11``).

Fixtures: ``drawbridge_bank`` -- a fake core bank on loopback, one per session (one per xdist
worker), reset before each test, whose journal is checked at teardown: a response of the fake
that broke its own contract fails the test that caused it. Options live in the ``drawbridge``
group with the ``--drawbridge-`` prefix. Heavy imports happen inside fixtures, not at import.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from harness.engine.bank import LocalBank


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("drawbridge", "Drawbridge integration compatibility harness")
    group.addoption("--drawbridge-seed", type=int, default=0,
                    help="Seed of the fake bank and of scenario runs (default 0).")


@pytest.fixture(scope="session")
def _drawbridge_session_bank() -> Iterator[LocalBank]:
    from harness.engine.bank import LocalBank

    bank = LocalBank()
    yield bank
    bank.close()


@pytest.fixture
def drawbridge_bank(_drawbridge_session_bank: LocalBank,
                    request: pytest.FixtureRequest) -> Iterator[LocalBank]:
    """A fake core bank, freshly reset, with its control helpers (see LocalBank)."""
    from fake_core_bank.fake import BankConfig

    seed: Any = request.config.getoption("--drawbridge-seed")
    _drawbridge_session_bank.reset(BankConfig(seed=int(seed), customers=3))
    yield _drawbridge_session_bank
    broken = [e for e in _drawbridge_session_bank.journal() if e.get("response_violations")]
    if broken:
        first = broken[0]
        pytest.fail(f"the fake bank answered against its contract: {first['method']} "
                    f"{first['path']} -> {first['status']}: {first['response_violations']}")
