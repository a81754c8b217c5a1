"""The certificate: deterministic, tamper-evident, and a gate that says no when it must."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from harness.certify.baseline import Waiver
from harness.certify.document import build_certificate, dumps, verify_digest
from harness.certify.profiles import Profile
from tests.certify.certify_kit import LEGACY, REFERENCE, TODAY, certify

pytestmark = pytest.mark.slow


def test_reference_connector_passes_the_v2_gate(reference_certificate: dict,
                                                profile_v2: Profile) -> None:
    gate = reference_certificate["gate"]
    assert gate == {"failOn": "must", "passed": True, "reasons": []}
    cells = {(c["scenario"], c["level"]) for c in reference_certificate["matrix"]}
    assert {s for s, _ in cells} == set(profile_v2.must) | set(profile_v2.should)
    assert all(c["verdict"] == "pass" for c in reference_certificate["matrix"])


def test_same_inputs_and_seed_give_a_byte_identical_certificate(
        library: list, profile_v2: Profile, reference_certificate: dict) -> None:
    again = certify(library, profile_v2, REFERENCE)
    assert dumps(again) == dumps(reference_certificate)


def test_certificate_names_its_inputs_by_digest(reference_certificate: dict) -> None:
    inputs = reference_certificate["inputs"]
    assert list(inputs["contracts"]) == ["contracts/core-banking/v2.yaml"]
    assert "scenarios/line-state/lock-period-case-study.yaml" in inputs["scenarios"]
    assert all(d.startswith("sha256:") and len(d) == 71
               for group in inputs.values() for d in group.values())
    assert reference_certificate["connectors"][0]["name"] == "reference-python"


def test_tampering_breaks_the_digest(reference_certificate: dict) -> None:
    assert verify_digest(reference_certificate)
    forged = {**reference_certificate, "gate": {**reference_certificate["gate"],
                                                "passed": False}}
    assert not verify_digest(forged)


def test_gate_fails_on_a_must_failure_with_the_reason(legacy_certificate: dict) -> None:
    gate = legacy_certificate["gate"]
    assert gate["passed"] is False
    assert any(r.startswith("MUST lock-period-case-study@v2 fails for legacy-v1@0.9.3")
               for r in gate["reasons"])
    failing = {c["scenario"] for c in legacy_certificate["matrix"] if c["verdict"] == "fail"}
    assert "lost-response-after-commit" in failing  # double disbursement without idempotency
    assert "frozen-line" not in failing


def _rebuild(document: dict, waivers: list[Waiver], fail_on: str = "must",
             as_of: date = TODAY) -> dict:
    """Rebuild the gate from the results of a run (the engine's output is in ``results``)."""
    from harness.evidence import Finding, Identity, RunResult

    results = []
    for data in document["results"]:
        c = data["connector"]
        r = RunResult(data["scenario"], data["title"], data["cause"], data["version"],
                      data["source"], data["seed"],
                      Identity(c["name"], c["version"], tuple(c["contracts"]), c["spec"]),
                      verdict=data["verdict"])
        r.findings = [Finding(f["oracle"], f["message"]) for f in data["findings"]]
        results.append(r)
    profile = document["profile"]
    return build_certificate(
        results, profile=Profile(profile["id"], profile["title"], profile["version"],
                                 tuple(profile["must"]), tuple(profile["should"]), "v2.yaml"),
        waivers=waivers, fail_on=fail_on, as_of=as_of, seed=document["seed"])


def test_waivers_let_known_failures_through_until_they_expire(legacy_certificate: dict) -> None:
    failing = sorted({(c["scenario"], c["level"]) for c in legacy_certificate["matrix"]
                      if c["verdict"] == "fail"})
    waivers = [Waiver(s, "team@bank.example", "moving to v2 in Q1", date(2027, 3, 31),
                      connector="legacy-v1") for s, _ in failing]
    waived = _rebuild(legacy_certificate, waivers)
    assert waived["gate"]["passed"] is True
    assert {c["verdict"] for c in waived["matrix"]} == {"pass", "waived"}
    expired = _rebuild(legacy_certificate, waivers, as_of=date(2027, 4, 1))
    assert expired["gate"]["passed"] is False
    assert any("expired on 2027-03-31" in r for r in expired["gate"]["reasons"])


def test_fail_on_should_is_stricter(reference_certificate: dict,
                                    legacy_certificate: dict) -> None:
    must_failures = [c for c in legacy_certificate["matrix"]
                     if c["verdict"] == "fail" and c["level"] == "must"]
    waivers = [Waiver(c["scenario"], "o", "r", date(2030, 1, 1)) for c in must_failures]
    lenient = _rebuild(legacy_certificate, waivers, fail_on="must")
    strict = _rebuild(legacy_certificate, waivers, fail_on="should")
    assert lenient["gate"]["passed"] is True
    assert strict["gate"]["passed"] is False
    assert all(r.startswith("SHOULD") for r in strict["gate"]["reasons"])


def test_expired_waiver_in_a_file_fails_the_gate_with_exit_1(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from harness.cli.main import cli

    baseline = tmp_path / "baseline.yaml"
    baseline.write_text(
        "format: drawbridge/baseline@1\nwaivers:\n  - scenario: frozen-line\n"
        "    owner: team@bank.example\n    reason: flaky upstream\n    expires: 2026-01-31\n")
    profile = tmp_path / "mini.yaml"
    profile.write_text("format: drawbridge/profile@1\nid: mini\ntitle: mini\nversion: v2\n"
                       "must: [frozen-line]\n")
    result = CliRunner().invoke(cli, ["certify", "--connector", REFERENCE, "--profile",
                                      str(profile), "--baseline", str(baseline), "--as-of",
                                      "2026-11-28", "--out", str(tmp_path / "out")],
                                standalone_mode=False)
    assert result.exit_code == 1, result.output
    assert "waiver for frozen-line@v2" in result.output
    assert "expired on 2026-01-31" in result.output
    assert (tmp_path / "out" / "certificate.json").is_file()
    _ = LEGACY
