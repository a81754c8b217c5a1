"""A connector whose module starts a thread when it is imported (a token refresher, a
telemetry client): each run must have that thread, as a fresh interpreter gives it."""

from __future__ import annotations

import os
import threading
from typing import Any

from hostile_py import _Answers

REFRESHED = threading.Event()
_STOP = threading.Event()


def _refresh() -> None:
    REFRESHED.set()
    _STOP.wait(600)


threading.Thread(target=_refresh, name="token-refresher", daemon=True).start()


class Refreshing(_Answers):
    def get_credit_line(self, line_id: str) -> dict[str, Any]:
        alive = any(t.name == "token-refresher" and t.is_alive() for t in threading.enumerate())
        return {"outcome": "failed", "detail": f"{os.getpid()} {os.getppid()} {alive}"}
