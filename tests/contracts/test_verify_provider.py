"""`drawbridge verify-provider`: the fake bank honours its contracts; a drifted server does not.

Every server here listens on 127.0.0.1 (port 0: a free one). Runs use a small --max-examples
and a fixed seed, so the suite stays fast and finds the same drifts every time.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.app import BankApp
from fake_core_bank.http.serving import ThreadedServer
from fake_core_bank.server import BankServer
from harness.cli.main import main
from harness.contracts.verify import minimal_drifts, verify_provider

slow = pytest.mark.slow  # each run drives a real server with schemathesis: seconds, not ms


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve an ASGI app on 127.0.0.1 in a daemon thread; yield its root URL."""
    with ThreadedServer(app, name="test server", lifespan="off") as server:
        yield server.base_url


def drifted_bank() -> Starlette:
    """The fake bank's v2, except three operations that break the v2 contract on purpose.

    - getCreditLine sends ``limit`` as a decimal-yuan string ("300000.00"), as v1 did;
    - getSystemStatus answers 418, a status v2 never declares;
    - getCustomer leaves out the required field ``name``.
    Everything else is the real fake bank, so every other answer conforms.
    """
    inner = BankApp(FakeBank(BankConfig(seed=1, customers=3)))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=inner), base_url="http://bank")

    async def relay(request: Request) -> httpx.Response:
        return await client.request(request.method, request.url.path,
                                    params=request.query_params, headers={
                                        k: v for k, v in request.headers.items()
                                        if k.lower() not in ("host", "content-length")},
                                    content=await request.body())

    async def credit_line(request: Request) -> Response:
        answer = await relay(request)
        if answer.status_code != 200:
            return Response(answer.content, answer.status_code,
                            media_type=answer.headers.get("content-type"))
        body = answer.json()
        body["limit"] = f"{body['limit'] / 100:.2f}"
        return JSONResponse(body)

    async def customer(request: Request) -> Response:
        answer = await relay(request)
        if answer.status_code != 200:
            return Response(answer.content, answer.status_code,
                            media_type=answer.headers.get("content-type"))
        body = answer.json()
        del body["name"]
        return JSONResponse(body)

    async def teapot(request: Request) -> Response:
        return JSONResponse({"type": "about:blank", "title": "I'm a teapot", "status": 418},
                            status_code=418, media_type="application/problem+json")

    return Starlette(routes=[
        Route("/v2/credit-lines/{lineId}", credit_line),
        Route("/v2/customers/{customerId}", customer),
        Route("/v2/system/status", teapot),
        Mount("/", app=inner),
    ])


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["verify-provider", *args])
        raise SystemExit(0)
    out = capsys.readouterr()
    code = exit_info.value.code
    return int(code) if isinstance(code, int) else 1, out.out, out.err


@slow
@pytest.mark.parametrize("version", ["v1", "v2", "v3"])
def test_the_fake_bank_honours_each_contract(version):
    with BankServer(BankConfig(seed=1, customers=3)) as bank:
        result = verify_provider(bank.base_url, version, max_examples=5, seed=1)
    assert result.drifts == [], "\n".join(d.summary + ": " + d.problem for d in result.drifts)
    assert result.errors == []
    # every operation of the contract was exercised, not skipped
    assert len(result.operations) == (8 if version == "v1" else 9)
    assert result.ok


@slow
def test_a_drifted_provider_is_caught_and_each_drift_named(capsys):
    with serve(drifted_bank()) as url:
        code, out, _ = run_cli(capsys, "--base-url", url, "--contract", "v2",
                               "--max-examples", "5", "--format", "json")
    assert code == 1
    report = json.loads(out)
    found = {(d["operation"], d["check"], d["field"]) for d in report["drifts"]}
    assert ("GET /credit-lines/{lineId}", "response_schema_conformance", ".limit") in found
    assert ("GET /customers/{customerId}", "response_schema_conformance", ".name") in found
    assert ("GET /system/status", "status_code_conformance", "status 418") in found
    # nothing else drifts: the rest is the real fake bank
    assert {op for op, _, _ in found} == {"GET /credit-lines/{lineId}",
                                          "GET /customers/{customerId}", "GET /system/status"}
    limit = next(d for d in report["drifts"] if d["field"] == ".limit")
    assert limit["status"] == 200
    assert "is not of type" in limit["problem"] and "integer" in limit["problem"]
    assert limit["request"].startswith(f"GET {url}/v2/credit-lines/")
    assert "curl" in limit["reproduce"]


@slow
def test_the_text_report_shows_the_smallest_example_and_is_stable(capsys):
    reports = []
    for _ in range(2):  # two fresh servers in the same state: the run changes the bank's state
        with serve(drifted_bank()) as url:
            code, out, _ = run_cli(capsys, "--base-url", url, "--contract", "v2",
                                   "--max-examples", "3")
        reports.append(out.replace(url, "URL"))
    assert code == 1
    assert "DRIFT GET /system/status status_code_conformance status 418" in out
    assert "  request:\n    GET URL/v2/system/status\n  response: 418" in reports[0]
    assert reports[0] == reports[1]  # same seed, same provider state: same report


def test_one_drift_per_defect_keeps_the_shortest_request():
    from harness.contracts.drift import Drift

    def drift(request: str, problem: str) -> Drift:
        return Drift("GET /x", "response_schema_conformance", ".limit", problem, request, 200,
                     "{}", "curl", "fuzzing")

    kept = minimal_drifts([drift("GET /x?a=long", "'1' is not of type \"integer\""),
                           drift("GET /x", "'2' is not of type \"integer\""),
                           drift("GET /x", "-1 is less than the minimum of 0")])
    assert [(d.request, d.problem) for d in kept] == [
        ("GET /x", "'2' is not of type \"integer\""),
        ("GET /x", "-1 is less than the minimum of 0")]


def test_unreachable_provider_is_one_line_with_a_fix(capsys):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nobody listens there now
    code, _, err = run_cli(capsys, "--base-url", f"http://127.0.0.1:{port}", "--contract", "v2")
    assert code == 2
    assert err.count("\n") == 1
    assert f"nothing answers at http://127.0.0.1:{port}/v2" in err
    assert "start the provider or correct --base-url" in err


def test_unknown_contract_lists_the_known_ones(capsys):
    code, _, err = run_cli(capsys, "--base-url", "http://127.0.0.1:9", "--contract", "v9")
    assert code == 2
    assert "'v9' is neither a known version nor a file" in err
    assert "v1, v2, v3" in err


def test_a_base_url_that_is_not_http_is_refused(capsys):
    code, _, err = run_cli(capsys, "--base-url", "127.0.0.1:8000", "--contract", "v2")
    assert code == 2
    assert "--base-url" in err and "http://127.0.0.1:8000" in err
