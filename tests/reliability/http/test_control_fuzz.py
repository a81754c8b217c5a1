"""The control API fuzzed with hypothesis (issue 15 item 11): no body answers 5xx or breaks the
bank.

For every control route, hypothesis builds JSON bodies from the route's own field names (so
the values reach the handlers, not just the "unknown field" path) with values of every JSON
type: huge and negative numbers, floats near the limits, strings that look like times far in
the past and future, nested lists and objects. Each body goes to a real server on loopback;
the answer must be below 500 and, after it, a plain read must be below 500 unless the journal
says the body asked for it (a maintenance window or an injected fault: the bank's clock stands
still, so a window that starts now lasts until reset), and after a reset the read must be
served (a value accepted and then breaking every later request was the failure).
docs/reliability.md counts the bodies.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_core_bank.fake import BankConfig
from fake_core_bank.http.control_schema import SCHEMAS
from fake_core_bank.server import BankServer

FIELDS = {key: sorted(schema["properties"]) for key, schema in SCHEMAS.items()}
ROUTES = sorted(FIELDS)
#: Bodies per route: 14 routes with bodies x 40 = 560 bodies (docs/reliability.md).
EXAMPLES = 40

times = st.sampled_from([
    "2026-03-02T09:00:00+08:00", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-12:00",
    "1969-12-31T23:59:59+00:00", "2199-12-31T23:59:59-12:00", "2026-02-30T00:00:00+08:00",
    "2026-03-02T09:00:00", "", "now", "2026-03-02T09:00:00+25:00"])
scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 1, 99, 100, 599, 600, 1000, 10**15, 10**16, 2**63, -(2**63)]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, 0.5, 1.0, 1.0000001, 5.0, 1e308, -1e308, 5e-324]),
    st.text(max_size=30), times,
    st.sampled_from(["v1", "v2", "v3", "v9", "FULL", "READ_ONLY", "BOGUS", "LOCKED", "ACTIVE",
                     "latency", "drop", "error", "lost-response", "CL000001", "CL999999"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


def bodies(fields: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(fields) | st.text(max_size=6), values, max_size=5)


def designed(client: httpx.Client) -> bool:
    """Whether the last exchange's 5xx is one the body asked for: a maintenance window it
    scheduled (reads answer 503 during a FULL window) or a fault it injected, as the journal
    says. Any other 5xx is the bank breaking."""
    last = client.get("/_control/journal").json()[-1]
    return bool(last.get("fault")) or last.get("reason") == "MAINTENANCE"


@pytest.fixture(scope="module")
def server() -> Iterator[BankServer]:
    with BankServer(BankConfig(seed=3, customers=3)) as running:
        yield running


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_no_control_body_answers_5xx_or_breaks_the_bank(server: BankServer,
                                                        route: tuple[str, str]) -> None:
    method, template = route
    path = "/_control" + template.replace("{line}", "CL000001")
    seen: list[int] = []

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(body=bodies(FIELDS[route]))
    def one(body: dict[str, Any]) -> None:
        with httpx.Client(base_url=server.base_url, timeout=60) as client:
            try:
                answer = client.request(method, path, json=body)
                seen.append(answer.status_code)
                assert answer.status_code < 500, (body, answer.text)
                read = client.get("/v2/credit-lines/CL000001")
                assert read.status_code < 500 or designed(client), (body, read.text)
                health = client.get("/_control/health")
                assert health.status_code == 200, (body, health.text)
            finally:  # a failed example never leaves its window or fault to the next one
                client.post("/_control/operations/end")
                assert client.post("/_control/reset", json={}).status_code == 200
            again = client.get("/v2/credit-lines/CL000001")
            assert again.status_code == 200, (body, again.text)  # a reset brings the bank back

    one()
    assert len(seen) >= EXAMPLES // 2  # the bodies did reach the route


def test_a_5xx_the_body_asked_for_is_told_from_a_broken_bank(server: BankServer) -> None:
    # The bodies hypothesis found on a loaded run: a window that starts now (the clock stands
    # still, so every later read is refused until a reset) and a fault on the read itself.
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        try:
            for route, body in (("/_control/maintenance", {"durationSeconds": 1}),
                                ("/_control/faults", {"kind": "error", "status": 502,
                                                      "operationId": "getCreditLine"})):
                assert client.post(route, json=body).status_code == 200
                assert client.get("/v2/credit-lines/CL000001").status_code >= 500
                assert designed(client), route
                assert client.post("/_control/reset", json={}).status_code == 200
            assert client.get("/v2/credit-lines/CL000001").status_code == 200
            assert not designed(client)  # a plain answer was asked for by nothing
        finally:
            client.post("/_control/reset", json={})
