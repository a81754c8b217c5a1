"""The mutating proxy on a real loopback bank: transparent without an operator, never on the
control API, per-run state reset with the bank, a cut connection passed on as a cut."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from fake_core_bank.fake import BankConfig
from harness.mutate.bank import MutantBank
from harness.mutate.operators import CATALOGUE

LINE = "/v2/credit-lines/CL000001"


@pytest.fixture
def bank() -> Iterator[MutantBank]:
    handle = MutantBank(BankConfig(seed=1, customers=2))
    try:
        yield handle
    finally:
        handle.close()


def test_without_an_operator_answers_are_the_banks_own(bank: MutantBank) -> None:
    plain = httpx.get(bank.base_url + LINE)
    bank.operator = CATALOGUE["control-unknown-header"]
    mutated = httpx.get(bank.base_url + LINE)
    bank.operator = None
    again = httpx.get(bank.base_url + LINE)
    assert plain.status_code == mutated.status_code == again.status_code == 200
    assert "x-drawbridge-unknown" not in plain.headers
    assert "x-drawbridge-unknown" not in again.headers
    assert mutated.headers["x-drawbridge-unknown"] == "1"
    assert plain.content == mutated.content == again.content


def test_the_control_api_is_never_mutated(bank: MutantBank) -> None:
    bank.operator = CATALOGUE["control-unknown-field"]
    clock = httpx.get(bank.base_url + "/_control/clock")
    assert "now" in clock.json() and b"x-drawbridge-unknown" not in clock.content
    assert b"x-drawbridge-unknown" in httpx.get(bank.base_url + LINE).content


def test_state_is_per_run(bank: MutantBank) -> None:
    bank.operator = CATALOGUE["stale-read"]
    first = httpx.get(bank.base_url + LINE).json()
    bank.set_line_status("CL000001", "FROZEN")
    assert httpx.get(bank.base_url + LINE).json() == first, "served from the mutant's cache"
    bank.reset(BankConfig(seed=1, customers=2))
    bank.set_line_status("CL000001", "FROZEN")
    assert httpx.get(bank.base_url + LINE).json()["status"] == "FROZEN"


def test_a_cut_connection_reaches_the_client_as_a_cut(bank: MutantBank) -> None:
    bank.operator = CATALOGUE["control-unknown-header"]
    bank.inject_fault("drop", None, "GET", None, 1, 500, 0.0)
    with pytest.raises(httpx.TransportError):
        httpx.get(bank.base_url + LINE)
    assert httpx.get(bank.base_url + LINE).status_code == 200
