"""Money as integer minor units (fen), parsed from and written as ``"300000.00 CNY"``.

Amounts never pass through ``float``: the decimal text is split into digits, so ``"0.10 CNY"``
is exactly 10 fen and ``"1e400"`` is refused instead of becoming infinity.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from fake_core_bank.errors import InputError
from harness.scenarios.vocabulary import CURRENCIES, MAX_INTEGER_DIGITS

_SHAPE = re.compile(r"^(?P<sign>[-+]?)(?P<int>[0-9]+)(?:\.(?P<frac>[0-9]*))? (?P<ccy>\S+)$")
_EXAMPLE = "'300000.00 CNY'"


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in integer minor units of one currency.

    >>> Money.parse("300000.00 CNY")
    Money(minor=30000000, currency='CNY')
    >>> str(Money(150, "CNY"))
    '1.50 CNY'
    """

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if self.currency not in CURRENCIES:
            raise ValueError(f"unknown currency {self.currency!r}")
        if isinstance(self.minor, bool) or not isinstance(self.minor, int):
            raise TypeError(f"minor units must be an int, got {self.minor!r}")

    @classmethod
    def parse(cls, text: object, where: str = "") -> Money:
        """Parse ``"<decimal> <CCY>"``; raise :class:`InputError` at ``where`` with a fix.

        Accepts 0 to ``digits`` fraction digits of the currency and at most 15 integer digits;
        refuses negatives, exponents, NaN, infinity, unknown currencies and bare numbers.
        """
        if isinstance(text, bool):
            raise InputError(where, f"expected money such as {_EXAMPLE}, found the boolean "
                             f"{str(text).lower()}", f"write an amount with a currency, e.g. "
                             f"{_EXAMPLE}")
        if not isinstance(text, str):
            if isinstance(text, int | float):
                if not math.isfinite(text):
                    raise InputError(
                        where,
                        f"expected money, found the non-finite number {text!r}",
                        f"write a finite amount with a currency, e.g. {_EXAMPLE}",
                    )
                shown = f"{text:.2f}" if isinstance(text, float) else f"{text}.00"
                raise InputError(
                    where,
                    f"expected money as text with a currency, found the bare number {text!r}",
                    f"quote it with a currency: '{shown} CNY'",
                )
            raise InputError(
                where, f"expected money such as {_EXAMPLE}, found {text!r}", f"write {_EXAMPLE}"
            )
        match = _SHAPE.match(text)
        if match is None:
            raise InputError(
                where,
                f"{text!r} is not a money amount (a decimal, a space, a currency code)",
                f"write e.g. {_EXAMPLE}; exponents, NaN and Infinity are not amounts",
            )
        ccy = match["ccy"]
        if ccy not in CURRENCIES:
            raise InputError.for_unknown_name(where, "currency code", ccy, CURRENCIES)
        if match["sign"] == "-":
            raise InputError(
                where, f"{text!r} is negative", "amounts are >= 0; write e.g. '5.00 " + ccy + "'"
            )
        digits = CURRENCIES[ccy]
        whole, frac = match["int"], match["frac"] or ""
        if len(frac) > digits:
            raise InputError(
                where,
                f"{text!r} has {len(frac)} decimals but {ccy} has {digits}",
                f"round to {digits} decimals, e.g. '{whole}.{frac[:digits]} {ccy}'",
            )
        if len(whole.lstrip("0") or "0") > MAX_INTEGER_DIGITS:
            raise InputError(
                where,
                f"{text!r} has more than {MAX_INTEGER_DIGITS} integer digits",
                f"use an amount below 10^{MAX_INTEGER_DIGITS}",
            )
        return cls(int(whole) * 10**digits + int(frac.ljust(digits, "0") or "0"), ccy)

    @classmethod
    def zero(cls, currency: str = "CNY") -> Money:
        return cls(0, currency)

    def yuan_string(self) -> str:
        """The amount in major units with exactly the currency's decimals: ``"300000.00"``."""
        digits = CURRENCIES[self.currency]
        sign = "-" if self.minor < 0 else ""
        whole, frac = divmod(abs(self.minor), 10**digits)
        return f"{sign}{whole}.{frac:0{digits}d}" if digits else f"{sign}{whole}"

    def __str__(self) -> str:
        return f"{self.yuan_string()} {self.currency}"

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.minor <= other.minor

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor > other.minor

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.minor >= other.minor
