"""Issue 16.4: a bar on a terminal, a line per finished item otherwise, nothing with
``--no-progress``; through ItemProgress and the real commands that had none (explore,
verify-provider; certify, matrix and run are in tests/certify and tests/engine)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from fake_core_bank.fake import BankConfig
from fake_core_bank.server import BankServer
from harness.cli.main import main
from harness.reporting.progress import ItemProgress

ROOT = Path(__file__).resolve().parents[2]
DRAWBRIDGE = str(Path(sys.executable).parent / "drawbridge")


def record(*, terminal: bool, enabled: bool = True, total: int | None = 2) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=terminal, width=40)
    with ItemProgress(console, total=total, description="work", enabled=enabled) as progress:
        progress.advance("a-very-long-scenario-name-that-exceeds-the-width@v2", "pass")
        progress.advance("second@v2", "fail")
    return out.getvalue()


def test_without_a_terminal_each_finished_item_is_one_unwrapped_line() -> None:
    assert record(terminal=False).splitlines() == [
        "[1/2] a-very-long-scenario-name-that-exceeds-the-width@v2 pass",
        "[2/2] second@v2 fail"]
    assert record(terminal=False, total=None).splitlines()[1] == "[2] second@v2 fail"


def test_on_a_terminal_a_bar_and_no_item_lines() -> None:
    shown = record(terminal=True)
    assert "[1/2]" not in shown and "second@v2 fail" not in shown
    assert "━" in shown and "/2" in shown  # the bar and its count (rich's MofN column)


def test_disabled_prints_nothing() -> None:
    assert record(terminal=False, enabled=False) == ""
    assert record(terminal=True, enabled=False) == ""


@pytest.mark.slow
def test_explore_prints_a_line_per_run_unless_no_progress(tmp_path: Path) -> None:
    args = [DRAWBRIDGE, "explore", "--connector",
            "python:examples.connectors.reference_py:ReferenceConnector", "--budget", "3",
            "--seed", "1", "--out", str(tmp_path / "found")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    shown = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300,
                           env=env, check=False)
    assert shown.returncode in (0, 1), shown.stderr
    assert "[1] " in shown.stdout and "[3] " in shown.stdout
    quiet = subprocess.run([*args, "--no-progress"], cwd=ROOT, capture_output=True, text=True,
                           timeout=300, env=env, check=False)
    assert "[1] " not in quiet.stdout


@pytest.mark.slow
def test_verify_provider_reports_progress_on_stderr_and_keeps_stdout_the_report(
        capsys: pytest.CaptureFixture[str]) -> None:
    with BankServer(BankConfig(seed=1, customers=2)) as bank:
        main(["verify-provider", "--base-url", bank.base_url, "--contract", "v2",
              "--max-examples", "2"])  # returns when there is no drift (exit 0)
    out, err = capsys.readouterr()
    assert out.strip().endswith(")") and "no drift" in out and "[1]" not in out
    assert "[1] examples " in err


@pytest.mark.slow
@pytest.mark.parametrize("enabled", [True, False])
def test_the_demos_certification_prints_a_line_per_run_unless_no_progress(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enabled: bool) -> None:
    from harness import demo

    monkeypatch.setattr(demo, "REPORTS", tmp_path)
    out = io.StringIO()
    console = Console(file=out, force_terminal=False, width=80)
    with demo.reference_service(ports=(0,)) as service:
        assert demo.certify_references(console, service, progress=enabled)
    lines = out.getvalue().splitlines()
    per_run = [line for line in lines if line.startswith("[") and "@v2 pass" in line]
    assert bool(per_run) == enabled, out.getvalue()
    assert any(line.startswith("profile v3: gate PASSED") for line in lines)
