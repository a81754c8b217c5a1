"""Small bad inputs found by the reliability pass, each pinned: one line, the place, the fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import jsonschema_rs
import pytest

from fake_core_bank.contracts import coerce
from fake_core_bank.errors import InputError
from fake_core_bank.server import BankServer
from harness.scenarios.money import Money

ROOT = Path(__file__).resolve().parents[2]


def drawbridge(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness.cli.main", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


def test_an_http_connector_that_does_not_answer_is_bad_input(tmp_path: Path) -> None:
    done = drawbridge("run", "scenarios/line-state/frozen-line.yaml", "--connector",
                      "http://127.0.0.1:9", "--out", str(tmp_path), "--no-progress")
    assert done.returncode == 2
    assert done.stderr.startswith("drawbridge: --connector: nothing answers at "
                                  "http://127.0.0.1:9")
    assert "fix: start the connector service first" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_contract_without_operations_cannot_be_verified(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text('openapi: 3.1.0\ninfo: {title: x, version: "1"}\npaths: {}\n')
    done = drawbridge("verify-provider", "--base-url", "http://127.0.0.1:9", "--contract",
                      str(empty))
    assert done.returncode == 2
    assert "the contract declares no operation" in done.stderr


def test_a_boolean_amount_is_named_as_a_boolean() -> None:
    with pytest.raises(InputError, match=r"found the boolean true; fix: write an amount"):
        Money.parse(True, "a.yaml:3:5 given.lines[0].limit")


def test_did_you_mean_lists_plurals_in_english() -> None:
    err = InputError.for_unknown_name("--connector", "class", "Conector", ["Connector"])
    assert "valid classes: Connector" in str(err)


def test_unicode_digits_in_parameters_stay_text() -> None:
    validator = jsonschema_rs.validator_for({"type": "integer"})
    assert coerce("³", validator) == "³"
    assert coerce("12", validator) == 12


def test_control_reset_refuses_a_seed_that_is_not_a_number() -> None:
    with BankServer() as server:
        answer = httpx.post(server.base_url + "/_control/reset", json={"seed": "7"})
        assert answer.status_code == 400
        assert "seed: expected int" in answer.json()["error"]
        assert httpx.post(server.base_url + "/_control/reset",
                          json={"seed": 7}).status_code == 200
