"""Ctrl-C in the middle of ``drawbridge run``: exit 130 and a readable partial results.json.

The real console script runs the library at v2 against the reference connector in a
subprocess; once scenarios are being played, SIGINT arrives as it would from a terminal. The
run must stop promptly, exit 130, say so, and leave results.json complete as JSON
with ``"interrupted": true`` and only the scenario runs that finished.
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest
from reliability_kit import REFERENCE, popen, wait_for_line

pytestmark = pytest.mark.slow


def test_sigint_mid_run_exits_130_with_a_partial_interrupted_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = popen("run", "--connector", REFERENCE, "--versions", "v2", "--out", str(out),
                    "--no-progress")
    wait_for_line(process, "scenario runs against")  # the plan is made: scenarios are playing
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    began = time.monotonic()
    stdout, stderr = process.communicate(timeout=30)
    assert time.monotonic() - began < 60  # it stops, it does not play the rest of the library
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "(interrupted: partial results)" in stdout
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert document["interrupted"] is True
    planned = 24  # the library's scenarios that apply to v2
    assert document["summary"]["runs"] == len(document["results"]) < planned
    for result in document["results"]:  # only whole scenario runs, each with its verdict
        assert result["verdict"] in ("pass", "fail", "error")
        assert result["version"] == "v2"
