"""The gateway core's own scenarios and profiles through the real console script: `run` with its
reference and legacy connectors, `certify` with its profiles, deterministic artefacts; and
nothing in Drawbridge names this core."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from tests.cores.gateway.gateway_kit import LEGACY, REFERENCE, ROOT, SPEC, drawbridge

pytestmark = pytest.mark.slow

SCENARIOS = ROOT / "examples" / "cores" / "gateway_lending" / "scenarios"
#: the scenario whose reads the faithful-read oracle can judge only through Evidence
INQUIRY = SCENARIOS / "line-inquiry.yaml"
JUDGED = sorted(str(p) for p in SCENARIOS.glob("*.yaml"))
#: what release r1 cannot do, and the oracles that say so: drawdown 1.0 after its retirement
#: after drawdown 1.0 retires the legacy connector neither moves to 2.0 (successor-migration)
#: nor tells its caller why its drawdown was refused (reason-propagation)
LEGACY_FAILS = {("gw-drawdown-service-upgrade", "r1"): {
    "expected-outcome", "ledger-total", "reason-propagation", "successor-migration"}}


def run(out: Path, connector: str, *scenarios: str) -> dict[tuple[str, str], set[str]]:
    """Failing (scenario, version) -> its oracles, from results.json of a `drawbridge run`."""
    result = drawbridge("run", *scenarios, "--core", SPEC, "--connector", connector,
                        "--versions", "r1,r2", "--out", str(out), "--no-progress")
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    results = json.loads((out / "results.json").read_text())["results"]
    assert results and all(r["error"] is None for r in results)
    return {(r["scenario"], r["version"]): {f["oracle"] for f in r["findings"]}
            for r in results if r["verdict"] != "pass"}


def test_the_reference_connector_passes_every_scenario_of_the_core(tmp_path):
    assert run(tmp_path, REFERENCE, *JUDGED) == {}


def test_the_legacy_connector_fails_exactly_what_release_r1_cannot_do(tmp_path):
    assert run(tmp_path, LEGACY, *JUDGED) == LEGACY_FAILS


def test_faithful_read_judges_the_inquiries_through_evidence(tmp_path):
    assert run(tmp_path, REFERENCE, str(INQUIRY)) == {}


def test_same_seed_same_artefacts_from_any_directory(tmp_path):
    outs = []
    for n, cwd in enumerate((ROOT, tmp_path)):
        out = tmp_path / f"out{n}"
        result = drawbridge("run", *JUDGED[:3], "--core", SPEC, "--connector", REFERENCE,
                            "--connector-path", str(ROOT), "--out", str(out),
                            "--no-progress", cwd=cwd)
        assert result.returncode == 0, result.stdout + result.stderr
        outs.append(out)
    for name in ("results.json", "report.html", "summary.md", "junit.xml"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_a_reproduce_command_names_the_core_and_works_from_any_directory(tmp_path):
    result = drawbridge("run", str(SCENARIOS / "lock-period.yaml"), "--core", SPEC,
                        "--connector", REFERENCE, "--connector-path", str(ROOT), "--versions",
                        "r2", "--out", str(tmp_path / "first"), "--no-progress", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    first = json.loads((tmp_path / "first" / "results.json").read_text())["results"][0]
    assert first["source"] == "scenarios/lock-period.yaml"
    command = shlex.split(first["reproduce"])
    assert command[:4] == ["drawbridge", "run", "scenarios/lock-period.yaml", "--core"]
    assert command[4] == SPEC
    again = drawbridge(*command[1:], "--out", str(tmp_path / "again"), "--no-progress",
                       cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert (tmp_path / "again" / "results.json").read_bytes() == \
        (tmp_path / "first" / "results.json").read_bytes()


@pytest.mark.parametrize(("connector", "profile", "code"), [
    (REFERENCE, "gateway-r2", 0), (REFERENCE, "gateway-r1", 0), (LEGACY, "gateway-r1", 1)])
def test_certify_with_the_cores_own_profiles(tmp_path, connector, profile, code):
    result = drawbridge("certify", "--core", SPEC, "--connector", connector, "--profile",
                        profile, "--out", str(tmp_path), "--no-history", "--no-progress")
    assert result.returncode == code, result.stdout + result.stderr
    certificate = json.loads((tmp_path / "certificate.json").read_text())
    assert certificate["profile"]["id"] == profile
    assert certificate["gate"]["passed"] is (code == 0)
    verdicts = {r["scenario"]: r["verdict"] for r in certificate["results"]}
    failing = {s for s, v in verdicts.items() if v != "pass"}
    assert failing == ({"gw-drawdown-service-upgrade"} if code else set())
    assert (tmp_path / "report.html").is_file() and (tmp_path / "summary.md").is_file()


def test_nothing_in_drawbridge_names_this_core():
    naming = re.compile(r"gateway[_-]lending", re.IGNORECASE)
    found = [f"{path.relative_to(ROOT)}:{n}"
             for package in ("harness", "fake_core_bank")
             for path in sorted((ROOT / package).rglob("*")) if path.is_file()
             and path.suffix in (".py", ".md", ".yaml", ".yml", ".json", ".j2", ".txt")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if naming.search(line)]
    assert found == []


def test_bad_input_against_the_core_is_one_line_naming_its_versions_and_profiles(tmp_path):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text((SCENARIOS / "lock-period.yaml").read_text(encoding="utf-8")
                        .replace("versions: [r1, r2]", "versions: [v2]"), encoding="utf-8")
    result = drawbridge("run", str(scenario), "--core", SPEC, "--connector", REFERENCE,
                        "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == ("drawbridge: bad.yaml:5:12 versions[0]: unknown version "
                                     "'v2'; fix: valid versions: r1, r2")
    result = drawbridge("certify", "--core", SPEC, "--connector", REFERENCE, "--profile", "nope",
                        "--no-history", "--out", str(tmp_path / "cert"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == ("drawbridge: --profile: unknown profile 'nope'; fix: valid "
                                     "profiles: gateway-r1, gateway-r2, v1, v2, v3")
    result = drawbridge("certify", "--core", SPEC, "--connector", REFERENCE, "--profile", "v1",
                        "--no-history", "--out", str(tmp_path / "cert"), cwd=tmp_path)
    assert result.returncode == 2  # the library's v1 profile: the gateway maps no v1
    assert result.stderr.strip().endswith("this library profile is for version v1, which core "
                                          "gateway-lending does not map; fix: map v1 in the "
                                          "core's library_versions, or certify with a profile "
                                          "of the core's own")
