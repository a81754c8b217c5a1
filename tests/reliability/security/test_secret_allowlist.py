"""Secrets, inverted (issue 15 item 15): header values are kept only for harmless headers.

A list of secret header names always misses one (``Ocp-Apim-Subscription-Key`` went verbatim
into every artefact). Now every header value is masked unless the header is on a short harmless
list; credential-named query parameters are masked; ``--keep-header``/``--redact-header`` adjust
the list; a token the user supplies is never printed; ``record`` prints its URL at once. The
artefacts of ``run`` and ``certify`` are covered end to end by test_redaction_end_to_end.py.
"""

from __future__ import annotations

import json
import queue
import re
import signal
import subprocess
import threading
from pathlib import Path
from typing import IO

import click
import httpx
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from reliability_kit import DRAWBRIDGE, cli_env, popen

from fake_core_bank.domain.secrets import HARMLESS_HEADERS, HeaderPolicy, mask_query
from fake_core_bank.fake import BankConfig
from fake_core_bank.server import BankServer
from harness.cli.header_options import chosen_policy, header_options
from harness.recording.redact import RedactionRules, Redactor
from harness.redaction import header_policy, redact_entry, set_header_policy

UNLISTED = {"Ocp-Apim-Subscription-Key": "apim-secret-1", "Proxy-Authorization": "Basic cHc6eA==",
            "X-Auth-Token": "xat-secret-2", "X-Vendor-Whatever": "vendor-secret-3"}
HARMLESS = {"Content-Type": "application/json", "Idempotency-Key": "idem-42",
            "Accept": "application/json"}


