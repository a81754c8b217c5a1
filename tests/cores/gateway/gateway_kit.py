"""Helpers of the gateway core's tests: its model, a served bank of it, signed envelopes."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from examples.cores.gateway_lending import core
from examples.cores.gateway_lending import envelope as env
from fake_core_bank.domain.bank import BANK_TZ

SPEC = "examples.cores.gateway_lending:core"
REFERENCE = "python:examples.cores.gateway_lending.connectors.reference:ReferenceConnector"
LEGACY = "python:examples.cores.gateway_lending.connectors.legacy:LegacyR1Connector"
ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
START = datetime(2026, 3, 2, 9, 0, tzinfo=BANK_TZ)
KEYS = {k.key_id: k for k in env.CONSUMERS["DRAWBRIDGE"]}
MODEL = core


@dataclass
class Gateway:
    """A client of the served gateway that builds signed envelopes."""

    http: httpx.Client

    def call(self, code: str, body: dict[str, Any], *, version: str = "1.0", seq: str = "Q1",
             key: str = "K1", consumer: str = "DRAWBRIDGE",
             signature: str | None = None) -> httpx.Response:
        head = {"serviceCode": code, "serviceVersion": version, "consumerId": consumer,
                "consumerSeqNo": seq, "tranDate": "20260302", "tranTime": "090000",
                "keyId": key, "signature": signature or env.sign(body, KEYS[key].secret)}
        return self.http.post(f"/esb/{code}", json={"sysHead": head, "body": body})

    def draw(self, line: str, amount: str = "1000.00", *, version: str = "1.0",
             seq: str = "D1", key: str = "K1", purpose: str | None = "WC01",
             account: str = "6222020200112233445") -> httpx.Response:
        body: dict[str, Any] = {"lineNo": line, "amount": amount, "ccy": "CNY",
                                "acctNo": account}
        if purpose:
            body["purposeCode"] = purpose
        return self.call("DD0201", body, version=version, seq=seq, key=key)


def head(answer: httpx.Response) -> dict[str, Any]:
    found: dict[str, Any] = answer.json()["sysHead"]
    return found


def ret_code(answer: httpx.Response) -> str:
    return str(head(answer)["ret"][0]["retCode"])


def drawbridge(*args: str, cwd: Path = ROOT,
               timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """The real console script, in its own process (a ``--core`` stays in that process)."""
    return subprocess.run([str(BIN / "drawbridge"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def add_line(bank: Any, *, status: str = "ACTIVE", used: int = 0, limit: int = 30_000_000,
             locked_until: datetime | None = None) -> str:
    """Customer ENT000001 with one line CL000001 in ``status``; returns the line's id."""
    from datetime import date

    from fake_core_bank.domain.model import CreditLine, Customer, LineStatus

    bank.core.add_customer(Customer("ENT000001", "某轻工业制造有限公司", "91330100MA2B3C4D5N",
                                    "330100", "6222020200112233445"))
    bank.core.add_line(CreditLine("CL000001", "ENT000001", "CNY", limit, used,
                                  LineStatus(status), date(2027, 3, 1),
                                  locked_until=locked_until))
    return "CL000001"
