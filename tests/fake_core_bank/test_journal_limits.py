"""What the journal keeps, and a journal that cannot be written (issue 15 item 14).

An entry keeps at most 64 headers of 4 KB and a 64 KB body, each cut value saying how much was
cut (300 requests with 1 MB headers used to keep 310 MB). ``--journal`` is checked at start
(a device, a pipe or a full disk is one line, exit 2, never a hang), and a journal that stops
being writable (a full disk) makes the bank refuse connector requests before booking
anything: never a booking that is not journaled, never a 500.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from fake_core_bank.domain import journal as journal_module
from fake_core_bank.fake import BankConfig
from fake_core_bank.server import BankServer
from tests.fake_core_bank.bank_testkit import drawdown_body

DRAWBRIDGE = str(Path(sys.executable).parent / "drawbridge")
ACCOUNT = "6222000011112222"


def draw(client: httpx.Client, key: str) -> httpx.Response:
    return client.post("/v2/credit-lines/CL000001/drawdowns",
                       json=drawdown_body("v2", 100_00, ACCOUNT),
                       headers={"Idempotency-Key": key})


def booked(server: BankServer) -> int:
    return len([d for d in server.bank.snapshot()["drawdowns"] if d["status"] != "REJECTED"])


def test_an_entry_keeps_capped_headers_and_bodies() -> None:
    big = "v" * 60_000  # the server answers a head over 64 KB with 431 (guards.MAX_HEAD_BYTES)
    many = {f"x-h{i}": "1" for i in range(100)}
    with BankServer(BankConfig(seed=1, customers=3)) as server, \
            httpx.Client(base_url=server.base_url, timeout=60) as client:
        client.get("/v2/credit-lines/CL000001", headers={"Accept": big})
        client.get("/v2/credit-lines/CL000001", headers=many)
        client.post("/v2/credit-lines/CL000001/drawdowns", content=b"x" * 200_000,
                    headers={"Content-Type": "text/plain"})
        entries = server.bank.journal.entries()
    accept = entries[0].request_headers["accept"]
    assert accept.startswith("vvvv") and accept.endswith("... 55904 characters cut")
    assert len(entries[1].request_headers) == 65
    assert entries[1].request_headers["x-drawbridge-cut"].endswith("more headers cut")
    body = entries[2].request_body
    assert isinstance(body, str) and body.endswith("... 197952 bytes cut")


def test_a_journal_that_fails_mid_run_refuses_before_booking_and_never_answers_500(
        tmp_path: Path) -> None:
    class FullDisk:
        def write(self, _data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def fileno(self) -> int:
            raise ValueError("no descriptor")  # fstatvfs cannot tell: the write will

        def close(self) -> None:
            pass

    with BankServer(BankConfig(seed=1, customers=3, journal_path=tmp_path / "j.jsonl")) \
            as server, httpx.Client(base_url=server.base_url, timeout=60) as client:
        assert draw(client, "k1").status_code == 201
        journal = server.bank.journal
        assert journal._sink is not None
        journal._sink.close()
        journal._sink = FullDisk()  # type: ignore[assignment]  # the disk fills up
        first = draw(client, "k2")
        assert first.status_code < 500  # the write after it fails: kept in memory, no 500
        before = booked(server)
        refused = draw(client, "k3")
        assert refused.status_code == 503
        assert "cannot be written (No space left on device)" in refused.json()["message"]
        assert booked(server) == before  # nothing booked once the journal failed
        assert client.get("/_control/journal").status_code == 200
        journal.close()


def test_a_full_disk_is_found_before_the_booking(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with BankServer(BankConfig(seed=1, customers=3, journal_path=tmp_path / "j.jsonl")) \
            as server, httpx.Client(base_url=server.base_url, timeout=60) as client:
        monkeypatch.setattr(journal_module, "MIN_FREE_BYTES", 2**62)  # "no disk has that"
        before = booked(server)
        answer = draw(client, "k1")
        assert answer.status_code == 503
        assert "free on its disk" in answer.json()["message"]
        assert booked(server) == before
        server.bank.journal.close()


@pytest.mark.parametrize("make", ["device", "fifo"])
def test_serve_checks_the_journal_at_start(tmp_path: Path, make: str) -> None:
    if make == "device":
        target = Path("/dev/full")
        if not target.exists():
            pytest.skip("no /dev/full here")
    else:
        target = tmp_path / "fifo"
        os.mkfifo(target)
    done = subprocess.run([DRAWBRIDGE, "serve", "--port", "0", "--journal", str(target)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"drawbridge: --journal: cannot open {target}: ")
    assert len(done.stderr.splitlines()) == 1
