"""Drawbridge's whole scenario library against the gateway core (its ``library_versions``: the
library's v2 is r1, its v3 is r2) through the real console script, judged by the same oracles as the
built-in core: the reference connector passes every run, the legacy r1-only connector fails
exactly what release r1 cannot do, and a connector that does not fall back to the service
version an r1 node has fails the mixed fleet of a rolling upgrade."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import pytest

from examples.cores.gateway_lending import envelope as env
from examples.cores.gateway_lending.connectors.reference import ReferenceConnector
from tests.cores.gateway.gateway_kit import LEGACY, REFERENCE, SPEC, drawbridge

pytestmark = pytest.mark.slow

#: library scenarios whose story the gateway's evolution excludes (it never upgrades in place):
#: not for this core, so left out of its library and of the library's profiles
NOT_FOR_THIS_CORE = {"in-place-upgrade"}
#: what release r1 cannot do: settle a drawdown asynchronously. Drawdown 1.0 books at once, so
#: a drawdown accepted on r2 and frozen before settlement is reported succeeded and paid
LEGACY_FAILS = {("frozen-before-settlement", "r2"): {"expected-outcome", "ledger-total"}}
ROLLING = "scenarios/integration/rolling-upgrade-v2-v3.yaml"


class NoFallbackConnector(ReferenceConnector):
    """Moves to drawdown 2.0 when r2 announces it and never back: an r1 node of a mixed fleet
    answering GW0404 (no such service version) is taken as the drawdown's refusal."""

    DRAWBRIDGE: ClassVar[dict[str, Any]] = {
        "name": "gateway-no-fallback", "version": "0.1.0", "contracts": ["r1", "r2"]}

    def _move_on(self, answer: dict[str, Any]) -> bool:
        head = answer.get("sysHead") or {}
        if (head.get("ret") or [{}])[0].get("retCode") == env.NO_SUCH_SERVICE_VERSION:
            return False
        return super()._move_on(answer)


NO_FALLBACK = f"python:{__name__}:NoFallbackConnector"


def run(out: Path, connector: str, *scenarios: str) -> dict[tuple[str, str], set[str]]:
    """Failing (scenario, version) -> its oracles, from results.json of a `drawbridge run` of
    the library (or ``scenarios``) at both releases, less what is not for this core."""
    result = drawbridge("run", *scenarios, "--core", SPEC, "--connector", connector,
                        "--versions", "r1,r2", "--jobs", "2", "--out", str(out),
                        "--no-progress")
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    results = [r for r in json.loads((out / "results.json").read_text())["results"]
               if not r["scenario"].startswith("gw-")]  # its own: test_library_through_the_cli
    assert results and all(r["error"] is None for r in results)
    assert not NOT_FOR_THIS_CORE & {r["scenario"] for r in results}
    return {(r["scenario"], r["version"]): {f["oracle"] for f in r["findings"]}
            for r in results if r["verdict"] != "pass"}


def test_the_reference_connector_passes_the_whole_library(tmp_path):
    assert run(tmp_path, REFERENCE) == {}


def test_the_legacy_connector_fails_exactly_what_release_r1_cannot_do(tmp_path):
    assert run(tmp_path, LEGACY) == LEGACY_FAILS


def test_a_connector_that_does_not_fall_back_fails_the_mixed_fleet(tmp_path):
    failing = run(tmp_path, NO_FALLBACK, ROLLING)
    assert set(failing) == {("rolling-upgrade-v2-v3", "r1"), ("rolling-upgrade-v2-v3", "r2")}
    assert all("expected-outcome" in oracles for oracles in failing.values())
    assert run(tmp_path / "reference", REFERENCE, ROLLING) == {}


@pytest.mark.parametrize(("profile", "release"), [("v2", "r1"), ("v3", "r2")])
def test_the_librarys_profiles_certify_the_gateways_releases(tmp_path, profile, release):
    result = drawbridge("certify", "--core", SPEC, "--connector", REFERENCE,
                        "--profile", profile, "--out", str(tmp_path), "--no-history",
                        "--no-progress")
    certificate = json.loads((tmp_path / "certificate.json").read_text())
    assert certificate["profile"]["id"] == profile
    assert {r["version"] for r in certificate["results"]} == {release}
    ran = {r["scenario"] for r in certificate["results"]}
    assert not NOT_FOR_THIS_CORE & ran and len(ran) >= 15, ran
    assert all(r["verdict"] == "pass" for r in certificate["results"])
    assert result.returncode == 0, result.stdout + result.stderr
