"""The header deadline counts from the connection's last answer, with one timer per connection.

fake_core_bank.http.guards keeps one timer per connection and re-aims it when it fires before
the latest deadline (issue 19: a timer made and cancelled per request cost CPU). A connection
answered after a while must get its full window again from that answer, not be closed when
the window of its start runs out; and an idle one is still closed. The same timer closes an
idle keep-alive connection in place of uvicorn's keep-alive timer, whose answer handling the
protocol does itself: pipelined requests are still answered, in order.
"""

from __future__ import annotations

import re
import socket
import time

from fake_core_bank.fake import BankConfig
from fake_core_bank.server import BankServer
from tests.fake_core_bank.bank_testkit import read_answer

WINDOW = 3.0


def test_a_connection_answered_late_in_its_window_gets_a_full_window_from_the_answer() -> None:
    with BankServer(BankConfig(seed=1, customers=1), header_timeout=WINDOW) as server, \
            socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        time.sleep(WINDOW * 2 / 3)  # two thirds of the first window gone, then a request
        sock.sendall(b"GET /v2/credit-lines/CL000001 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert read_answer(sock).startswith(b"HTTP/1.1 200")
        answered = time.monotonic()
        # The first window ends within the next third; the new one WINDOW after the answer.
        sock.settimeout(WINDOW / 2)
        try:
            early = sock.recv(1024)
        except TimeoutError:
            early = None  # still open half a window after the answer: as it must be
        assert early is None, f"closed {time.monotonic() - answered:.2f} s after the answer"
        sock.settimeout(60)  # then closed, as an idle connection is (generous bound)
        try:
            assert sock.recv(1024) == b""
        except ConnectionResetError:
            pass


def _ask(sock: socket.socket, path: str = "/v2/credit-lines/CL000001") -> bytes:
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    return read_answer(sock)


def test_an_idle_connection_closes_at_keep_alive_and_a_begun_request_gets_the_header_window(
) -> None:
    keep_alive, window = 2, 60.0
    with BankServer(BankConfig(seed=1, customers=1), header_timeout=window,
                    keep_alive=keep_alive) as server, \
            socket.create_connection(("127.0.0.1", server.port), timeout=30) as idle, \
            socket.create_connection(("127.0.0.1", server.port), timeout=30) as slow:
        assert _ask(idle).startswith(b"HTTP/1.1 200")
        assert _ask(slow).startswith(b"HTTP/1.1 200")
        slow.sendall(b"GET /v2/credit-lines/CL000001 HTTP/1.1\r\n")  # begun, not finished
        time.sleep(keep_alive * 2)  # past the keep-alive timeout, far within the header window
        idle.settimeout(window / 4)  # closed long before the header window would close it
        try:
            assert idle.recv(1024) == b""
        except ConnectionResetError:
            pass
        slow.sendall(b"Host: 127.0.0.1\r\n\r\n")
        assert read_answer(slow).startswith(b"HTTP/1.1 200")


def test_pipelined_requests_are_answered_in_order_and_counted() -> None:
    with BankServer(BankConfig(seed=1, customers=1)) as server, \
            socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(b"GET /v2/credit-lines/CL000001 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                     b"GET /v2/credit-lines/CL999999 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                     b"GET /v2/credit-lines/CL000001 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Connection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
        assert re.findall(rb"HTTP/1\.1 (\d{3}) ", data) == [b"200", b"404", b"200"]
        assert server.server.server_state.total_requests == 3


def test_a_request_begun_behind_pipelined_ones_gets_the_header_window_not_the_idle_one(
) -> None:
    """Two whole requests and the start of a third in one write: the third began before the
    second was answered, so after that answer it has the header window, not the keep-alive."""
    with BankServer(BankConfig(seed=1, customers=1), header_timeout=60.0,
                    keep_alive=1) as server, \
            socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        get = b"GET /v2/credit-lines/CL000001 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        sock.sendall(get + b"\r\n" + get + b"\r\n" + b"GET /v2/credit-lines/CL000001 HTTP/1.1\r\n")
        time.sleep(3)  # three keep-alive timeouts after the second answer
        sock.sendall(b"Host: 127.0.0.1\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
        assert re.findall(rb"HTTP/1\.1 (\d{3}) ", data) == [b"200", b"200", b"200"]
