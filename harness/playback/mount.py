"""Route ``requests`` traffic for a fake host to a handler in this process, through ``responses``.

A *handler* takes ``(method, url, headers, body)`` and returns an :class:`AsgiResponse` (or
raises :class:`Dropped`, which the connector sees as ``requests.ConnectionError``). Two handlers
ship: the fake bank's ASGI app (:func:`mount`) and a recording answered in order
(:func:`harness.playback.recorded.mount_recording`).

Only hosts under ``.invalid`` (RFC 6761: never resolvable) are intercepted; every other URL
passes through to the network, so mounting never breaks unrelated HTTP in the same process.
One process-wide ``responses.RequestsMock`` serves every mount (``responses`` patches
``requests`` globally, so two independent mocks in two threads would undo each other); each
mount gets its own host, so parallel jobs in one process do not mix their banks.

>>> from fake_core_bank.fake import FakeBank                              # doctest: +SKIP
>>> with mount(FakeBank()) as url:                                        # doctest: +SKIP
...     requests.get(url + "/v2/credit-lines/CL000001").status_code
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import requests
import responses

from fake_core_bank.fake import FakeBank
from fake_core_bank.http.app import BankApp
from harness.playback.asgi import AsgiResponse, Dropped, call_asgi

Handler = Callable[[str, str, list[tuple[str, str]], bytes], AsgiResponse]
DEFAULT_HOST = "fake-bank.invalid"
#: Everything that is not a ``.invalid`` host goes to the real network.
PASSTHRU = re.compile(r"^(?!https?://[^/?#]*\.invalid(?::\d+)?(?:[/?#]|$))")


class _Router:
    """The shared ``RequestsMock``: started with the first mount, stopped with the last."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.mock: responses.RequestsMock | None = None
        self.hosts: set[str] = set()  # every mounted base URL
        self.shared: set[str] = set()  # those served by the shared mock
        self.numbers = itertools.count(2)

    def attach(self, base_url: str | None, handler: Handler,
               mock: responses.RequestsMock | None) -> tuple[str, Callable[[], None]]:
        with self.lock:
            base = (base_url or self._free_host()).rstrip("/")
            if base in self.hosts:
                raise ValueError(f"{base} is already mounted; unmount it first or pick "
                                 "another base_url")
            if mock is None and self.mock is None:
                self.mock = responses.RequestsMock(assert_all_requests_are_fired=False)
                self.mock.add_passthru(PASSTHRU)
                self.mock.start()
            target = mock or self.mock
            assert target is not None
            # Nobody reads the shared mock's call log: keep it empty rather than let it hold
            # every request and response of a long in-process run (memory, and collector time).
            registered = _register(target, base, handler, forget_calls=mock is None)
            self.hosts.add(base)
            if mock is None:
                self.shared.add(base)

        def detach() -> None:
            with self.lock:
                self.hosts.discard(base)
                for item in registered:
                    target.remove(item)
                if mock is None:
                    self.shared.discard(base)
                    if not self.shared and self.mock is not None:
                        self.mock.stop(allow_assert=False)
                        self.mock.reset()
                        self.mock = None

        return base, detach

    def _free_host(self) -> str:
        base = f"http://{DEFAULT_HOST}"
        while base in self.hosts:
            base = f"http://fake-bank-{next(self.numbers)}.invalid"
        return base


_ROUTER = _Router()


class _AnyMethod(responses.CallbackResponse):
    """A callback for every method under one base URL: one registry entry, a prefix test."""

    def __init__(self, base: str, callback: Any) -> None:
        super().__init__("GET", re.compile("^" + re.escape(base) + r"(?:[/?#]|$)"),
                         callback=callback, content_type=None)
        self.base = base

    def matches(self, request: requests.PreparedRequest) -> tuple[bool, str]:
        url = str(request.url)
        rest = url[len(self.base):len(self.base) + 1]
        if url.startswith(self.base) and rest in ("", "/", "?", "#"):
            return True, ""
        return False, f"URL is not under {self.base}"


def _register(mock: responses.RequestsMock, base: str, handler: Handler, *,
              forget_calls: bool = False) -> list[responses.BaseResponse]:

    def callback(request: requests.PreparedRequest) -> tuple[int, list[tuple[str, str]], bytes]:
        if forget_calls:
            mock.calls.reset()
            entry.calls.reset()
        body: Any = request.body
        if body is None:
            data = b""
        elif isinstance(body, str):
            data = body.encode("utf-8")
        else:
            data = bytes(body)
        method = request.method or "GET"
        try:
            headers = [(k, v if isinstance(v, str) else v.decode("latin-1"))
                       for k, v in request.headers.items()]
            answer = handler(method, str(request.url), headers, data)
        except Dropped as exc:
            # What a real socket gives `requests` when the peer hangs up mid-answer.
            raise requests.ConnectionError(str(exc), request=request) from exc
        return answer.status, [(k, v) for k, v in answer.headers
                               if k.lower() != "content-length"], answer.body

    entry = _AnyMethod(base, callback)
    return [mock.add(entry)]


def bank_handler(app: BankApp) -> Handler:
    """A handler that serves requests with the fake bank's ASGI app, in process."""

    faults = app.bank.faults

    def handle(method: str, url: str, headers: list[tuple[str, str]],
               body: bytes) -> AsgiResponse:
        # The API awaits nothing but receive/send, except a latency fault's sleep; the control
        # API is a framework app that may use the loop. Both go through a real loop.
        inline = "/_control" not in url and not any(
            f.kind == "latency" and f.applied < f.times for f in faults.faults)
        return call_asgi(app, method, url, headers, body, inline=inline)

    return handle


@contextmanager
def mount_handler(handler: Handler, *, base_url: str | None = None,
                  mock: responses.RequestsMock | None = None) -> Iterator[str]:
    """Serve ``handler`` to ``requests`` at a fake base URL for the duration of the block."""
    base, detach = _ROUTER.attach(base_url, handler, mock)
    try:
        yield base
    finally:
        detach()


@contextmanager
def mount(bank: FakeBank | BankApp, *, base_url: str | None = None,
          mock: responses.RequestsMock | None = None) -> Iterator[str]:
    """Serve a fake bank to ``requests``-based code in process; yields the base URL to use.

    ``base_url`` defaults to ``http://fake-bank.invalid`` (another ``.invalid`` host when that
    one is taken). Pass ``mock`` to register into your own ``responses.RequestsMock`` instead of
    the shared one, e.g. inside a test decorated with ``@responses.activate``. Lost-response and
    drop faults raise ``requests.ConnectionError`` in the connector, as on a real socket.

    >>> with mount(FakeBank(BankConfig(customers=1))) as url:             # doctest: +SKIP
    ...     connector = ReferenceConnector(url, version="v2")
    ...     connector.get_credit_line("CL000001")["outcome"]
    'succeeded'
    """
    app = bank if isinstance(bank, BankApp) else BankApp(bank)
    with mount_handler(bank_handler(app), base_url=base_url, mock=mock) as url:
        yield url
