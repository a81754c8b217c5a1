"""Issue 16.2: the same inputs and seed give a byte-identical certificate from any directory.

Library scenarios are named ``scenarios/...`` wherever the command runs (harness.paths), so the
certificate's inputs, sources and reproduce commands do not depend on the working directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DRAWBRIDGE = str(Path(sys.executable).parent / "drawbridge")
SPEC = "python:examples.connectors.reference_py:ReferenceConnector"


def certify(cwd: Path, out: Path) -> bytes:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [DRAWBRIDGE, "certify", "--connector", SPEC, "--connector-path", str(ROOT),
         "--profile", "v2", "--as-of", "2026-11-28", "--no-progress", "--out", str(out)],
        cwd=cwd, capture_output=True, text=True, timeout=600, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return (out / "certificate.json").read_bytes()


def test_certificate_is_the_same_bytes_from_the_checkout_and_from_outside(
        tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    assert not outside.resolve().is_relative_to(ROOT)
    here = certify(ROOT, tmp_path / "from-checkout")
    there = certify(outside, tmp_path / "from-outside")
    assert here == there
    text = there.decode()
    assert '"scenarios/maintenance/' in text  # library names, not paths of this machine
    assert str(outside) not in text
