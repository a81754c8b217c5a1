"""Reproduction bundles: written per failure by `drawbridge run`, replayed identically, redacted."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from fake_core_bank.errors import InputError
from harness.bundles import build_bundle, compare, read_bundle, replay_path, rerun, write_bundle
from harness.bundles.replay import bundle_scenario
from harness.cli.main import cli
from harness.drivers import driver_factory
from harness.engine.bank import LocalBank
from harness.engine.runner import RunOptions, run_scenario
from harness.scenarios import load_scenario
from harness.scenarios.creditcode import is_valid
from tests.bundles.planted import SECRETS

ROOT = Path(__file__).resolve().parents[2]
LOST = ROOT / "scenarios/fault/lost-response-after-commit.yaml"
LEGACY = "python:examples.connectors.legacy_v1:LegacyV1Connector"
REFERENCE = "python:examples.connectors.reference_py:ReferenceConnector"


def failed_bundle(tmp_path: Path, spec: str = LEGACY, scenario_path: Path = LOST,
                  version: str = "v2") -> Path:
    scenario = load_scenario(scenario_path)
    make_driver, identity = driver_factory(spec)
    bank = LocalBank()
    try:
        result = run_scenario(scenario, version, bank, make_driver, identity, RunOptions(seed=3))
    finally:
        bank.close()
    assert result.verdict == "fail"
    return write_bundle(build_bundle(scenario, result, RunOptions(seed=3)), tmp_path)


def test_run_writes_one_bundle_per_failure_and_prints_the_replay_command(tmp_path: Path,
                                                                         monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, [
        "run", str(LOST), "scenarios/line-state/frozen-line.yaml", "--connector", LEGACY,
        "--versions", "v2", "--no-progress", "--out", str(out)])
    assert result.exit_code == 1, result.output
    bundles = sorted((out / "bundles").iterdir())
    assert [b.name for b in bundles] == ["lost-response-after-commit@v2.bundle.json"]
    assert f"drawbridge replay {bundles[0]}" in result.output
    bundle = read_bundle(bundles[0])
    assert bundle["verdict"] == "fail" and bundle["version"] == "v2" and bundle["seed"] == 0
    assert bundle["connector"]["spec"] == LEGACY
    assert {f["oracle"] for f in bundle["findings"]} == {"no-double-disbursement",
                                                         "ledger-total"}
    assert [f["kind"] for f in bundle["faults"]] == ["lost-response"]
    assert bundle["state"]["start"]["drawdowns"] == []
    booked = [d for d in bundle["state"]["end"]["drawdowns"] if d["status"] != "REJECTED"]
    assert len(booked) >= 2  # the double booking, as evidence
    assert all("wall_offset" not in e for e in bundle["journal"])
    # self-contained: the scenario inside loads without the library
    assert bundle_scenario(bundle, "b").timeline == load_scenario(LOST).timeline


def test_the_legacy_connectors_failure_replays_identically(tmp_path: Path) -> None:
    path = failed_bundle(tmp_path)
    make_driver, identity = driver_factory(LEGACY)
    _, result, comparison = replay_path(path, make_driver, identity)
    assert comparison.identical, comparison.differences
    assert result.verdict == "fail"
    runner = CliRunner().invoke(cli, ["replay", str(path)])
    assert runner.exit_code == 0, runner.output
    assert "reproduced identically" in runner.output


def test_replay_against_another_connector_shows_the_first_difference(tmp_path: Path) -> None:
    path = failed_bundle(tmp_path)
    runner = CliRunner().invoke(cli, ["replay", str(path), "--connector", REFERENCE])
    assert runner.exit_code == 1
    assert "verdict: bundle fail, replay pass" in runner.output
    # the first journal difference names the entry, the field and both values
    assert re.search(r"journal #\d+ \(POST /v1/credit-lines/CL000001/drawdowns .*\) path: "
                     r"bundle '/v1/.*', replay '/v2/", runner.output), runner.output


def test_a_changed_journal_is_a_difference_even_with_the_same_verdict(tmp_path: Path) -> None:
    path = failed_bundle(tmp_path)
    bundle = read_bundle(path)
    make_driver, identity = driver_factory(LEGACY)
    result = rerun(bundle, bundle_scenario(bundle, str(path)), make_driver, identity)
    assert compare(bundle, result).identical
    exchange = next(e for e in bundle["journal"] if e.get("status") == 201)
    exchange["response_body"]["amount"] = "1.00"
    differences = compare(bundle, result).differences
    assert len(differences) == 1 and "response_body" in differences[0]


def test_secrets_never_reach_the_bundle_and_identifiers_are_masked_consistently(
        tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    account, code = "6222020200112233445", "91350100M000100Y43"
    scenario_file = tmp_path / "leak.yaml"
    scenario_file.write_text(LOST.read_text(encoding="utf-8").replace(
        "      region: \"330100\"",
        f"      region: \"330100\"\n      accountNo: \"{account}\"\n      creditCode: {code}"),
        encoding="utf-8")
    path = failed_bundle(tmp_path, "python:tests.bundles.planted:LeakyConnector", scenario_file)
    text = path.read_text(encoding="utf-8")
    for secret in (*SECRETS, account, code, "c00kie", "s3cr3t"):
        assert secret not in text
    bundle = read_bundle(path)
    # the evidence still says which headers were sent
    sent = next(e for e in bundle["journal"] if e.get("method") == "POST")
    assert sent["request_headers"]["x-api-key"] == "[redacted]"
    assert sent["request_body"]["accessToken"] == "[redacted]"
    # one pseudonym per account, last 4 kept, and the same everywhere it appears
    masked = set(re.findall(r"\b\d{16,19}\b", text))
    assert masked == {"0000000000000013445"}
    assert text.count("0000000000000013445") >= 3  # scenario, start state, request body
    codes = set(re.findall(r"\b91000000\w{10}\b", text))
    assert len(codes) == 1 and is_valid(codes.pop())  # still a valid code: the bundle replays


def test_gzip_bundles_read_back_and_bad_files_are_one_line_errors(tmp_path: Path) -> None:
    plain = failed_bundle(tmp_path)
    zipped = write_bundle(read_bundle(plain), tmp_path / "z", compress=True)
    assert zipped.name.endswith(".bundle.json.gz")
    assert gzip.decompress(zipped.read_bytes()).startswith(b"{")
    assert read_bundle(zipped) == read_bundle(plain)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(InputError, match=r"other.json format: expected 'drawbridge/bundle@1'"):
        read_bundle(other)
    runner = CliRunner().invoke(cli, ["replay", str(tmp_path / "missing.json")])
    assert runner.exit_code != 0
