"""GB 32100-2015 unified social credit codes."""

from __future__ import annotations

import random

import pytest

from harness.scenarios.creditcode import ALPHABET, check_character, generate, is_valid, problem


def test_known_valid_code() -> None:
    # The commonly cited example; its check character computed by hand:
    # sum(value * weight) over the first 17 = 865, 865 mod 31 = 28, 31 - 28 = 3.
    assert check_character("91350100M000100Y4") == "3"
    assert is_valid("91350100M000100Y43")


def test_check_31_maps_to_zero() -> None:
    # "00000000000000000" sums to 0: 31 - 0 = 31, which the standard writes as '0'.
    assert check_character("0" * 17) == "0"


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y44",  # wrong check character
        "91350100M000100Y4",  # too short
        "91350100M000100YI3",  # I is not in the alphabet
        "9135010XM000100Y43",  # region must be digits
    ],
)
def test_invalid_codes(code: str) -> None:
    assert not is_valid(code)
    assert problem(code) is not None


def test_every_single_substitution_is_detected() -> None:
    code = "91350100M000100Y43"
    for i in range(17):
        for ch in ALPHABET:
            if ch != code[i]:
                changed = code[:i] + ch + code[i + 1 :]
                if changed[2:8].isdigit():
                    assert not is_valid(changed), changed


def test_generate_is_valid_and_deterministic() -> None:
    first = [generate(random.Random(42), "330000") for _ in range(1)]
    again = [generate(random.Random(42), "330000") for _ in range(1)]
    assert first == again
    rng = random.Random(7)
    codes = [generate(rng, "110105") for _ in range(200)]
    assert all(is_valid(c) and c[2:8] == "110105" for c in codes)
    assert len(set(codes)) == 200
    with pytest.raises(ValueError, match="6-digit"):
        generate(rng, "33")


def test_check_character_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        check_character("short")
