"""Session fixtures: real runs of a few library scenarios, and the documents built from them."""

from __future__ import annotations

from typing import Any

import pytest

from harness.evidence import RunResult
from tests.reporting import documents


@pytest.fixture(scope="session")
def legacy_results() -> list[RunResult]:
    return documents.run(documents.LEGACY, ("v2",))


@pytest.fixture(scope="session")
def reference_results() -> list[RunResult]:
    return documents.run(documents.REFERENCE, ("v2", "v3"))


@pytest.fixture(scope="session")
def certificate(legacy_results: list[RunResult],
                reference_results: list[RunResult]) -> dict[str, Any]:
    return documents.certificate(legacy_results, reference_results)


@pytest.fixture(scope="session")
def legacy_run(legacy_results: list[RunResult]) -> dict[str, Any]:
    return documents.plain_run(legacy_results)


@pytest.fixture(scope="session")
def reference_run(reference_results: list[RunResult]) -> dict[str, Any]:
    return documents.plain_run(reference_results)
