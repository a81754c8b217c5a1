"""Issue 16.8 and 16.3/16.4 through the real command: ``--connector-path DIR`` imports a python
connector from DIR, and the reproduce commands and bundles carry it, so they work from any
directory; without a terminal, progress is a line per finished run and nothing wraps."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DRAWBRIDGE = str(Path(sys.executable).parent / "drawbridge")
#: a module that exists only in the connector folder (the checkout's examples/ may be importable
#: through the editable install)
LEGACY = "python:acme_legacy:LegacyV1Connector"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["COLUMNS"] = "80"  # what a CI log without a terminal gets
    return subprocess.run([DRAWBRIDGE, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env, check=False)


@pytest.fixture
def connector_dir(tmp_path: Path) -> Path:
    """A copy of the legacy connector outside the checkout."""
    target = tmp_path / "my connectors"  # a space: the reproduce command must quote it
    target.mkdir()
    shutil.copy(ROOT / "examples" / "connectors" / "legacy_v1" / "connector.py",
                target / "acme_legacy.py")
    return target


def test_connector_path_reaches_reproduce_commands_and_bundles(tmp_path: Path,
                                                               connector_dir: Path) -> None:
    first = tmp_path / "first"
    first.mkdir()
    done = cli("run", "scenarios/maintenance", "--connector", LEGACY, "--connector-path",
               str(connector_dir), "--versions", "v2", "--out", "out", cwd=first)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    # a line per run, no terminal
    assert any(re.fullmatch(r"\[1/\d+\] full-outage-retry-after@v2 fail", line)
               for line in lines)
    reproduce = [line for line in lines if line.startswith("  reproduce: ")]
    assert reproduce, done.stdout
    for line in reproduce:  # one line each, never wrapped at 80 columns
        assert line.endswith("--versions v2 --seed 0"), line
        assert f"--connector-path '{connector_dir}'" in line
    bundle_path = first / "out" / "bundles" / "full-outage-retry-after@v2.bundle.json"
    bundle = orjson.loads(bundle_path.read_bytes())
    assert bundle["connector"]["path"] == str(connector_dir)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    replayed = cli("replay", str(bundle_path), cwd=elsewhere)
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert "reproduced identically" in replayed.stdout
    shrunk = cli("shrink", str(bundle_path), "--out", "min.yaml", "--max-runs", "20",
                 cwd=elsewhere)
    assert shrunk.returncode == 0, shrunk.stdout + shrunk.stderr
    assert "[1] full-outage-retry-after@v2 fail" in shrunk.stdout  # a line per run
    assert "versions:\n- v2\n" in (elsewhere / "min.yaml").read_text(encoding="utf-8")


def test_without_connector_path_the_import_fails_in_one_line_naming_the_fix(
        tmp_path: Path) -> None:
    done = cli("run", "--connector", LEGACY, "--out", "out", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert "No module named 'acme_legacy'" in done.stderr
    assert "pass --connector-path DIR" in done.stderr


def test_no_progress_prints_no_line_per_run(tmp_path: Path, connector_dir: Path) -> None:
    done = cli("run", "scenarios/maintenance", "--connector", LEGACY, "--connector-path",
               str(connector_dir), "--versions", "v2", "--out", "out", "--no-progress",
               cwd=tmp_path)
    assert done.returncode == 1
    assert "[1/2]" not in done.stdout
