"""``drawbridge mutate`` as a user meets it: bad input in one line, a connector that fails clean
refused by name, a killed control reported as a proxy bug, the same bytes from any directory."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from harness.cli.main import main
from harness.mutate.docs import markers, replace_section
from harness.mutate.operators import CATALOGUE
from harness.mutate.operators.base import Forward, Operator, RunState
from harness.mutate.wire import WireRequest, WireResponse
from tests.mutate.mutate_kit import REFERENCE, mutate, small_profile


def test_an_unknown_operator_is_one_line_and_exit_2(tmp_path: Path) -> None:
    run = mutate(tmp_path / "out", "--profile", "v2", "--operators", "strip-retry-afer")
    assert run.code == 2
    assert len(run.stderr.strip().splitlines()) == 1, "one line, no traceback"
    assert "unknown operator 'strip-retry-afer'" in run.stderr
    assert "did you mean 'strip-retry-after'" in run.stderr


def test_a_connector_that_fails_clean_is_refused_naming_the_failures(tmp_path: Path) -> None:
    planted = "python:tests.engine.connectors.planted_defects:GenericError"
    run = mutate(tmp_path / "out", "--profile", str(small_profile(tmp_path, "frozen-line")),
                 "--operators", "hammer-503", connector=planted)
    assert run.code == 2, run.stdout + run.stderr
    line = run.stderr.strip().splitlines()[-1]
    assert line.startswith("drawbridge: clean run: 1 scenario run(s) fail with no mutant on "
                           "the wire: frozen-line@v2 (")
    assert "fix the connector" in line and "Traceback" not in run.stderr
    assert not (tmp_path / "out" / "mutation.json").exists()


def mutate_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, operator: Operator,
                      ) -> tuple[int | str | None, dict[str, Any]]:
    """``drawbridge mutate`` on frozen-line with ``operator`` as the whole catalogue."""
    monkeypatch.setattr("harness.cli.mutate.select", lambda _ids: (operator,))
    with pytest.raises(SystemExit) as exit_info:
        main(["mutate", "--connector", REFERENCE, "--out", str(tmp_path / "out"),
              "--profile", str(small_profile(tmp_path, "frozen-line"))])
    report = json.loads((tmp_path / "out" / "mutation.json").read_text("utf-8"))
    return exit_info.value.code, report


def test_a_killed_control_is_a_proxy_bug_and_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    broken = dataclasses.replace(CATALOGUE["drop-reason-code"], id="broken-control",
                                 control=True)
    code, report = mutate_in_process(tmp_path, monkeypatch, broken)
    assert code == 1
    assert report["proxyBugs"] == ["broken-control"]
    assert report["score"] == {"killed": 0, "mutants": 0, "value": 1.0}
    assert "PROXY BUG (a killed control, or an operator that raised): broken-control" \
        in capsys.readouterr().out


def test_an_operator_that_raises_is_a_proxy_bug_never_a_kill(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def crash(request: WireRequest, forward: Forward, state: RunState) -> WireResponse:
        raise KeyError("purposeCode")

    broken = dataclasses.replace(CATALOGUE["strip-purpose-code"], id="crashing",
                                 intercept=crash)
    code, report = mutate_in_process(tmp_path, monkeypatch, broken)
    assert code == 1
    mutant = report["mutants"][0]
    assert (mutant["verdict"], mutant["proxyBug"]) == ("proxy error", True)
    assert mutant["errors"][0] == ("frozen-line@v2: crashing raised KeyError: 'purposeCode' "
                                   "on GET /v2/credit-lines/CL000001")
    assert report["score"]["killed"] == 0 and report["proxyBugs"] == ["crashing"]


def test_the_report_is_byte_identical_from_any_directory(tmp_path: Path) -> None:
    profile = small_profile(tmp_path, "lock-period-30-days", "lost-response-after-commit")
    args = ("--profile", str(profile), "--operators",
            "strip-locked-until,new-key-every-attempt,control-reorder-keys", "--jobs", "2")
    first = mutate(tmp_path / "a", *args)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    second = mutate(tmp_path / "b", *args, cwd=elsewhere)
    assert first.code == second.code == 0, first.stderr + second.stderr
    for name in ("mutation.json", "mutation.md"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert first.verdicts() == {"strip-locked-until": "killed", "new-key-every-attempt": "killed",
                                "control-reorder-keys": "survived"}


def test_a_generated_section_replaces_only_itself() -> None:
    page = "# Title\n\nprose before\n"
    once = replace_section(page, "profile-v2", "score 1")
    begin, end = markers("profile-v2")
    assert once == f"# Title\n\nprose before\n\n{begin}\nscore 1\n{end}\n"
    twice = replace_section(once + "\nprose after\n", "profile-v2", "score 2")
    assert twice == f"# Title\n\nprose before\n\n{begin}\nscore 2\n{end}\n\nprose after\n"
    assert replace_section(twice, "profile-v3", "x").startswith(twice.rstrip())
