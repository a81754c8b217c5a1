"""Whether the container tests can run here, and what happens when they cannot.

Without a Docker engine or the images they skip and say why; with ``DRAWBRIDGE_REQUIRE_DOCKER=1``
(.ci/run exports it after building the images) they fail instead, so CI never goes green by
skipping the container tests.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

from harness.drivers.container import docker_problem, image_present

#: The images .ci/containers.sh builds; the same variables override both.
BANK_IMAGE = os.environ.get("DRAWBRIDGE_BANK_IMAGE", "drawbridge-fake-bank:ci")
CONNECTOR_IMAGE = os.environ.get("DRAWBRIDGE_CONNECTOR_IMAGE",
                                 "drawbridge-connector-python:ci")
HTTP_CONNECTOR_IMAGE = os.environ.get("DRAWBRIDGE_HTTP_CONNECTOR_IMAGE",
                                      "drawbridge-connector-http:ci")
BUILD_HINT = "build them with: bash -c 'source .ci/containers.sh && ci_containers_start'"


def unavailable(reason: str) -> NoReturn:
    """Skip with ``reason``, or fail with it when Docker is required."""
    if os.environ.get("DRAWBRIDGE_REQUIRE_DOCKER") == "1":
        pytest.fail(f"{reason} (DRAWBRIDGE_REQUIRE_DOCKER=1 requires the container tests)",
                    pytrace=False)
    pytest.skip(reason)


def require_engine() -> None:
    problem = docker_problem()
    if problem is not None:
        unavailable(f"no Docker engine: {problem}")


def require_image(image: str) -> str:
    require_engine()
    if not image_present(image):
        unavailable(f"image {image} is not built; {BUILD_HINT}")
    return image
