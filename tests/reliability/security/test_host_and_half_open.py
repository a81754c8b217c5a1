"""DNS rebinding and half-open connections against the real server (issue 15 items 12, 13).

A page that rebinds its name to 127.0.0.1 sends its own name in ``Host``: refused unless the
server was started with ``allow_remote``. Connections that never finish their headers (idle
after connecting, or a "slowloris" that stopped halfway) are closed by the server within its
header deadline, so they cannot pile up and lock other clients out; a normal client is served
throughout. Bounded: a few hundred sockets on loopback, generous waits, no timing assertion
beyond "closed within a minute" for a one-second deadline.
"""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from reliability_rawhttp import RawConnection, request_bytes

from fake_core_bank.fake import BankConfig
from fake_core_bank.server import BankServer

SOCKETS = 300


@pytest.mark.parametrize("host", [b"evil.example", b"evil.example:8080", b"127.0.0.1.nip.io",
                                  b"10.0.0.5"])
def test_a_foreign_host_is_refused_and_reads_nothing(host: bytes) -> None:
    with BankServer(BankConfig(seed=1, customers=1)) as server:
        connection = RawConnection(server.port)
        try:
            raw = request_bytes(b"GET", b"/_control/journal", [], b"")
            status, _, body = connection.exchange(raw.replace(b"Host: 127.0.0.1",
                                                              b"Host: " + host))
        finally:
            connection.close()
    assert status == 403
    assert b"is not a loopback name" in body


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_names_are_served_and_allow_remote_serves_any(host: str) -> None:
    with BankServer(BankConfig(seed=1, customers=1)) as server:
        answer = httpx.get(f"http://127.0.0.1:{server.port}/_control/health",
                           headers={"Host": f"{host}:{server.port}"}, timeout=30)
        assert answer.status_code == 200
    with BankServer(BankConfig(seed=1, customers=1), allow_remote=True, token="t") as server:
        answer = httpx.get(f"{server.base_url}/v2/credit-lines/CL000001",
                           headers={"Host": "bank.example"}, timeout=30)
        assert answer.status_code == 200


def closed_by_server(sock: socket.socket, deadline: float) -> bool:
    sock.settimeout(max(0.1, deadline - time.monotonic()))
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_half_open_connections_are_closed_and_others_are_served() -> None:
    with BankServer(BankConfig(seed=1, customers=1), header_timeout=1.0) as server:
        idle: list[socket.socket] = []
        try:
            for i in range(SOCKETS):
                sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
                if i % 2:  # half the headers of a request, then silence (slowloris)
                    sock.sendall(b"GET /v2/credit-lines/CL000001 HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                idle.append(sock)
            answer = httpx.get(server.base_url + "/v2/credit-lines/CL000001", timeout=30)
            assert answer.status_code == 200
            deadline = time.monotonic() + 60
            still_open = [s for s in idle if not closed_by_server(s, deadline)]
            assert not still_open, f"{len(still_open)} of {SOCKETS} never closed"
            answer = httpx.get(server.base_url + "/v2/credit-lines/CL000001", timeout=30)
            assert answer.status_code == 200
        finally:
            for sock in idle:
                sock.close()


def test_a_slow_but_steady_client_within_the_deadline_is_served() -> None:
    with BankServer(BankConfig(seed=1, customers=1), header_timeout=30.0) as server, \
            socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        for part in (b"GET /v2/credit-lines/CL000001 HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n",
                     b"Connection: close\r\n\r\n"):
            sock.sendall(part)
            time.sleep(0.05)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200")


def test_a_burst_of_sockets_from_one_client_is_capped_and_others_are_served() -> None:
    """Within the header window a burst held a descriptor per socket; now one client keeps at
    most ``max_per_client`` connections: each newcomer closes that client's oldest connection
    still waiting for headers. The header deadline (300 s) plays no part in this test."""
    cap = 40
    with BankServer(BankConfig(seed=1, customers=1), header_timeout=300.0,
                    max_per_client=cap) as server:
        burst: list[socket.socket] = []
        try:
            for _ in range(SOCKETS):
                burst.append(socket.create_connection(("127.0.0.1", server.port), timeout=30))
            answer = httpx.get(server.base_url + "/v2/credit-lines/CL000001", timeout=30)
            assert answer.status_code == 200
            deadline = time.monotonic() + 60
            closed = [s for s in burst[: SOCKETS - cap] if closed_by_server(s, deadline)]
            assert len(closed) == SOCKETS - cap, f"only {len(closed)} of {SOCKETS} closed"
            with httpx.Client(base_url=server.base_url, timeout=30) as client:  # keep-alive
                for _ in range(3):
                    assert client.get("/v2/credit-lines/CL000001").status_code == 200
        finally:
            for sock in burst:
                sock.close()


def test_when_every_connection_is_mid_request_a_newcomer_is_closed_and_none_is_cut() -> None:
    """At the cap with no connection waiting for headers (each sent a request's headers and
    is still sending its body), the new connection is the one closed; the others live on."""
    head = (b"POST /v2/credit-lines/CL000001/drawdowns HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n"
            b"Expect: 100-continue\r\n\r\n")
    with BankServer(BankConfig(seed=1, customers=1), header_timeout=300.0,
                    max_per_client=2) as server:
        busy = [socket.create_connection(("127.0.0.1", server.port), timeout=30)
                for _ in range(2)]
        try:
            for sock in busy:
                sock.sendall(head)
                # the app is waiting for the body: the server read the headers
                assert sock.recv(1024).startswith(b"HTTP/1.1 100 Continue")
            with socket.create_connection(("127.0.0.1", server.port), timeout=30) as newcomer:
                assert closed_by_server(newcomer, time.monotonic() + 60)
            assert not any(closed_by_server(s, time.monotonic() + 0.5) for s in busy)
        finally:
            for sock in busy:
                sock.close()
        answer = httpx.get(server.base_url + "/v2/credit-lines/CL000001", timeout=30)
        assert answer.status_code == 200
