"""Unified social credit codes (统一社会信用代码), GB 32100-2015.

18 characters: registration authority (1), organisation type (1), administrative division (6),
organisation code (9, with its own GB 11714 check character), and a check character over the
first 17 computed mod 31.

>>> is_valid("91350100M000100Y43")
True
"""

from __future__ import annotations

import functools
import random
import re
from operator import mul

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
#: The shape of a code (the contracts' ``creditCode`` pattern); the check character is separate.
PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# GB 11714 organisation code: 8 body characters (digits and capital letters) + a check character.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def check_character(first17: str) -> str:
    """The 18th character for the given first 17."""
    if len(first17) != 17 or any(ch not in _VALUE for ch in first17):
        raise ValueError(f"expected 17 characters of {ALPHABET}, got {first17!r}")
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """True when ``code`` has the GB 32100-2015 shape and its check character matches."""
    return bool(PATTERN.match(code)) and check_character(code[:17]) == code[17]


def problem(code: str) -> tuple[str, str] | None:
    """Why ``code`` is not valid, as (problem, fix); None when it is valid."""
    if not PATTERN.match(code):
        return (
            f"{code!r} is not an 18-character unified social credit code",
            "write 18 characters of 0-9 and capitals except I, O, S, V, Z "
            "(e.g. 91350100M000100Y43), or omit creditCode to have one generated",
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        return (
            f"credit code {code!r} has check character {code[17]!r} but GB 32100-2015 gives "
            f"{expected!r}",
            f"write {code[:17] + expected!r}, or omit creditCode to have one generated",
        )
    return None


_ORG_VALUE = {ch: i for i, ch in enumerate(_ORG_ALPHABET)}
_REGION = re.compile(r"[0-9]{6}")


def _org_check(body: str) -> str:
    total = sum(map(mul, map(_ORG_VALUE.__getitem__, body), _ORG_WEIGHTS))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


@functools.cache
def _head_total(region: str) -> int:
    """The check sum's share of "91" + region, the same for every code of a region."""
    if not _REGION.fullmatch(region):
        raise ValueError(f"region must be a 6-digit administrative code, got {region!r}")
    return sum(map(mul, map(_VALUE.__getitem__, "91" + region), WEIGHTS))


def generate(rng: random.Random, region: str) -> str:
    """A valid code for an enterprise (registration 9: industry and commerce; type 1: company),
    deterministic for the state of ``rng``."""
    head = _head_total(region)
    # One draw for the eight digits: seeding a million enterprises calls this a million times.
    body = f"{rng.randrange(100_000_000):08d}"
    org = body + _org_check(body)  # digits and 0-9/X: all in ALPHABET
    total = head + sum(map(mul, map(_VALUE.__getitem__, org), WEIGHTS[8:]))
    return "91" + region + org + ALPHABET[(31 - total % 31) % 31]
