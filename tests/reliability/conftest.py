"""Shared fixtures of the reliability and security tests (issue 9).

Everything here drives Drawbridge from the outside where it matters: the real ``drawbridge``
console script in a subprocess, the real fake bank behind uvicorn on loopback, raw sockets.
pytest runs with ``--import-mode=importlib``, so this folder goes on ``sys.path`` for the
helpers (``reliability_kit``, ``reliability_rawhttp``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))

from reliability_kit import TOKEN  # noqa: E402 -- after the path is set

from fake_core_bank.fake import BankConfig  # noqa: E402
from fake_core_bank.server import BankServer  # noqa: E402


@pytest.fixture(scope="module")
def guarded_server() -> Iterator[BankServer]:
    """A real server whose control API needs a token, so fuzzing cannot reconfigure it."""
    with BankServer(BankConfig(seed=9, customers=3), token=TOKEN) as server:
        yield server
