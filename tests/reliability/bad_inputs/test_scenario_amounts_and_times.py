"""Amounts and times in scenario files that tests/scenarios/bad/ does not cover.

Each file in ``scenarios/`` here starts with ``# expect: <regex>``. ``drawbridge validate FILE``
(the CLI's entry point, in process: the console script itself is exercised by
test_cli_bad_inputs.py) must exit 2 with one line naming the file, line and column, the field,
what is wrong and the fix. Thousands separators, full-width digits, currency signs, hex,
lower-case codes, leap seconds, 25-hour offsets, year 0, ISO durations, negative and unsigned
step times: each a mistake someone will make.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.cli.main import main

HERE = Path(__file__).parent / "scenarios"
CASES = sorted(HERE.glob("*.yaml"))
_HEADER = re.compile(r"^# expect: (?P<regex>.+)$")


def test_the_catalogue_has_its_cases() -> None:
    assert len(CASES) >= 25


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bad_amount_or_time_is_one_line_with_place_and_fix(
        path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = _HEADER.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert header, f"{path.name}: first line must be '# expect: <regex>'"
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(path)])
    err = capsys.readouterr().err
    assert exited.value.code == 2, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert re.match(rf"^drawbridge: \S*{re.escape(path.name)}:\d+:\d+ ", lines[0]), lines[0]
    assert re.search(header["regex"], lines[0]), f"\n  want: {header['regex']}\n  got: {lines[0]}"
    assert "; fix: " in lines[0]
