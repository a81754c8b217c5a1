"""``drawbridge validate`` checks the gate policy against the profiles (docs/certification.md).

Exit 0 when every rule has a MUST scenario wherever it applies; 1 with one line per gap when
the policy reads but does not hold; 2 with one line naming file, line and fix on bad input.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.certify.gate_policy import policy_path
from harness.cli.main import main
from harness.paths import profiles_root


def validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(["validate", *args])
        code = 0
    except SystemExit as exited:
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def edited(tmp_path: Path, old: str, new: str) -> Path:
    path = policy_path()
    assert path is not None
    text = path.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "gate-policy.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_librarys_policy_holds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = validate(capsys)
    assert (code, err) == (0, "")
    assert out.strip().endswith("profiles, gate policy gate-policy.yaml (5 rules) holds")


def test_a_rule_mapped_to_a_should_scenario_is_one_line_and_exit_1(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = edited(tmp_path, "v3: [tolerant-reader-minor-release, additive-suspended-v2]",
                  "v3: [rolling-upgrade-v2-v3]")
    code, out, err = validate(capsys, "--gate-policy", str(path))
    assert code == 1, out + err
    assert err.splitlines() == [
        f"{path}: tolerant-reader@v3: rolling-upgrade-v2-v3 mapped to the rule but not MUST in "
        f"{profiles_root() / 'v3.yaml'}; make it MUST or map another scenario"], err
    assert "holds" not in out


def test_every_gap_is_its_own_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = edited(tmp_path, "      v1: [varying-error-texts, frozen-line, expired-line]\n", "")
    text = path.read_text(encoding="utf-8").replace(
        "      v1: [dropped-before-processing, server-error-burst]\n", "")
    path.write_text(text, encoding="utf-8")
    code, _, err = validate(capsys, "--gate-policy", str(path))
    assert code == 1
    lines = err.splitlines()
    assert [line.split(": ")[1] for line in lines] == ["reason-from-code@v1",
                                                       "one-booking-per-intent@v1"]
    assert all("no MUST scenario of" in line and "add one under must.v1" in line
               for line in lines), err


@pytest.mark.parametrize(("old", "new", "words"), [
    ("v2: [tolerant-reader-minor-release, additive-suspended-v2]",
     "v2: [tolerant-reader-minor-release, no-such-scenario]",
     "unknown scenario 'no-such-scenario'"),
    ("v1: [tolerant-reader-minor-release]", "v1: [additive-suspended-v2]",
     "scenario additive-suspended-v2 does not run at v1"),
    ("versions: [v2, v3]\n", "versions: [v2, v4]\n", "unknown version 'v4'"),
], ids=["unknown-scenario", "wrong-version", "unknown-version"])
def test_bad_policy_is_one_line_with_place_and_fix_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str,
        words: str) -> None:
    path = edited(tmp_path, old, new)
    code, out, err = validate(capsys, "--gate-policy", str(path))
    assert code == 2, out + err
    [line] = err.splitlines()
    assert line.startswith("drawbridge: ") and "gate-policy.yaml:" in line
    assert words in line and "; fix: " in line
    assert "Traceback" not in err


def test_a_missing_policy_file_is_bad_input(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = validate(capsys, "--gate-policy", str(tmp_path / "nope.yaml"))
    assert code == 2
    [line] = err.splitlines()
    assert "nope.yaml" in line and "; fix: " in line