def line_within(stream: IO[str], seconds: float = 120) -> str:
    """The next line of a child's pipe, or "" when none comes within a generous bound (a
    reader thread: select() on a buffered stream misses lines already in its buffer)."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    try:
        return lines.get(timeout=seconds)
    except queue.Empty:
        return ""


def journal_of(server: BankServer, **extra: str) -> dict[str, object]:
    headers = {**UNLISTED, **HARMLESS, **extra}
    answer = httpx.get(server.base_url + "/v2/credit-lines/CL000001?access_token=qat-secret-4"
                       "&lineId=CL000001", headers=headers, timeout=10)
    assert answer.status_code < 500
    entries = httpx.get(server.base_url + "/_control/journal", timeout=10).json()
    entry: dict[str, object] = entries[-1]
    return entry


def test_the_fake_banks_journal_masks_every_header_but_the_harmless_ones() -> None:
    with BankServer(BankConfig(seed=1, customers=2)) as server:
        entry = journal_of(server)
        raw = json.dumps(server.bank.journal.entries(0)[-1].to_dict())
    headers = entry["request_headers"]
    assert isinstance(headers, dict)
    for name in UNLISTED:
        assert headers[name.lower()] == "[redacted]", name
    assert headers["idempotency-key"] == "idem-42"
    assert headers["content-type"] == "application/json"
    assert entry["query"] == "access_token=[redacted]&lineId=CL000001"
    for secret in [*UNLISTED.values(), "qat-secret-4"]:
        assert secret not in raw


def test_the_fake_banks_journal_follows_an_adjusted_policy() -> None:
    policy = HeaderPolicy().adjusted(keep=["X-Vendor-Whatever"], redact=["idempotency-key"])
    with BankServer(BankConfig(seed=1, customers=2), headers=policy) as server:
        headers = journal_of(server)["request_headers"]
    assert isinstance(headers, dict)
    assert headers["x-vendor-whatever"] == "vendor-secret-3"
    assert headers["idempotency-key"] == "[redacted]"
    assert headers["x-auth-token"] == "[redacted]"


def test_artefact_entries_and_recordings_mask_unlisted_headers_and_query_credentials() -> None:
    entry = {"request_headers": {**{k.lower(): v for k, v in UNLISTED.items()},
                                 "content-type": "application/json"},
             "response_headers": {"retry-after": "5", "x-ratelimit-token": "t"},
             "query": "sig=abc123&apikey=k&page=2"}
    out = redact_entry(entry)
    assert set(out["request_headers"].values()) == {"[redacted]", "application/json"}
    assert out["response_headers"] == {"retry-after": "5", "x-ratelimit-token": "[redacted]"}
    assert out["query"] == "sig=[redacted]&apikey=[redacted]&page=2"
    pairs = Redactor(RedactionRules()).headers([*UNLISTED.items(), *HARMLESS.items()])
    assert [v for _, v in pairs] == ["[redacted]"] * 4 + list(HARMLESS.values())
    assert Redactor().query("access_token=x1&lineId=CL1") == "access_token=[redacted]&lineId=CL1"
    assert mask_query("") == ""


def test_keep_header_and_redact_header_adjust_the_process_policy() -> None:
    @click.command()
    @header_options
    def probe() -> None:
        policy = chosen_policy()
        click.echo(f"{policy.secret('x-trace')} {policy.secret('accept')} "
                   f"{header_policy() == policy}")

    before = header_policy()
    try:
        runner = CliRunner()
        done = runner.invoke(probe, ["--keep-header", "X-Trace", "--redact-header", "accept"])
        assert done.output == "False True True\n", done.output
        done = runner.invoke(probe, ["--keep-header", "bad name"])
        assert done.exit_code == 2 and "'bad name' is not a header name" in done.output
    finally:
        set_header_policy(before)


def test_a_token_the_user_supplies_is_never_printed() -> None:
    token = "user-supplied-token-0123456789"
    process = subprocess.Popen(
        [DRAWBRIDGE, "serve", "--port", "0", "--customers", "1"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env={**cli_env(), "DRAWBRIDGE_TOKEN": token})
    try:
        assert process.stdout is not None
        lines = [line_within(process.stdout), line_within(process.stdout)]
        assert "control API" in lines[1] and "token required" in lines[1], lines
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert token not in "".join(lines) + out + err


def test_record_prints_its_url_at_start_when_output_is_not_a_terminal(tmp_path) -> None:
    process = popen("record", "--upstream", "http://127.0.0.1:9", "--out",
                    str(tmp_path / "r.jsonl"))
    try:
        assert process.stderr is not None
        first = line_within(process.stderr)  # a pipe, not a terminal
        assert re.search(r"point the connector at http://127\.0\.0\.1:\d+ ", first), first
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


@pytest.mark.parametrize("name", ["authorization", "cookie", "x-api-key", "set-cookie"])
def test_the_classic_secret_headers_stay_masked(name: str) -> None:
    assert HeaderPolicy().secret(name)


def test_keep_header_reaches_the_run_journal_and_redact_header_masks_a_harmless_one(
        tmp_path) -> None:
    """Through a real ``drawbridge run``: the in-process bank's journal follows the options."""
    here = Path(__file__).parent
    out = tmp_path / "out"
    done = subprocess.run(
        [DRAWBRIDGE, "run", str(here / "scenarios" / "personal-data.yaml"), "--connector",
         "python:leaky_connector:LeakyConnector", "--out", str(out), "--no-progress",
         "--keep-header", "X-Gateway-Credential-Blob", "--redact-header", "user-agent"],
        cwd=here / "connectors", env=cli_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    results = (out / "results.json").read_text(encoding="utf-8")
    assert '"x-gateway-credential-blob": "gw-5a6b7c8d9e0f1a2b"' in results  # kept on request
    assert '"user-agent": "[redacted]"' in results
    assert '"ocp-apim-subscription-key": "[redacted]"' in results


#: header names: the kept ones, credentials, other cases of kept ones, and any text
NAMES = st.sampled_from([*sorted(HARMLESS_HEADERS), "Authorization", "X-Api-Key", "HOST",
                         "Content-Type", "x-x"]) | st.text(max_size=12)


@given(st.dictionaries(NAMES, st.text(max_size=8), max_size=8), st.booleans())
def test_masking_headers_masks_exactly_what_secret_names(headers, adjusted) -> None:
    policy = HeaderPolicy().adjusted(keep=["X-Api-Key"], redact=["host"]) if adjusted \
        else HeaderPolicy()
    assert policy.mask(headers) == {k: "[redacted]" if policy.secret(k) else v
                                    for k, v in headers.items()}
