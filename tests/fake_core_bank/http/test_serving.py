"""ThreadedServer and cut_connection: what the fake bank's server and the proxies share."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest

from fake_core_bank.http.serving import ThreadedServer, cut_connection


async def hello_or_cut(scope: dict[str, Any], receive: Any, send: Any) -> None:
    assert scope["type"] == "http"
    start = {"type": "http.response.start", "status": 200,
             "headers": [(b"content-length", b"5")]}
    if scope["path"] == "/cut":
        await cut_connection(send, start, "cut on purpose")
    await send(start)
    await send({"type": "http.response.body", "body": b"hello"})


async def fails_to_start(scope: dict[str, Any], receive: Any, send: Any) -> None:
    message = await receive()
    assert message["type"] == "lifespan.startup"
    await send({"type": "lifespan.startup.failed", "message": "no"})


def test_it_serves_on_loopback_cuts_one_answer_and_frees_its_port_when_stopped() -> None:
    with ThreadedServer(hello_or_cut, name="test app", lifespan="off") as server:
        assert server.base_url == f"http://127.0.0.1:{server.port}"
        assert httpx.get(server.base_url + "/").text == "hello"
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(server.base_url + "/cut")
        assert httpx.get(server.base_url + "/").text == "hello"  # a cut is one answer's
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", server.port))


def test_a_server_that_cannot_start_says_which_and_leaves_nothing_running() -> None:
    server = ThreadedServer(fails_to_start, name="test app", lifespan="on")
    with pytest.raises(RuntimeError, match="the test app did not start"):
        server.start()
    assert server._thread is not None and not server._thread.is_alive()


def test_a_port_in_use_is_an_os_error_for_the_command_to_word() -> None:
    with ThreadedServer(hello_or_cut, name="first", lifespan="off") as first, \
            pytest.raises(OSError):
        ThreadedServer(hello_or_cut, name="second", port=first.port, lifespan="off")


def test_a_signal_before_uvicorn_listens_for_it_still_stops_serve_forever() -> None:
    import signal
    import threading

    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    server = ThreadedServer(hello_or_cut, name="test server")
    rescued: list[bool] = []

    def rescue() -> None:  # a hang ends here, after a minute, and fails below
        rescued.append(True)
        server.server.should_exit = True

    timer = threading.Timer(60, rescue)
    try:
        server.stop_on_signals()
        signal.raise_signal(signal.SIGTERM)  # before serve_forever: uvicorn has no handler yet
        timer.start()
        server.serve_forever()
    finally:
        timer.cancel()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    assert rescued == []
