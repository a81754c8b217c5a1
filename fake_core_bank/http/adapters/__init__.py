"""One adapter per contract version: translate between that version's wire and the domain.

The built-in core model (:mod:`fake_core_bank.lending`) lists them; a core model of another bank
subclasses :class:`Adapter` (docs/core-models.md).
"""

from __future__ import annotations

from fake_core_bank.http.adapters.base import Adapter

__all__ = ["Adapter"]
