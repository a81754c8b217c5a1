"""schemathesis against every served version over real HTTP: default checks and stateful links.

Each contract is the oracle of its own prefix: schemathesis generates valid and invalid requests
from it and checks that the fake never answers 5xx, an undeclared status or content type, a body
or header outside the schema, or accepts what the contract forbids. The stateful phase follows the
contracts' OpenAPI links (line -> drawdowns -> drawdown -> line).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.config import SchemathesisConfig

from fake_core_bank import cores

pytestmark = pytest.mark.slow

EXAMPLES = 25
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))


def load(version: str) -> schemathesis.BaseSchema:
    """The contract with the checks tuned to what it documents, and nothing more.

    - positive_data_acceptance also accepts 422: the contracts answer business-rule refusals of
      schema-valid requests (INSUFFICIENT_AVAILABLE, POLICY_*, PRECONDITION_UNMET) with 422;
    - it is off for the operations whose contract answers a schema-valid request 400 on purpose:
      a repayment above `used` (every version) and an unknown v3 `cursor`. Reported to the
      contracts' owner as 400-for-business-rule.
    """
    documented_400 = ["createRepayment"] + (["listDrawdowns"] if version == "v3" else [])
    config = SchemathesisConfig.from_dict({
        "checks": {"positive_data_acceptance": {
            "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]}},
        "operations": [{"include-operation-id": documented_400,
                        "checks": {"positive_data_acceptance": {"enabled": False}}}],
    })
    return schemathesis.openapi.from_path(cores.active().contract_path(version), config=config)


# Loaded at import (no server needed); each call goes to the session server's base URL.
# (schemathesis.pytest.from_fixture would be tidier but breaks on pytest 9's Function nodes.)
v1, v2, v3 = load("v1"), load("v2"), load("v3")


@v1.parametrize()
@SETTINGS
def test_v1_conforms(case, bank_server, bank):
    case.call_and_validate(base_url=f"{bank_server.base_url}/v1", timeout=5)


@v2.parametrize()
@SETTINGS
def test_v2_conforms(case, bank_server, bank):
    case.call_and_validate(base_url=f"{bank_server.base_url}/v2", timeout=5)


@v3.parametrize()
@SETTINGS
def test_v3_conforms(case, bank_server, bank):
    case.call_and_validate(base_url=f"{bank_server.base_url}/v3", timeout=5)


@pytest.mark.parametrize("version", ["v1", "v2", "v3"])
def test_stateful_link_walks_conform(bank_server, bank, version):
    schema = load(version)
    schema.config.update(base_url=f"{bank_server.base_url}/{version}", request_timeout=5)
    machine = schema.as_state_machine()
    run_state_machine_as_test(machine, settings=settings(
        max_examples=15, stateful_step_count=6, deadline=None, derandomize=True,
        suppress_health_check=list(HealthCheck)))
