"""The bad-input catalogue: every malformed file in tests/scenarios/bad/ fails with one line.

Each file starts with ``# expect: <regex>``; the error must match it, be a single line, name
the file with line and column, and say how to fix the problem.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fake_core_bank.errors import InputError
from harness.scenarios import load_scenario

BAD = Path(__file__).parent / "bad"
CASES = sorted(BAD.glob("*.yaml"))
_HEADER = re.compile(r"^# expect: (?P<regex>.+)$")


def expected_pattern(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = _HEADER.match(first)
    assert match, f"{path.name}: first line must be '# expect: <regex>'"
    return match["regex"]


def test_the_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bad_file_fails_with_one_teaching_line(path: Path) -> None:
    pattern = expected_pattern(path)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert re.search(pattern, message), f"\n  pattern: {pattern}\n  message: {message}"
    assert "\n" not in message
    # The position is in this file, or for include errors in a file it includes.
    assert re.match(r"^\S*tests/scenarios/bad/[a-z0-9-]+\.yaml:\d+:\d+[: ]", message), message
    assert "; fix: " in message
    assert "Traceback" not in message


def test_errors_are_deterministic() -> None:
    path = BAD / "unknown-event.yaml"
    messages = set()
    for _ in range(3):
        with pytest.raises(InputError) as caught:
            load_scenario(path)
        messages.add(str(caught.value))
    assert len(messages) == 1


def test_only_the_first_error_in_document_order_is_reported(tmp_path: Path) -> None:
    text = (BAD.parent / "good" / "full-example.yaml").read_text(encoding="utf-8")
    text = text.replace("cause: line-state", "cause: line-sate")
    text = text.replace("outcome: rejected", "outcome: rejeted")
    (tmp_path / "two.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"two\.yaml:4:8 cause: unknown cause 'line-sate'"):
        load_scenario(tmp_path / "two.yaml")
