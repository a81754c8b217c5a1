"""A bundle is data, its connector spec is not (issue 15 item 9).

A bundle whose stored connector is ``command:`` (or ``container:``) is refused by ``replay``
and ``shrink`` without ``--trust-bundle`` or ``--connector``: one line naming the command, exit
2, and the command never runs. With ``--trust-bundle`` it runs (shown first).
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from harness.bundles import read_bundle, write_bundle
from tests.bundles.test_bundles import ROOT, failed_bundle

DRAWBRIDGE = str(Path(sys.executable).parent / "drawbridge")


def planted(tmp_path: Path, kind: str) -> tuple[Path, Path]:
    """A real failure's bundle whose connector spec was swapped for a command that leaves a
    marker file when it runs."""
    marker = tmp_path / "ran"
    bundle = read_bundle(failed_bundle(tmp_path / "real"))
    code = f"open({str(marker)!r}, 'w')"
    command = f"{sys.executable} -c {shlex.quote(code)}"
    bundle["connector"]["spec"] = (f"command:{command}" if kind == "command"
                                   else "container:evil/image:latest")
    return write_bundle(bundle, tmp_path / "planted"), marker


def drawbridge(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DRAWBRIDGE, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


@pytest.mark.parametrize("kind", ["command", "container"])
@pytest.mark.parametrize("verb", ["replay", "shrink"])
def test_a_stored_executable_connector_needs_trust(tmp_path: Path, verb: str,
                                                  kind: str) -> None:
    path, marker = planted(tmp_path, kind)
    done = drawbridge(verb, str(path))
    assert done.returncode == 2, done.stderr
    shown, refusal = done.stderr.splitlines()
    assert shown.startswith(f"the bundle names the connector '{kind}:")
    assert refusal.startswith("drawbridge: ") and "the bundle would run" in refusal
    assert "fix: read the command, then pass --trust-bundle" in refusal
    assert "Traceback" not in done.stderr
    assert not marker.exists()


def test_trust_bundle_runs_the_stored_command(tmp_path: Path) -> None:
    path, marker = planted(tmp_path, "command")
    done = drawbridge("replay", str(path), "--trust-bundle")
    assert "the bundle names the connector 'command:" in done.stderr
    assert marker.exists(), done.stderr  # it ran (and then failed its handshake)
