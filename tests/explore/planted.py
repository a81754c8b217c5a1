"""Planted-defect connectors: each is the reference connector with one known defect."""

from __future__ import annotations

import time
from typing import Any, ClassVar

import requests

from examples.connectors.reference_py.connector import ReferenceConnector


class BlindRetryConnector(ReferenceConnector):
    """Retries a dropped request with a fresh Idempotency-Key each time: a lost drawdown answer
    books twice. Otherwise the reference connector."""

    DRAWBRIDGE: ClassVar[dict[str, Any]] = {"name": "blind-retry", "version": "0.1",
                                            "contracts": ["v2"]}

    def _call(self, method: str, path: str, *, json: Any = None,
              key: str | None = None) -> requests.Response:
        for attempt in range(4):
            headers = {"Idempotency-Key": f"{key}-try{attempt}"} if key else {}
            try:
                return self.http.request(method, f"{self.bank_url}/{self.version}{path}",
                                         json=json, headers=headers, timeout=10)
            except requests.RequestException:
                time.sleep(0.01)
        raise requests.ConnectionError("bank unreachable after 4 attempts")
