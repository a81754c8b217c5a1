"""The proxy sits on the wire: the same mutants reach command (Node.js) and http connectors, and
their controls survive."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import demo
from tests.mutate.mutate_kit import NODE, mutate, small_profile

SCENARIOS = ("frozen-line", "full-outage-retry-after")
OPERATORS = ("control-unknown-field,control-unknown-header,control-reorder-keys,"
             "drop-reason-code,new-key-every-attempt")
EXPECTED = {"control-unknown-field": "survived", "control-unknown-header": "survived",
            "control-reorder-keys": "survived", "drop-reason-code": "killed",
            "new-key-every-attempt": "killed"}


@pytest.fixture(scope="module")
def reference_service() -> Iterator[str]:
    with demo.reference_service(ports=(0,)) as url:
        yield url


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_a_command_connector_meets_the_mutants(tmp_path: Path) -> None:
    run = mutate(tmp_path / "out", "--profile", str(small_profile(tmp_path, *SCENARIOS)),
                 "--operators", OPERATORS, "--jobs", "2", connector=NODE)
    assert run.code == 0, run.stdout + run.stderr
    assert run.verdicts() == EXPECTED
    assert run.report["connector"]["name"] != "reference-python"


def test_an_http_connector_meets_the_mutants(tmp_path: Path, reference_service: str) -> None:
    run = mutate(tmp_path / "out", "--profile", str(small_profile(tmp_path, *SCENARIOS)),
                 "--operators", OPERATORS, "--jobs", "2", connector=reference_service)
    assert run.code == 0, run.stdout + run.stderr
    assert run.verdicts() == EXPECTED
    killer = run.report["mutants"][4]["killedBy"]
    assert (killer["scenario"], killer["oracle"]) == ("full-outage-retry-after",
                                                      "no-double-disbursement")
