"""Which contract version the connector actually used, read from the bank's journal.

The core's version is what the bank serves; the connector picks what it addresses (a v2-only
connector keeps calling ``/v2`` on a v3 core that still serves it). Expectations are chosen by
the version used (``harness.scenarios.versioned``), and reports state it per operation and per
scenario.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def used_version(entries: Sequence[dict[str, Any]], operation: str) -> str | None:
    """The version of the operation's last answered exchange (the answer its outcome rests
    on), else of its last exchange; None when the connector sent nothing."""
    mine = [e for e in entries if e.get("kind") == "exchange" and e.get("operation") == operation
            and isinstance(e.get("version"), str)]
    answered = [e for e in mine if e.get("status") is not None]
    last = (answered or mine)[-1:]
    return str(last[0]["version"]) if last else None

