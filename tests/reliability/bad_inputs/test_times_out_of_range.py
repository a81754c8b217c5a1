"""Times the fake bank's clock cannot hold (issue 15 item 8): one line, exit 2.

``given.clock`` in year 9999, ``at: +3000000d``, ``advance by 3000000d`` (or advances that add
up past the range) and a time scale of inf, nan or 1e308 (``--time-scale``, ``given.bank``)
used to end in tracebacks (``year 10000 is out of range``, ``date value out of range``),
harness-errors or 500s. Each is now refused while the scenario or the options are read,
naming the place and the range (fake_core_bank/domain/limits.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from reliability_kit import REFERENCE, ROOT, cli

FROZEN = (ROOT / "scenarios" / "line-state" / "frozen-line.yaml").read_text(encoding="utf-8")
FIRST_STEP = "timeline:\n"


def with_steps(steps: str) -> str:
    head, _, rest = FROZEN.partition(FIRST_STEP)
    return head + FIRST_STEP + steps + rest


SCENARIOS = {
    "clock-year-9999": (FROZEN.replace('clock: "2026-03-02T09:00:00+08:00"',
                                       'clock: "9999-12-31T09:00:00+08:00"'),
                        r"given\.clock: 9999-12-31T09:00:00\+08:00 is outside the bank's range "
                        r"1970-01-01\.\.2200-01-01; fix: write a time between 1970 and 2200"),
    "clock-year-1": (FROZEN.replace('clock: "2026-03-02T09:00:00+08:00"',
                                    'clock: "0001-01-01T00:00:00-12:00"'),
                     r"given\.clock: .* is outside the bank's range"),
    "at-3000000d": (FROZEN.replace("  - at: +1h\n", "  - at: +3000000d\n", 1),
                    r"timeline\[0\]\.at: duration '3000000d' is longer than the bank's whole "
                    r"time range \(1970\.\.2200\); fix: use at most 84,006 days"),
    "at-past-2200": (FROZEN.replace("  - at: +1h\n", "  - at: +70000d\n", 1),
                     r"timeline\[0\]\.at: 2217-.* is outside the bank's range"),
    "at-absolute-9999": (FROZEN.replace("  - at: +1h\n", '  - at: "9999-01-01T00:00:00Z"\n', 1),
                         r"timeline\[0\]\.at: 9999-01-01T00:00:00\+00:00 is outside"),
    "advance-3000000d": (with_steps("  - at: +0s\n    event: advance\n    by: 3000000d\n"),
                         r"timeline\[0\]\.by: duration '3000000d' is longer than"),
    "advances-add-up": (with_steps("  - at: +0s\n    event: advance\n    by: 60000d\n"
                                   "  - at: +0s\n    event: advance\n    by: 60000d\n"),
                        r"timeline\[1\]\.by: 2354-.* is outside the bank's range"),
}
for _value, _shown in ((".inf", "inf"), (".nan", "nan"), ("1e308", r"1e\+308")):
    SCENARIOS[f"bank-time-scale-{_value.strip('.')}"] = (
        FROZEN.replace("given:\n  clock:", f"given:\n  bank:\n    timeScale: {_value}\n  clock:"),
        rf"given\.bank\.timeScale: {_shown} is not a number in \(0, 10,000,000\]")


def one_line(done_stderr: str) -> str:
    assert "Traceback" not in done_stderr, done_stderr
    lines = done_stderr.splitlines()
    assert len(lines) == 1, done_stderr
    return lines[0]


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_scenario_time_out_of_range_is_one_line(tmp_path: Path, name: str,
                                                  command: str) -> None:
    text, expect = SCENARIOS[name]
    target = tmp_path / f"{name}.yaml"
    target.write_text(text, encoding="utf-8")
    extra = ("--connector", REFERENCE, "--versions", "v2", "--no-progress", "--out",
             str(tmp_path / "out")) if command == "run" else ()
    done = cli(command, str(target), *extra, timeout=120)
    line = one_line(done.stderr)
    assert done.returncode == 2, done.stderr
    assert re.search(expect, line), line


@pytest.mark.parametrize("scale", ["inf", "nan", "1e308", "-inf", "0", "-5"])
@pytest.mark.parametrize("command", ["run", "serve"])
def test_a_time_scale_out_of_range_is_one_line(tmp_path: Path, command: str, scale: str) -> None:
    args = (("run", str(ROOT / "scenarios" / "line-state" / "frozen-line.yaml"), "--connector",
             REFERENCE, "--no-progress", "--out", str(tmp_path / "out"))
            if command == "run" else ("serve", "--port", "0"))
    done = cli(*args, "--time-scale", scale, timeout=120)
    line = one_line(done.stderr)
    assert done.returncode == 2, done.stderr
    assert re.search(r"Invalid value for '--time-scale': .* is not a number in "
                     r"\(0, 10,000,000\]", line), line
