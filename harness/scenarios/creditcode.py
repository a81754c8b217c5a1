"""Unified social credit codes for scenario files: the fake bank's implementation, re-exported.

One implementation (GB 32100-2015) serves both the loader's checks and the bank's seeding:
:mod:`fake_core_bank.domain.creditcode`.

>>> is_valid("91350100M000100Y43")
True
"""

from fake_core_bank.domain.creditcode import (
    ALPHABET,
    PATTERN,
    WEIGHTS,
    check_character,
    generate,
    is_valid,
    problem,
)

__all__ = ["ALPHABET", "PATTERN", "WEIGHTS", "check_character", "generate", "is_valid", "problem"]
