"""schemathesis in negative mode against every version: invalid requests are refused with a 4xx.

Negative mode generates requests that break the contract on purpose (wrong types, missing
required fields, values outside their patterns and ranges, bad headers). The fake must answer
each with a 4xx, never accept it and never answer 5xx (schemathesis' ``not_a_server_error`` and
``negative_data_rejection`` checks), and every answer it gives must still match its own
contract (the conftest of tests/fake_core_bank does that for the positive tests; here the
journal is read after each case).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from fake_core_bank import cores
from fake_core_bank.fake import BankConfig
from fake_core_bank.server import BankServer

pytestmark = pytest.mark.slow

EXAMPLES = 30  # per operation; with 8-9 operations per version, about 250 cases per version
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))
CASES_SEEN: dict[str, int] = {}


def negative(version: str) -> schemathesis.BaseSchema:
    config = SchemathesisConfig.from_dict({
        "generation": {"mode": "negative"},
        "checks": {"enabled": False, "not_a_server_error": {"enabled": True},
                   "negative_data_rejection": {"enabled": True}},
    })
    return schemathesis.openapi.from_path(cores.active().contract_path(version), config=config)


v1, v2, v3 = negative("v1"), negative("v2"), negative("v3")


@pytest.fixture(scope="module")
def server() -> Iterator[BankServer]:
    with BankServer(BankConfig(seed=3, customers=3)) as served:
        yield served


def call(case: schemathesis.Case, server: BankServer, version: str) -> None:
    before = len(server.bank.journal)
    response = case.call_and_validate(base_url=f"{server.base_url}/{version}", timeout=5)
    assert response.status_code < 500, response.text[:300]
    fresh = server.bank.journal.entries(before)
    assert not [e.response_violations for e in fresh if e.response_violations]
    CASES_SEEN[version] = CASES_SEEN.get(version, 0) + 1


@v1.parametrize()
@SETTINGS
def test_v1_refuses_invalid_requests(case: schemathesis.Case, server: BankServer) -> None:
    call(case, server, "v1")


@v2.parametrize()
@SETTINGS
def test_v2_refuses_invalid_requests(case: schemathesis.Case, server: BankServer) -> None:
    call(case, server, "v2")


@v3.parametrize()
@SETTINGS
def test_v3_refuses_invalid_requests(case: schemathesis.Case, server: BankServer) -> None:
    call(case, server, "v3")
