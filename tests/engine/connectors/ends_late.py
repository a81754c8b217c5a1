"""A connector that still has work when its run ends: a thread that is not a daemon (it sends
one more thing) and an ``atexit`` handler (a flush on exit). It writes a marker file for each in
``$ENDS_LATE_DIR``, named by its pid, so a test sees whether the run's process did both before it
ended, whether it was forked or started afresh."""

from __future__ import annotations

import atexit
import os
import threading
import time
from pathlib import Path
from typing import Any

from hostile_py import _Answers


def _mark(what: str) -> None:
    Path(os.environ["ENDS_LATE_DIR"], f"{os.getpid()}.{what}").write_text(what)


class EndsLate(_Answers):
    def get_credit_line(self, line_id: str) -> dict[str, Any]:
        atexit.register(_mark, "atexit")

        def later() -> None:
            time.sleep(0.2)
            _mark("thread")

        threading.Thread(target=later).start()
        return {"outcome": "failed", "detail": f"{os.getpid()} {os.getppid()}"}
