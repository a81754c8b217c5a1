"""`drawbridge run/certify --bank-image`: the whole vendor path in containers, from the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "line-state" / "lock-period-case-study.yaml"

pytestmark = pytest.mark.docker


def drawbridge(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness.cli.main", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=False)


def test_connector_image_against_bank_image_gives_the_in_process_verdicts(
        tmp_path: Path, bank_image: str, connector_image: str) -> None:
    verdicts = {}
    for name, extra in (("containers", ["--bank-image", bank_image]), ("in-process", [])):
        done = drawbridge("run", str(SCENARIO), "--connector", f"container:{connector_image}",
                          "--versions", "v2,v3", "--out", str(tmp_path / name),
                          "--no-progress", *extra)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        results = json.loads((tmp_path / name / "results.json").read_text())["results"]
        verdicts[name] = [(r["scenario"], r["version"], r["verdict"]) for r in results]
    assert verdicts["containers"] == verdicts["in-process"]
    assert len(verdicts["containers"]) == 2


def test_a_bank_image_that_does_not_exist_is_one_line_exit_2(tmp_path: Path,
                                                             bank_image: str) -> None:
    done = drawbridge("run", str(SCENARIO), "--connector",
                      "python:examples.connectors.reference_py:ReferenceConnector",
                      "--versions", "v2", "--bank-image", "drawbridge-no-such-image:0",
                      "--out", str(tmp_path), "--no-progress")
    assert done.returncode == 2
    assert "--bank-image: cannot start the fake bank from 'drawbridge-no-such-image:0'" \
        in done.stderr
    assert "Traceback" not in done.stderr and done.stderr.strip().count("\n") == 0
