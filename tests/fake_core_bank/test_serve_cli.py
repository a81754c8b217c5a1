"""`drawbridge serve` from the outside: a subprocess, its printed URL, Ctrl-C, bad input; and the
`schemathesis run` CLI pointed at it, as a vendor's CI would."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fake_core_bank import cores
from tests.fake_core_bank.bank_testkit import drawdown_body

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
URL = re.compile(r"fake core bank: (http://127\.0\.0\.1:\d+) ")


def start_serve(*args: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [str(BIN / "drawbridge"), "serve", "--port", "0", "--customers", "2", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    found = URL.search(first)
    if found is None:
        process.kill()
        pytest.fail(f"drawbridge serve printed {first!r}; stderr: {process.communicate()[1]}")
    return process, found.group(1)


@pytest.fixture
def served() -> Iterator[tuple[subprocess.Popen[str], str]]:
    process, url = start_serve("--seed", "4")
    yield process, url
    if process.poll() is None:
        process.kill()
        process.communicate()


def test_serve_prints_its_url_answers_and_stops_cleanly_on_ctrl_c(served):
    process, url = served
    answer = httpx.get(url + "/v2/credit-lines/CL000001", timeout=5)
    assert answer.status_code == 200 and answer.json()["lineId"] == "CL000001"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert out.strip().endswith("stopped")


@pytest.mark.parametrize(("args", "self_check", "overflow"), [
    ((), False, "spill"),
    (("--self-check", "--journal-memory", "3", "--journal-overflow", "drop"), True, "drop"),
])
def test_serve_checks_its_own_answers_only_with_self_check_and_bounds_its_journal(
        args, self_check, overflow):
    process, url = start_serve(*args)
    try:
        for _ in range(8):
            assert httpx.get(url + "/v2/credit-lines/CL000001", timeout=5).status_code == 200
        health = httpx.get(url + "/_control/health", timeout=5).json()
    finally:
        process.kill()
        process.communicate()
    assert health["selfCheck"] is self_check
    journal = health["journal"]
    assert journal["overflow"] == overflow and journal["entries"] == 8
    if overflow == "drop":
        assert journal["inMemory"] <= 3 and journal["dropped"] == 8 - journal["inMemory"]


def test_serve_bounds_its_ledger_with_ledger_memory_and_still_replays_spilled_keys():
    process, url = start_serve("--ledger-memory", "3")
    try:
        account = httpx.get(url + "/_control/state", timeout=5).json()["customers"][0]["accountNo"]
        body = drawdown_body("v2", 100, account)
        post = url + "/v2/credit-lines/CL000001/drawdowns"
        booked = [httpx.post(post, json=body, headers={"Idempotency-Key": f"k{n}"}, timeout=5)
                  for n in range(8)]
        again = httpx.post(post, json=body, headers={"Idempotency-Key": "k0"}, timeout=5)
        listed = httpx.get(post, timeout=5)
        health = httpx.get(url + "/_control/health", timeout=5).json()
    finally:
        process.kill()
        process.communicate()
    assert [b.status_code for b in booked] == [201] * 8
    assert again.status_code == 201 and again.json() == booked[0].json()
    assert [d["drawdownId"] for d in listed.json()["items"]] == [  # newest first
        b.json()["drawdownId"] for b in reversed(booked)]
    ledger = health["ledger"]
    assert ledger["memoryLimit"] == 3 and ledger["inMemory"] <= 3 and ledger["spillError"] is None
    assert ledger["bookings"] == 8 == ledger["inMemory"] + ledger["spilled"]


@pytest.mark.parametrize(("args", "says"), [
    (["--versions", "v9"], "--versions: unknown version 'v9'"),
    (["--host", "0.0.0.0"], "--host: 0.0.0.0 is not a loopback address"),
    (["--port", "99999"], "--port"),
    (["--journal-memory", "0"], "--journal-memory"),
    (["--journal-overflow", "forget"], "--journal-overflow"),
    (["--ledger-memory", "0"], "--ledger-memory"),
    (["--ledger-memory", "many"], "--ledger-memory"),
])
def test_bad_cli_input_exits_2_with_one_line_and_no_traceback(args, says):
    done = subprocess.run([str(BIN / "drawbridge"), "serve", *args], capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert says in lines[0]
    assert "Traceback" not in done.stderr


def test_schemathesis_cli_finds_nothing_wrong_with_v2(served, tmp_path):
    _process, url = served
    config = tmp_path / "schemathesis.toml"
    # Same tuning as test_schemathesis_contracts.py: the contract answers 422 to business-rule
    # refusals and 400 to a repayment above `used` (reported to the contracts' owner).
    config.write_text(
        '[checks.positive_data_acceptance]\n'
        'expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]\n\n'
        '[[operations]]\n'
        'include-operation-id = "createRepayment"\n'
        'checks.positive_data_acceptance.enabled = false\n'
    )
    done = subprocess.run(
        [str(BIN / "schemathesis"), "--no-color", "--config-file", str(config), "run",
         str(cores.active().contract_path("v2")), "--url", url + "/v2", "--max-examples", "5",
         "--seed", "1"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_the_serve_process_keeps_its_seeded_state_out_of_collections() -> None:
    # Only the dedicated serve process tunes its collector; a bank inside a test process
    # (BankServer, the pytest plugin) leaves the user's collector alone.
    probe = ("import gc; from harness.cli.serve import tune_collector, YOUNG_THRESHOLD\n"
             "from fake_core_bank.server import BankServer\n"
             "before = gc.get_threshold()\n"
             "with BankServer(): assert gc.get_threshold() == before\n"
             "tune_collector()\n"
             "assert gc.get_freeze_count() > 10_000, gc.get_freeze_count()\n"
             "assert gc.get_threshold()[0] == YOUNG_THRESHOLD\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
