"""Certification runs shared by the tests of this folder (they are the slow part)."""

from __future__ import annotations

import pytest

from harness.certify.profiles import Profile, load_profile, resolve_profile
from harness.paths import scenarios_root
from harness.scenarios.library import load_library
from harness.scenarios.model import Scenario
from tests.certify.certify_kit import LEGACY, REFERENCE, certify


@pytest.fixture(scope="session")
def library() -> list[Scenario]:
    return load_library([scenarios_root()])


@pytest.fixture(scope="session")
def profile_v2(library: list[Scenario]) -> Profile:
    return load_profile(resolve_profile("v2"), library)


@pytest.fixture(scope="session")
def reference_certificate(library: list[Scenario], profile_v2: Profile) -> dict:
    return certify(library, profile_v2, REFERENCE)


@pytest.fixture(scope="session")
def legacy_certificate(library: list[Scenario], profile_v2: Profile) -> dict:
    return certify(library, profile_v2, LEGACY)
