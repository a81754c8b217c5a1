"""Fixtures of the container tests: the images CI builds and a fake bank container per session.

Every fixture here goes through :mod:`tests.containers.docker_gate`: no engine or no image means
skip, or fail under ``DRAWBRIDGE_REQUIRE_DOCKER=1``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.engine.containers import FakeCoreBankContainer
from tests.containers.docker_gate import (
    BANK_IMAGE,
    CONNECTOR_IMAGE,
    HTTP_CONNECTOR_IMAGE,
    require_image,
)


@pytest.fixture(scope="session")
def bank_image() -> str:
    return require_image(BANK_IMAGE)


@pytest.fixture(scope="session")
def connector_image() -> str:
    return require_image(CONNECTOR_IMAGE)


@pytest.fixture(scope="session")
def http_connector_image() -> str:
    """The reference connector as a service image (label org.drawbridge.protocol=http)."""
    return require_image(HTTP_CONNECTOR_IMAGE)


@pytest.fixture(scope="session")
def bank_container(bank_image: str) -> Iterator[FakeCoreBankContainer]:
    """One fake bank container per session (per xdist worker); tests reset it first."""
    with FakeCoreBankContainer(bank_image, seed=1, customers=3) as bank:
        yield bank
