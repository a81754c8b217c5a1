"""Helpers of the certification tests: connectors, a fixed date, one certify() call."""

from __future__ import annotations

from datetime import date

from harness.certify.profiles import Profile
from harness.certify.session import CertifyRequest, run_certification
from harness.engine.runner import RunOptions
from harness.scenarios.model import Scenario

REFERENCE = "python:examples.connectors.reference_py:ReferenceConnector"
LEGACY = "python:examples.connectors.legacy_v1:LegacyV1Connector"
TODAY = date(2026, 11, 28)


def certify(library: list[Scenario], profile: Profile, *connectors: str, **kw: object) -> dict:
    request = CertifyRequest(connectors=connectors, versions=(profile.version,),
                             scenarios=tuple(library), profile=profile, as_of=TODAY,
                             options=RunOptions(seed=0), jobs=2, **kw)  # type: ignore[arg-type]
    document, interrupted = run_certification(request)
    assert not interrupted
    return document
