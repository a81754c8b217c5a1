"""SIGINT (Ctrl-C) and SIGTERM (what CI sends on cancel) during ``run`` and ``certify``.

The real console script runs against a connector that hangs on every operation (with an
operation timeout of ten minutes, so nothing ends by itself); once scenarios are playing the
signal arrives. The command must kill the connector, write a partial report saying it was
interrupted, and exit 130 (SIGINT) or 143 (SIGTERM), without a traceback. Waits are bounded and
generous; the promptness target (5 s) is measured in docs/reliability.md, not asserted here.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from reliability_kit import ROOT, cli_env, wait_for_line

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")]

HANG = ROOT / "tests" / "engine" / "connectors" / "hostile" / "hang.py"
DRAWBRIDGE = str(Path(sys.executable).parent / "drawbridge")


def processes_with(marker: str) -> list[int]:
    """Live processes whose environment carries ``marker`` (the CLI's and all it started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in environ and state not in "ZX":
            found.append(int(entry.name))
    return found


def wait_none_left(marker: str, seconds: float = 30.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := processes_with(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@pytest.mark.parametrize("command", ["run", "certify"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_a_signal_kills_the_connector_writes_a_partial_report_and_exits_128_plus_n(
        tmp_path: Path, command: str, signum: int) -> None:
    out = tmp_path / "out"
    marker = f"DRAWBRIDGE_SIGNAL_TEST={uuid.uuid4().hex}"
    args = ["--connector", f"command:{sys.executable} {HANG}", "--out", str(out)]
    if command == "run":
        args += ["--versions", "v2", "--op-timeout", "600", "--no-progress"]
    else:
        args += ["--profile", "v2"]
    env = {**cli_env(), marker.split("=")[0]: marker.split("=")[1]}
    process = subprocess.Popen([DRAWBRIDGE, command, *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    try:
        wait_for_line(process, "scenario runs against")
        deadline = time.monotonic() + 60
        while len(processes_with(marker)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)  # the connector of the first scenario is running
        assert len(processes_with(marker)) >= 2, "no connector started"
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 128 + signum, stderr
    assert "Traceback" not in stderr
    assert wait_none_left(marker) == [], "a connector outlived the command"
    if command == "run":
        report = json.loads((out / "results.json").read_text(encoding="utf-8"))
        assert report["interrupted"] is True
    else:
        certificate = json.loads((out / "certificate.json").read_text(encoding="utf-8"))
        assert "the run was interrupted: results are partial" in certificate["gate"]["reasons"]
