"""Recording proxy and scenarios from recordings: recorded runs become scenarios that judge
connectors the way the original scenarios did."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from fake_core_bank.errors import InputError
from fake_core_bank.fake import BankConfig
from fake_core_bank.http.serving import ThreadedServer
from fake_core_bank.server import BankServer
from harness.cli.main import cli, main
from harness.drivers import driver_factory
from harness.engine.bank import LocalBank
from harness.engine.runner import RunOptions, run_scenario
from harness.recording import RecordingServer, read_recording, scenario_from_recording
from harness.recording.redact import RedactionRules, Redactor
from harness.scenarios import load_scenario

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = "python:examples.connectors.reference_py:ReferenceConnector"
LEGACY = "python:examples.connectors.legacy_v1:LegacyV1Connector"


class ProxiedBank(LocalBank):
    """A fake bank the connector reaches only through the recording proxy."""

    def __init__(self, out: Path) -> None:
        super().__init__()
        self.proxy = RecordingServer(self.base_url, out).start()
        self.base_url = self.proxy.base_url

    def run_url(self) -> str:
        return self.base_url  # a recording holds the bank's own paths, without the run's fence

    def close(self) -> None:
        self.proxy.stop()
        super().close()


def verdict(scenario, spec: str) -> tuple[str, set[str]]:
    make_driver, identity = driver_factory(spec)
    bank = LocalBank()
    try:
        result = run_scenario(scenario, "v2", bank, make_driver, identity, RunOptions())
    finally:
        bank.close()
    return result.verdict, {f.oracle for f in result.findings}


def record(scenario_path: Path, out: Path) -> None:
    make_driver, identity = driver_factory(REFERENCE)
    bank = ProxiedBank(out)
    try:
        result = run_scenario(load_scenario(scenario_path), "v2", bank, make_driver, identity,
                              RunOptions())
    finally:
        bank.close()
    assert result.passed, result.findings


@pytest.mark.parametrize("name", ["line-state/lock-period-case-study",
                                  "maintenance/full-outage-retry-after"])
def test_a_recorded_scenario_judges_connectors_like_the_original(tmp_path: Path,
                                                                name: str) -> None:
    original = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    recording = tmp_path / "rec.jsonl"
    record(ROOT / "scenarios" / f"{name}.yaml", recording)
    out = tmp_path / "recorded.yaml"
    runner = CliRunner().invoke(cli, ["scenario", "from-recording", str(recording),
                                      "--out", str(out), "--id", "recorded-case"])
    assert runner.exit_code == 0, runner.output
    recorded = load_scenario(out)
    assert verdict(recorded, REFERENCE) == ("pass", set())
    legacy_original, legacy_recorded = verdict(original, LEGACY), verdict(recorded, LEGACY)
    assert legacy_original[0] == legacy_recorded[0] == "fail"
    # the same oracles object (the recorded scenario expects no more and no less)
    assert legacy_recorded[1] == legacy_original[1]


def test_the_lock_period_recording_infers_the_lock_its_end_and_the_expectations(
        tmp_path: Path) -> None:
    recording = tmp_path / "rec.jsonl"
    record(ROOT / "scenarios/line-state/lock-period-case-study.yaml", recording)
    scenario = scenario_from_recording(read_recording(recording), scenario_id="lock-rec")
    line = scenario.given.line("CL000001")
    assert line.status == "LOCKED" and line.locked_until is not None
    assert line.locked_until.isoformat() == "2026-03-16T00:00:00+08:00"
    kinds = [getattr(s, "kind", None) for s in scenario.timeline]
    assert kinds == ["draw-down", "unlock", "draw-down"]
    first = scenario.operations[0]
    assert first.expect is not None and first.expect.reasons == ("LINE_LOCKED",)
    assert first.amount is not None and str(first.amount) == "200000.00 CNY"
    assert str(scenario.expect.disbursed) == "200000.00 CNY"


def test_the_proxy_forwards_faithfully_records_each_line_and_redacts(tmp_path: Path) -> None:
    out = tmp_path / "rec.jsonl"
    with BankServer(BankConfig(seed=1, customers=1)) as bank, \
            RecordingServer(bank.base_url, out) as proxy:
        direct = httpx.get(bank.base_url + "/v2/credit-lines/CL000001").json()
        answer = httpx.get(proxy.base_url + "/v2/credit-lines/CL000001",
                           headers={"Authorization": "Bearer top-secret-token-1",
                                    "Cookie": "sid=abcdef123456"})
        assert answer.status_code == 200
        # forwarded verbatim to the connector (redaction is for the file only)
        assert answer.json()["limit"] == direct["limit"]
        customer = httpx.get(proxy.base_url + f"/v2/customers/{direct['customerId']}").json()
        lines = out.read_text().splitlines()  # flushed as it goes: readable while recording
        assert len(lines) == 3
    text = out.read_text()
    assert "top-secret-token-1" not in text and "abcdef123456" not in text
    assert customer["accountNo"] not in text and customer["creditCode"] not in text
    assert customer["accountNo"][-4:] in text
    exchanges = read_recording(out)
    assert dict(exchanges[0].request_headers)["authorization"] == "[redacted]"


def test_a_connection_the_bank_cuts_is_cut_for_the_connector_and_recorded_as_no_answer(
        tmp_path: Path) -> None:
    out = tmp_path / "rec.jsonl"
    with BankServer(BankConfig(seed=1, customers=1)) as bank, \
            RecordingServer(bank.base_url, out) as proxy:
        bank.bank.inject_fault("drop", operation_id="getCreditLine")
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(proxy.base_url + "/v2/credit-lines/CL000001")
        # the cut is one exchange's: the proxy goes on serving
        assert httpx.get(proxy.base_url + "/v2/credit-lines/CL000001").status_code == 200
    cut, served = read_recording(out)
    assert cut.status is None and cut.error is not None
    assert cut.error.startswith("no answer from the upstream")
    assert served.status == 200 and served.error is None


#: the proxy's body bound in the test below (the default is 32 MB)
SMALL = 64 * 1024


def test_bodies_past_the_proxys_bound_are_refused_and_recorded_never_held(
        tmp_path: Path) -> None:
    # The proxy records bodies whole, so it holds each: an endless request or answer grew it
    # without limit. Past its bound a request is answered 413 and not forwarded, an answer 502.
    asked: list[str] = []

    async def upstream(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        asked.append(scope["path"])
        body = b"x" * (SMALL + 1) if scope["path"] == "/big" else b'{"ok": true}'
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]})
        await send({"type": "http.response.body", "body": body})

    out = tmp_path / "rec.jsonl"
    with ThreadedServer(upstream, name="upstream", lifespan="off") as bank, \
            RecordingServer(bank.base_url, out, max_body=SMALL) as proxy:
        refused = httpx.post(proxy.base_url + "/post", content=b"y" * (SMALL + 1))
        cut = httpx.get(proxy.base_url + "/big")
        fits = httpx.post(proxy.base_url + "/post", content=b"y" * SMALL)
    assert refused.status_code == 413 and f"longer than {SMALL} bytes".encode() in refused.content
    assert cut.status_code == 502 and b"upstream's answer is longer" in cut.content
    assert fits.status_code == 200 and fits.json() == {"ok": True}
    assert asked == ["/big", "/post"]  # the refused request never reached the upstream
    first, second, third = read_recording(out)
    assert first.error is not None and first.error.startswith("the request's body is longer")
    assert second.error is not None and second.status is None
    assert third.error is None and third.status == 200


def test_a_request_whose_connector_went_away_mid_body_is_recorded_never_forwarded(
        tmp_path: Path) -> None:
    # The proxy forwarded what had come of the body: a cut request the connector never sent.
    asked: list[str] = []

    async def upstream(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            asked.append(scope["path"])
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})

    out = tmp_path / "rec.jsonl"
    with ThreadedServer(upstream, name="upstream", lifespan="off") as bank, \
            RecordingServer(bank.base_url, out) as proxy:
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as sock:
            sock.sendall(b"POST /post HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n"
                         b"\r\n" + b"z" * 10)
        deadline = time.monotonic() + 30
        while len(out.read_text().splitlines()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert httpx.post(proxy.base_url + "/after", content=b"ok").status_code == 204
    gone, after = read_recording(out)
    assert gone.error is not None and gone.error.startswith("the connector went away")
    assert asked == ["/after"]
    assert after.status == 204


def test_a_port_in_use_is_one_line_and_leaves_an_earlier_recording_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "rec.jsonl"
    out.write_text("an earlier recording\n")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(SystemExit) as exited:
            main(["record", "--upstream", "http://127.0.0.1:9", "--out", str(out),
                  "--port", str(busy.getsockname()[1])])
    assert exited.value.code == 2
    said = capsys.readouterr().err
    assert said.startswith("drawbridge: --port: cannot listen on 127.0.0.1:")
    assert "--port 0" in said and "Traceback" not in said and len(said.splitlines()) == 1
    assert out.read_text() == "an earlier recording\n"


def test_redaction_rules_from_a_file_and_consistent_pseudonyms(tmp_path: Path) -> None:
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text("headers: [x-session]\nfields: ['^tenant$']\n"
                          "patterns: ['ORDER-[0-9]+']\n")
    redactor = Redactor(RedactionRules().with_rule(str(rules_file)))
    out = redactor.value({"x-session": "s1", "tenant": "acme",
                          "note": "ORDER-123 6222020200112233445",
                          "to": "6222020200112233445", "other": "6222020200119999999"})
    assert out["x-session"] == out["tenant"] == "[redacted]"
    assert out["note"] == "[redacted] " + out["to"]
    assert out["to"].endswith("3445") and out["other"].endswith("9999")
    assert out["to"] != out["other"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("headerz: [a]\n")
    with pytest.raises(InputError, match=r"unknown key 'headerz'.*did you mean 'headers'"):
        RedactionRules().with_rule(str(bad))
    with pytest.raises(InputError, match="not KIND:VALUE"):
        RedactionRules().with_rule("nonsense")


def test_a_har_export_imports_like_a_recording(tmp_path: Path) -> None:
    def entry(method: str, url: str, status: int, body: dict, request: dict | None = None):
        return {"request": {"method": method, "url": url, "headers": [],
                            "postData": {"mimeType": "application/json",
                                         "text": json.dumps(request)} if request else None},
                "response": {"status": status, "headers": [],
                             "content": {"mimeType": "application/problem+json",
                                         "text": json.dumps(body)}}}
    har = {"log": {"version": "1.2", "entries": [
        entry("GET", "https://sandbox.example/v2/credit-lines/CL000007", 200,
              {"lineId": "CL000007", "customerId": "ENT000007", "currency": "CNY",
               "limit": 5000000, "used": 0, "status": "FROZEN", "expiryDate": "2027-01-01"}),
        entry("POST", "https://sandbox.example/v2/credit-lines/CL000007/drawdowns", 409,
              {"reasonCode": "LINE_FROZEN", "status": 409},
              {"amount": 100000, "currency": "CNY", "purposeCode": "WC01"}),
    ]}}
    path = tmp_path / "devtools.har"
    path.write_text(json.dumps(har))
    scenario = scenario_from_recording(read_recording(path), scenario_id="har-case")
    assert scenario.given.line("CL000007").status == "FROZEN"
    assert [op.kind for op in scenario.operations] == ["get-line", "draw-down"]
    assert scenario.operations[1].expect.reasons == ("LINE_FROZEN",)
    with pytest.raises(InputError, match="no connector operation"):
        scenario_from_recording([], where="empty.jsonl")
