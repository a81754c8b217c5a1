"""The gateway's contracts (OpenAPI 3.1, one per release) through Drawbridge's loaders, `diff`
between the releases, and `serve` + `verify-provider` through the real console script."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator

import httpx
import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from ruamel.yaml import YAML

from examples.cores.gateway_lending import envelope as env
from tests.cores.gateway.gateway_kit import KEYS, MODEL, ROOT, SPEC, drawbridge
from tests.fake_core_bank.test_serve_cli import start_serve


@pytest.mark.parametrize("release", MODEL.versions)
def test_each_release_is_valid_openapi_3_1_and_compiles_in_the_fake(release):
    document = YAML(typ="safe", pure=True).load(MODEL.contract_path(release))
    validate(document, cls=OpenAPIV31SpecValidator)
    contract = MODEL.contract(release)
    assert sorted(contract.by_id) == sorted(env.SERVICES)
    for op_id, code in env.SERVICES.items():
        assert contract.by_id[op_id].template == f"/esb/{code}"
        assert contract.by_id[op_id].method == "POST"


def test_diff_between_the_releases_finds_the_new_required_field_and_the_amount_encoding():
    r1, r2 = (str(MODEL.contract_path(v).relative_to(ROOT)) for v in MODEL.versions)
    result = drawbridge("diff", r1, r2, "--format", "json")
    assert result.returncode == 1, result.stderr  # breaking changes found
    changes = {(c["rule"], c["location"]): c["severity"]
               for c in json.loads(result.stdout)["changes"]}
    # r1 reads no body at a version it does not offer (GW0404): r2's 2.0 requires purposeCode
    assert changes[("request-required-property-added",
                    "POST /esb/DD0201 request body (oneOf 1).body.purposeCode")] == "breaking"
    assert changes[("response-constraint-loosened",
                    "POST /esb/DD0201 response 200 .body.amount")] == "potentially-breaking"
    assert not any(loc.startswith(("POST /esb/CL01", "POST /esb/DD0202", "POST /esb/RP"))
                   for _, loc in changes), "the other services stay as they were"


@pytest.fixture(params=MODEL.versions)
def served(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    process, url = start_serve("--core", SPEC, "--versions", request.param)
    yield request.param, url
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert "Traceback" not in err


def _inquiry(url: str) -> httpx.Response:
    body = {"lineNo": "CL000001"}
    head = {"serviceCode": "CL0101", "serviceVersion": "1.0", "consumerId": "DRAWBRIDGE",
            "consumerSeqNo": "Q1", "tranDate": "20260302", "tranTime": "090000",
            "signature": env.sign(body, KEYS["K1"].secret)}
    return httpx.post(url + "/esb/CL0101", json={"sysHead": head, "body": body}, timeout=10)


@pytest.mark.slow
def test_serve_serves_each_release_and_verify_provider_finds_no_drift(served, tmp_path):
    release, url = served
    index = httpx.get(url + "/", timeout=10).json()
    assert index["core"] == "gateway-lending" and index["apis"] == {release: "/"}
    answer = _inquiry(url)
    assert answer.status_code == 200 and answer.json()["sysHead"]["retStatus"] == "S"
    report = tmp_path / "verify.json"
    result = drawbridge("verify-provider", "--base-url", url, "--contract",
                        str(MODEL.contract_path(release)), "--max-examples", "5",
                        "--format", "json", "--output", str(report))
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(report.read_text())["drifts"] == []


def test_serve_refuses_two_releases_at_once_in_one_line():
    result = drawbridge("serve", "--core", SPEC, "--versions", "r1,r2", "--port", "0")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "drawbridge: --versions: core gateway-lending serves one version at a time, not r1, "
        "r2; fix: give one version (an upgrade through the control API replaces it)")


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


@pytest.mark.parametrize("release", MODEL.versions)
def test_every_ref_resolves_and_every_component_is_used(release):
    document = YAML(typ="safe", pure=True).load(MODEL.contract_path(release))
    refs = set(_refs(document))
    for ref in refs:
        node = document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
    declared = {f"#/components/{kind}/{name}" for kind, table in document["components"].items()
                for name in table}
    assert declared - refs == set()
