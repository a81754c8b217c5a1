"""Run the fake bank as a real HTTP server on loopback, in a background thread or in the CLI.

>>> with BankServer(BankConfig(seed=1, customers=3)) as server:   # doctest: +SKIP
...     httpx.get(server.base_url + "/v2/credit-lines/CL000001").status_code
200
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from fake_core_bank.domain.secrets import HeaderPolicy
from fake_core_bank.errors import InputError
from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.app import BankApp
from fake_core_bank.http.guards import (
    HEADER_TIMEOUT,
    KEEP_ALIVE,
    MAX_PER_CLIENT,
    LoopbackHostOnly,
    deadline_protocol,
)
from fake_core_bank.http.serving import ThreadedServer

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def check_bind(host: str, token: str | None, allow_remote: bool) -> None:
    """Binding beyond loopback exposes the control API: it needs an explicit flag and a token."""
    if host in LOOPBACK:
        return
    if not allow_remote:
        raise InputError("--host", f"{host} is not a loopback address",
                         "pass --allow-remote to bind it on purpose (a token is then required)")
    if not token:
        raise InputError("--host", f"binding {host} needs a control token",
                         "pass --token or set DRAWBRIDGE_TOKEN")


class BankServer(ThreadedServer):
    """A fake bank served by uvicorn on 127.0.0.1 (port 0: a free one), in a daemon thread."""

    def __init__(
        self,
        config: BankConfig | None = None,
        *,
        bank: FakeBank | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = None,
        allow_remote: bool = False,
        middleware: Callable[[BankApp], Any] | None = None,
        headers: HeaderPolicy | None = None,
        header_timeout: float = HEADER_TIMEOUT,
        max_per_client: int = MAX_PER_CLIENT,
        keep_alive: int = KEEP_ALIVE,
    ) -> None:
        check_bind(host, token, allow_remote)
        self.bank = bank or FakeBank(config)
        self.token = token
        self.app = BankApp(self.bank, token=token, headers=headers)
        # ``middleware`` wraps the app on the wire (harness.mutate's proxy); the bank stays as is.
        wired = middleware(self.app) if middleware else self.app
        # Only --allow-remote serves other Host names (DNS rebinding, issue 15 item 12);
        # half-open and idle connections are closed (item 13): see fake_core_bank.http.guards.
        served = wired if allow_remote else LoopbackHostOnly(wired)
        # proxy_headers off: nothing reads the client address or scheme that uvicorn's
        # X-Forwarded-For rewriting would set, and it cost every request its headers again.
        # server_header off: "server: uvicorn" tells a connector nothing a bank would say, and
        # each header costs every answer uvicorn's checks of its name and value.
        super().__init__(served, name="fake bank's server", host=host, port=port,
                         lifespan="off", loop="auto",
                         http=deadline_protocol(header_timeout, max_per_client),
                         timeout_keep_alive=keep_alive, proxy_headers=False,
                         server_header=False)


def new_token() -> str:
    return secrets.token_urlsafe(24)
