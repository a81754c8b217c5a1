"""One adapter per contract version: translate between that version's wire and the domain."""

from __future__ import annotations

from fake_core_bank.http.adapters.base import Adapter
from fake_core_bank.http.adapters.v1 import V1
from fake_core_bank.http.adapters.v2 import V2
from fake_core_bank.http.adapters.v3 import V3

ADAPTERS: dict[str, Adapter] = {"v1": V1(), "v2": V2(), "v3": V3()}

__all__ = ["ADAPTERS", "Adapter"]
