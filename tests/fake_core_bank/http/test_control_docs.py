"""Issue 16.5: docs/control-api.md lists exactly the control routes the code serves; GET / and
GET /_control answer a useful JSON index instead of a bare 404."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from starlette.routing import Route

from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.control import control_app
from fake_core_bank.server import BankServer

DOC = Path(__file__).resolve().parents[3] / "docs" / "control-api.md"
ROW = re.compile(r"^\| `(GET|POST|PUT|DELETE) (/_control[^`?]*)(?:\?[^`]*)?` \|", re.M)


def served_routes() -> set[str]:
    app = control_app(FakeBank(BankConfig(seed=0, customers=1)), None)
    found = set()
    for route in app.routes:
        assert isinstance(route, Route)
        for method in route.methods or ():
            if method != "HEAD":
                found.add(f"{method} {route.path}")
    return found


def test_the_doc_lists_every_control_route_and_no_other() -> None:
    documented = {f"{m} {p}" for m, p in ROW.findall(DOC.read_text(encoding="utf-8"))}
    served = served_routes()
    assert served - documented == set(), "served but not in docs/control-api.md"
    assert documented - served == set(), "in docs/control-api.md but not served"


@pytest.fixture(scope="module")
def base_url() -> str:
    with BankServer(BankConfig(seed=0, customers=1)) as bank:
        yield bank.base_url


def test_get_root_is_an_index_of_the_apis_and_the_control_api(base_url: str) -> None:
    answer = httpx.get(base_url + "/", timeout=10)
    assert answer.status_code == 200
    index = answer.json()
    assert index["apis"] == {"v1": "/v1", "v2": "/v2", "v3": "/v3"}
    assert index["control"] == "/_control"
    assert httpx.get(base_url + "/nope", timeout=10).status_code == 404  # still 404 elsewhere


def test_get_control_lists_the_routes_from_the_routing_table(base_url: str) -> None:
    answer = httpx.get(base_url + "/_control", timeout=10)
    assert answer.status_code == 200
    assert set(answer.json()["routes"]) == served_routes()
    assert answer.json()["docs"] == "docs/control-api.md"


def test_the_control_index_needs_the_token_like_every_control_route() -> None:
    with BankServer(BankConfig(seed=0, customers=1), token="s3cret") as bank:
        assert httpx.get(bank.base_url + "/_control", timeout=10).status_code == 401
        authorised = httpx.get(bank.base_url + "/_control", timeout=10,
                               headers={"Authorization": "Bearer s3cret"})
        assert authorised.status_code == 200
