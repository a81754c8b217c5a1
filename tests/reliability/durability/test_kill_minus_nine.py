"""SIGKILL leaves files readable: the journal up to the last exchange, results.json whole or
absent.

A killed process gets no chance to flush or clean up. The journal sink writes each entry as one
unbuffered write of a whole line, and results.json is written to a temporary file and renamed
into place, so a kill at any instant leaves either the previous complete file or none.
"""

from __future__ import annotations

import json
import re
import signal
import time
from pathlib import Path

import pytest
from reliability_kit import REFERENCE, popen
from reliability_rawhttp import RawConnection, request_bytes

pytestmark = pytest.mark.slow

URL = re.compile(r"fake core bank: http://127\.0\.0\.1:(\d+) ")
REQUESTS = 300


def test_a_journal_survives_sigkill_with_every_exchange_on_its_own_line(tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    process = popen("serve", "--port", "0", "--customers", "2", "--journal", str(journal))
    try:
        assert process.stdout is not None
        found = URL.search(process.stdout.readline())
        assert found, process.communicate(timeout=5)
        connection = RawConnection(int(found.group(1)))
        for n in range(REQUESTS):
            path = b"/v2/credit-lines/CL000001" if n % 2 else b"/v9/nowhere"
            status, _, _ = connection.exchange(request_bytes(b"GET", path, [], b""))
            assert status in (200, 404)
        connection.close()
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL
    lines = journal.read_bytes().split(b"\n")
    assert lines[-1] == b""  # the file ends with a complete line
    entries = [json.loads(line) for line in lines[:-1]]  # every line parses
    exchanges = [e for e in entries if e["kind"] == "exchange"]
    # Every answered request is on disk; the first unanswered 404s (/v9) are not journaled.
    assert len(exchanges) == REQUESTS // 2
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))


def test_sigkill_mid_run_leaves_the_previous_results_json_or_none(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    previous = b'{"format": "drawbridge/results@1", "previous": true}\n'
    (out / "results.json").write_bytes(previous)
    process = popen("run", "--connector", REFERENCE, "--versions", "v2", "--out", str(out),
                    "--no-progress")
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while "scenario runs against" not in process.stdout.readline():
        assert time.monotonic() < deadline and process.poll() is None
    time.sleep(1.0)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL
    # Killed mid-run: the old report is untouched, byte for byte; no half-written one.
    assert (out / "results.json").read_bytes() == previous
    for name in ("junit.xml",):
        path = out / name
        assert not path.exists() or path.read_bytes().rstrip().endswith(b">")


WRITER = """
import sys
from pathlib import Path
from harness.reporting.json_report import write_atomic
write_atomic(Path(sys.argv[1]), b"[" + b" " * 150_000_000 + b"]\\n")
"""


def test_sigkill_while_the_report_is_being_written_leaves_the_previous_one(
        tmp_path: Path) -> None:
    """The kill lands inside the write itself (150 MB, so the write takes a while)."""
    import subprocess
    import sys

    from reliability_kit import ROOT, cli_env

    target = tmp_path / "results.json"
    previous = b'{"previous": true}\n'
    target.write_bytes(previous)
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], cwd=ROOT,
                               env=cli_env())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        written = [p for p in tmp_path.iterdir() if p != target]
        started = any(p.stat().st_size > 0 for p in written)
        if started or target.stat().st_size != len(previous):
            break
        time.sleep(0.001)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL, "the write finished before the kill"
    assert target.read_bytes() == previous
