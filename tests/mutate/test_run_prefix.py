"""Operators read the path the bank routes, not the run's ``/_run/<epoch>`` prefix before it.

Every request of a scenario run carries the prefix (fake_core_bank/fake.py ``run_prefix``); the
journal records the path without it. An operator that took the prefix for the version never
changed a byte: pin-first-version survived at v2 although its scenarios move versions.
"""

from __future__ import annotations

from harness.mutate.operators.base import RunState
from harness.mutate.operators.requests import _pin
from harness.mutate.wire import Exchange, WireRequest, split_run_prefix


def request(path: str) -> WireRequest:
    return WireRequest(method="GET", path=path, query="", headers=(), body=b"")


def test_the_prefix_is_split_from_the_route() -> None:
    assert split_run_prefix("/_run/3/v2/credit-lines/CL1") == ("/_run/3", "/v2/credit-lines/CL1")
    assert split_run_prefix("/v2/credit-lines/CL1") == ("", "/v2/credit-lines/CL1")
    fenced = request("/_run/12/v3/drawdowns/DD1")
    assert (fenced.route, fenced.version) == ("/v3/drawdowns/DD1", "v3")
    assert Exchange.live(fenced, None).path == "/v3/drawdowns/DD1"  # as the journal has it


def test_pin_first_version_rewrites_the_version_and_keeps_the_run() -> None:
    state = RunState()
    assert _pin(request("/_run/2/v2/credit-lines/CL1"), state).path == \
        "/_run/2/v2/credit-lines/CL1"
    assert _pin(request("/_run/2/v3/credit-lines/CL1"), state).path == \
        "/_run/2/v2/credit-lines/CL1"
    assert state.data == {"first-version": "v2"}
