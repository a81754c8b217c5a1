"""Helpers shared by the fake bank's tests (importable because tests have no packages).

:func:`make_core` builds a :class:`CoreBank` with one customer and one line on a clock whose wall
time the test moves by hand.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from fake_core_bank.domain.bank import BANK_TZ, CoreBank, DrawdownRequest
from fake_core_bank.domain.clock import Clock
from fake_core_bank.domain.ids import IdGenerator
from fake_core_bank.domain.model import CreditLine, Customer, LineStatus, Precondition

START = datetime(2026, 3, 2, 9, 0, tzinfo=BANK_TZ)
ACCOUNT = "6222000011112222"
LIMIT = 30_000_000  # the article's 300,000.00 CNY line
REGION = "330100"


class FakeWall:
    """A wall clock the test moves by hand (``Clock(start, wall=wall)``)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Core:
    """A CoreBank with one customer and one ACTIVE 300,000.00 CNY line ``CL000001``."""

    bank: CoreBank
    clock: Clock
    wall: FakeWall
    line_id: str = "CL000001"
    keys: list[str] = field(default_factory=list)

    def request(self, amount: int, key: str | None = None, *, line_id: str | None = None,
                purpose: str | None = None, asynchronous: bool = False,
                account: str = ACCOUNT) -> DrawdownRequest:
        return DrawdownRequest(line_id or self.line_id, amount, "CNY", account, purpose, key,
                               asynchronous)

    @property
    def line(self) -> CreditLine:
        return self.bank.get_line(self.line_id)


def make_core(*, status: LineStatus = LineStatus.ACTIVE, limit: int = LIMIT, used: int = 0,
              expires_on: date = date(2027, 3, 1), preconditions: list[Precondition] | None = None,
              settle_after_polls: int = 1, start: datetime = START) -> Core:
    wall = FakeWall()
    clock = Clock(start, wall=wall)
    bank = CoreBank(clock, IdGenerator(), seed=1, settle_after_polls=settle_after_polls)
    bank.add_customer(Customer("ENT000001", "杭州明远轻工制品有限公司", "91350100M000100Y43",
                               REGION, ACCOUNT))
    bank.add_line(CreditLine("CL000001", "ENT000001", "CNY", limit, used, status, expires_on,
                             preconditions=list(preconditions or [])))
    return Core(bank, clock, wall)


def later(**kwargs: float) -> datetime:
    return START + timedelta(**kwargs)


def drawdown_body(version: str, amount: int, account: str,
                  purpose: str = "WC01") -> dict[str, object]:
    """A valid createDrawdown body of ``version`` for ``amount`` minor units."""
    if version == "v1":
        return {"amount": f"{amount // 100}.{amount % 100:02d}", "accountNo": account}
    body: dict[str, object] = {"amount": amount, "currency": "CNY", "beneficiaryAccount": account}
    if version == "v3" or purpose != "WC01":
        body["purposeCode"] = purpose
    return body


def repayment_body(version: str, amount: int) -> dict[str, object]:
    if version == "v1":
        return {"amount": f"{amount // 100}.{amount % 100:02d}"}
    return {"amount": amount, "currency": "CNY"}


def read_answer(sock: socket.socket, *, head_only: bool = False) -> bytes:
    """One HTTP/1.1 answer read from ``sock`` to its end by its Content-Length (its head alone
    with ``head_only``), bounded by the socket's timeout; an early close fails the test."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed after {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    if head_only:
        return head + b"\r\n\r\n"
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "connection closed mid-body"
        body += chunk
    return data
