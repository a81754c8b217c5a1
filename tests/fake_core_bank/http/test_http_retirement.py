"""Version retirement played to the end: a Sunset retires by date on the virtual clock, and the
retired version's 410 carries Deprecation, Sunset and Link rel="successor-version" (as
contracts/CHANGELOG.md promises), in v1's and v2's error formats and within their contracts.

The autouse fixture in conftest.py fails any of these tests whose exchanges did not conform.
"""

from __future__ import annotations

from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest

from fake_core_bank.fake import FakeBank
from tests.fake_core_bank.bank_testkit import START, drawdown_body

SUNSET = START + timedelta(days=30)


def retirement_headers(response) -> tuple[str, str, str]:
    return (response.headers.get("deprecation"), response.headers.get("sunset"),
            response.headers.get("link"))


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_the_sunset_retires_the_version_and_its_410_names_the_successor(client, bank, version):
    bank.reset(versions=(version,))
    bank.upgrade("v3", sunset=SUNSET)
    served = client.get(f"/{version}/credit-lines/CL000001")
    assert served.status_code == 200
    bank.advance_clock(SUNSET - START)
    gone = client.get(f"/{version}/credit-lines/CL000001")
    assert gone.status_code == 410
    reason = gone.json()["code"] if version == "v1" else gone.json()["reasonCode"]
    assert reason == ("E9002" if version == "v1" else "VERSION_RETIRED")
    deprecation, sunset, link = retirement_headers(gone)
    assert (deprecation, sunset, link) == retirement_headers(served)  # the same three facts
    assert deprecation == f"@{int(START.timestamp())}"
    assert parsedate_to_datetime(sunset) == SUNSET
    assert link == '</v3>; rel="successor-version"'
    assert client.get("/v3/credit-lines/CL000001").status_code == 200


def test_a_write_after_the_sunset_is_refused_and_books_nothing(client, bank):
    bank.reset(versions=("v2",))
    bank.upgrade("v3", sunset=SUNSET)
    bank.advance_clock(SUNSET - START + timedelta(hours=1))
    account = bank.core.get_customer("ENT000001").account_no
    gone = client.post("/v2/credit-lines/CL000001/drawdowns",
                       json=drawdown_body("v2", 100_00, account),
                       headers={"Idempotency-Key": "after-sunset"})
    assert gone.status_code == 410 and "successor-version" in gone.headers["link"]
    assert bank.core.drawdowns == {}


def test_a_sunset_already_past_at_start_up_retires_at_once(client, bank: FakeBank):
    bank.reset(versions=("v2",))
    bank.upgrade("v3", sunset=START - timedelta(days=1))
    assert bank.snapshot()["versions"]["retired"] == ["v2"]
    gone = client.get("/v2/credit-lines/CL000001")
    assert gone.status_code == 410 and gone.headers["link"] == '</v3>; rel="successor-version"'


def test_a_version_retired_outright_still_points_to_its_successor(client, bank):
    bank.reset(versions=("v1", "v2"))
    bank.upgrade("v2", retire=("v1",))
    gone = client.get("/v1/credit-lines/CL000001")
    assert gone.status_code == 410
    assert gone.headers["link"] == '</v2>; rel="successor-version"'
    assert parsedate_to_datetime(gone.headers["sunset"]) == START
