"""The gate itself: skip with the reason without Docker, fail with it when CI requires Docker."""

from __future__ import annotations

import pytest

from tests.containers.docker_gate import unavailable


def test_without_docker_the_tests_skip_and_say_why(monkeypatch):
    monkeypatch.delenv("DRAWBRIDGE_REQUIRE_DOCKER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no Docker engine: socket missing"):
        unavailable("no Docker engine: socket missing")


def test_when_ci_requires_docker_the_same_reason_fails_the_test(monkeypatch):
    monkeypatch.setenv("DRAWBRIDGE_REQUIRE_DOCKER", "1")
    with pytest.raises(pytest.fail.Exception,
                       match=r"no Docker engine: socket missing \(DRAWBRIDGE_REQUIRE_DOCKER=1"):
        unavailable("no Docker engine: socket missing")
