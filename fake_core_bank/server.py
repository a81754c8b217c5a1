"""Run the fake bank as a real HTTP server on loopback, in a background thread or in the CLI.

>>> with BankServer(BankConfig(seed=1, customers=3)) as server:   # doctest: +SKIP
...     httpx.get(server.base_url + "/v2/credit-lines/CL000001").status_code
200
"""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import uvicorn

from fake_core_bank.domain.secrets import HeaderPolicy
from fake_core_bank.errors import InputError
from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.app import BankApp
from fake_core_bank.http.guards import (
    HEADER_TIMEOUT,
    MAX_PER_CLIENT,
    LoopbackHostOnly,
    deadline_protocol,
)

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


class BankServer:
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
    ) -> None:
        check_bind(host, token, allow_remote)
        self.bank = bank or FakeBank(config)
        self.token = token
        self.host = host
        self._socket = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.port: int = self._socket.getsockname()[1]
        self.app = BankApp(self.bank, token=token, headers=headers)
        # ``middleware`` wraps the app on the wire (harness.mutate's proxy); the bank stays as is.
        wired = middleware(self.app) if middleware else self.app
        # Only --allow-remote serves other Host names (DNS rebinding, issue 15 item 12);
        # half-open and idle connections are closed (item 13): see fake_core_bank.http.guards.
        served = wired if allow_remote else LoopbackHostOnly(wired)
        self._server = uvicorn.Server(uvicorn.Config(
            served, log_level="warning", access_log=False, lifespan="off",
            loop="auto", http=deadline_protocol(header_timeout, max_per_client),
            timeout_graceful_shutdown=1, timeout_keep_alive=5,
        ))
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> BankServer:
        self._thread = threading.Thread(target=self._server.run,
                                        kwargs={"sockets": [self._socket]},
                                        name=f"fake-bank-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the fake bank's server did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._socket.close()

    def __enter__(self) -> BankServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def new_token() -> str:
    return secrets.token_urlsafe(24)
