"""Certifying an old connector against a newer core: judged by what it speaks (issue 13, 2).

A correct connector that declares only v2, certified against profile v3 (whose core still
serves v2), fails nothing: every expectation is the one for the version it used. The
certificate and its reports say, per scenario, what it declared and what it used.
"""

from __future__ import annotations

import pytest

from harness.certify.document import dumps
from harness.certify.profiles import load_profile, resolve_profile
from harness.reporting.html import render_html
from harness.reporting.markdown import render_markdown
from harness.scenarios.model import Scenario
from tests.certify.certify_kit import certify

pytestmark = pytest.mark.slow

V2_ONLY = "python:tests.engine.connectors.speaks_v2_only:SpeaksV2Only"


def test_a_correct_v2_only_connector_passes_profile_v3(library: list[Scenario]) -> None:
    profile = load_profile(resolve_profile("v3"), library)
    document = certify(library, profile, V2_ONLY)
    assert document["gate"] == {"failOn": "must", "passed": True, "reasons": []}, \
        document["gate"]
    cells = document["matrix"]
    assert {c["scenario"] for c in cells} == set(profile.must) | set(profile.should)
    assert "frozen-before-settlement" in profile.must
    for cell in cells:
        assert (cell["versionsDeclared"], cell["versionsUsed"]) == (["v2"], ["v2"]), cell
    for result in document["results"]:
        assert result["versionsUsed"] == ["v2"] and result["version"] == "v3"
    summary = render_markdown(document)
    assert "| speaks-v2-only@1.0.0 | v3 | declares v2; used v2 | " in summary
    assert "frozen-before-settlement@v3@speaks-v2-only@1.0.0 (declares v2; used v2)" in \
        render_html(document)
    assert dumps(certify(library, profile, V2_ONLY)) == dumps(document)


def test_what_a_v2_connector_gets_wrong_still_fails_profile_v3(library: list[Scenario]) -> None:
    profile = load_profile(resolve_profile("v3"), library)
    spec = "python:tests.engine.connectors.speaks_v2_only:V2OnlyReportsPendingForever"
    document = certify(library, profile, spec)
    assert not document["gate"]["passed"]
    assert any(r.startswith("MUST frozen-before-settlement@v3 fails for ")
               for r in document["gate"]["reasons"]), document["gate"]["reasons"]
