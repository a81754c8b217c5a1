"""Money: exact integer minor units, canonical text, refusals with a fix."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fake_core_bank.errors import InputError
from harness.scenarios.money import Money


@pytest.mark.parametrize(
    ("text", "minor", "currency"),
    [
        ("300000.00 CNY", 30_000_000, "CNY"),
        ("0.10 CNY", 10, "CNY"),
        ("0.1 USD", 10, "USD"),
        ("7 EUR", 700, "EUR"),
        ("999999999999999.99 HKD", 99_999_999_999_999_999, "HKD"),
    ],
)
def test_parse_gives_exact_minor_units(text: str, minor: int, currency: str) -> None:
    assert Money.parse(text) == Money(minor, currency)


def test_text_forms() -> None:
    money = Money.parse("300000 CNY")
    assert str(money) == "300000.00 CNY"
    assert money.yuan_string() == "300000.00"
    assert Money(5, "CNY").yuan_string() == "0.05"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("1e400", "is not a money amount"),
        ("NaN", "is not a money amount"),
        ("Infinity CNY", "is not a money amount"),
        ("-5.00 CNY", "is negative"),
        ("1.234 CNY", "has 3 decimals but CNY has 2"),
        ("100.00 XYZ", "unknown currency code 'XYZ'"),
        ("1234567890123456.00 CNY", "more than 15 integer digits"),
        (100.5, "bare number 100.5"),
        (float("inf"), "non-finite number inf"),
        (True, "expected money"),
    ],
)
def test_refusals_name_the_problem_and_a_fix(value: object, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as caught:
        Money.parse(value, "x.yaml:3:5 limit")
    assert str(caught.value).startswith("x.yaml:3:5 limit: ")
    assert "; fix: " in str(caught.value)


def test_arithmetic_and_order_refuse_mixed_currencies() -> None:
    a, b = Money.parse("1.50 CNY"), Money.parse("0.75 CNY")
    assert a + b == Money(225, "CNY")
    assert a - b == Money(75, "CNY")
    assert b < a <= a
    with pytest.raises(ValueError, match="cannot combine CNY and USD"):
        _ = a + Money(1, "USD")
    with pytest.raises(ValueError, match="unknown currency"):
        Money(1, "XYZ")


@given(st.integers(min_value=0, max_value=10**17 - 1), st.sampled_from(["CNY", "USD"]))
def test_text_round_trip(minor: int, currency: str) -> None:
    money = Money(minor, currency)
    assert Money.parse(str(money)) == money
