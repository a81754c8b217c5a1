"""Issue 16.3/16.4 through the real ``drawbridge certify``: a reproduction bundle for every
failed run (no second CI run needed), and a progress line per finished run without a
terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DRAWBRIDGE = str(Path(sys.executable).parent / "drawbridge")
LEGACY = "python:examples.connectors.legacy_v1:LegacyV1Connector"


def test_certify_writes_a_bundle_per_failed_run_and_a_line_per_run(tmp_path: Path) -> None:
    done = subprocess.run(
        [DRAWBRIDGE, "certify", "--connector", LEGACY, "--profile", "v2", "--as-of",
         "2026-11-28", "--out", str(tmp_path / "cert")],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "COLUMNS": "80"})
    assert done.returncode == 1, done.stdout + done.stderr
    certificate = orjson.loads((tmp_path / "cert" / "certificate.json").read_bytes())
    failed = sorted(f"{r['scenario']}@{r['version']}" for r in certificate["results"]
                    if r["verdict"] != "pass")
    assert failed
    bundles = sorted(p.name.removesuffix(".bundle.json")
                     for p in (tmp_path / "cert" / "bundles").glob("*.bundle.json"))
    assert bundles == failed
    total = len(certificate["results"])
    assert f"[{total}/{total}] " in done.stdout
    for key in failed:
        assert f"{key}: reproduce with `drawbridge replay " in done.stdout


def test_matrix_writes_bundles_in_a_folder_per_connector(tmp_path: Path) -> None:
    matrix = tmp_path / "matrix.yaml"
    matrix.write_text(
        "format: drawbridge/matrix@1\n"
        f"connectors: [{LEGACY}, python:examples.connectors.reference_py:ReferenceConnector]\n"
        "versions: [v2]\n"
        f"scenarios: [{ROOT / 'scenarios' / 'maintenance'}]\n", encoding="utf-8")
    done = subprocess.run(
        [DRAWBRIDGE, "matrix", str(matrix), "--as-of", "2026-11-28", "--no-progress",
         "--out", str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    written = sorted(str(p.relative_to(tmp_path / "out" / "bundles"))
                     for p in (tmp_path / "out" / "bundles").rglob("*.bundle.json"))
    assert written == ["legacy-v1@0.9.3/full-outage-retry-after@v2.bundle.json",
                       "legacy-v1@0.9.3/long-outage-retry-after@v2.bundle.json",
                       "legacy-v1@0.9.3/read-only-window@v2.bundle.json"]
    assert "[1/" not in done.stdout  # --no-progress
