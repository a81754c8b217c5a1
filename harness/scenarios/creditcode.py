"""Unified social credit codes (统一社会信用代码, GB 32100-2015): check character and generation.

An 18-character code is: registration authority (1), organisation category (1), administrative
region (6), organisation code (9), check character (1). The alphabet has 31 characters (digits
and capitals without I, O, Z, S, V); the check character makes the weighted sum vanish mod 31.

>>> is_valid("91350100M000100Y43")
True
"""

from __future__ import annotations

import random
import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
#: The shape of a code (the contracts' ``creditCode`` pattern); the check character is separate.
PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Registration authority + category pairs that appear in practice (9 = market regulator:
# 1 company, 2 sole proprietorship, 3 farmers' co-operative).
_PREFIXES = ("91", "92", "93")


def check_character(first17: str) -> str:
    """The 18th character for the first 17: ``31 - (sum(value * weight) mod 31)``, 31 -> '0'.

    Raises ValueError when ``first17`` is not 17 characters of the code alphabet.
    """
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


def generate(rng: random.Random, region: str) -> str:
    """A valid code for ``region`` (6 digits), deterministic for the state of ``rng``."""
    if not re.fullmatch(r"[0-9]{6}", region):
        raise ValueError(f"region must be a 6-digit administrative code, got {region!r}")
    prefix = rng.choice(_PREFIXES)
    organisation = "".join(rng.choice(ALPHABET) for _ in range(9))
    first17 = prefix + region + organisation
    return first17 + check_character(first17)
