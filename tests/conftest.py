"""Suite-wide pytest configuration: pytester drives the plugin's own tests (tests/plugin/)."""

from pathlib import Path

import pytest

from harness.certify import history

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _private_history(tmp_path_factory: pytest.TempPathFactory,
                     monkeypatch: pytest.MonkeyPatch) -> Path:
    """certify, matrix and merge record in a history by default (reports/history.sqlite in the
    working directory): each test gets its own, so no test writes into the checkout or sees
    another test's runs (an earlier --as-of would be refused). Tests of the default location
    delete the variable (tests/certify/test_release_gate.py)."""
    path = tmp_path_factory.mktemp("history") / "history.sqlite"
    monkeypatch.setenv(history.ENV, str(path))
    return path
