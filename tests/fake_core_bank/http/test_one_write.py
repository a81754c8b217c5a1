"""An answer's writes go out together at the end of the loop's turn (fake_core_bank.http.one_write).

Unit tests on a recording transport, then the fake bank's real server over a raw socket: answers
arrive, a ``100 Continue`` is not held back behind the answer it announces (the client sends
the body only after it), and a HEAD answer (headers only, no body write) still arrives.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from fake_core_bank.fake import BankConfig
from fake_core_bank.http.one_write import TurnWrites
from fake_core_bank.server import BankServer
from tests.fake_core_bank.bank_testkit import read_answer


class Recording:
    """A transport that records what is written to it."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closing = False
        self.closed_after: int | None = None

    def write(self, data: bytes) -> None:
        assert not self.closing, "written after close"
        self.writes.append(data)

    def close(self) -> None:
        self.closing = True
        self.closed_after = len(self.writes)

    def abort(self) -> None:
        self.closing = True

    def is_closing(self) -> bool:
        return self.closing

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 5)}.get(name, default)


async def _turns(count: int = 2) -> None:
    for _ in range(count):
        await asyncio.sleep(0)


def test_the_writes_of_one_turn_go_out_as_one_write_in_their_order() -> None:
    async def go() -> Recording:
        real = Recording()
        held = TurnWrites(real, asyncio.get_running_loop())  # type: ignore[arg-type]
        held.write(b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n")
        held.write(b"{}")
        assert real.writes == []  # nothing yet: the turn has not ended
        await _turns()
        held.write(b"HTTP/1.1 200 OK\r\n\r\n")
        await _turns()
        return real

    real = asyncio.run(go())
    assert real.writes == [b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n{}",
                           b"HTTP/1.1 200 OK\r\n\r\n"]


def test_closing_writes_what_is_held_first_and_abort_drops_it() -> None:
    async def go() -> tuple[Recording, Recording]:
        loop = asyncio.get_running_loop()
        cut, aborted = Recording(), Recording()
        one = TurnWrites(cut, loop)  # type: ignore[arg-type]
        one.write(b"HTTP/1.1 200 OK\r\ncontent-length: 99\r\n\r\n")
        one.close()  # an answer cut after its headers: the client still sees them
        other = TurnWrites(aborted, loop)  # type: ignore[arg-type]
        other.write(b"partial")
        other.abort()
        await _turns()
        return cut, aborted

    cut, aborted = asyncio.run(go())
    assert cut.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 99\r\n\r\n"]
    assert cut.closed_after == 1
    assert aborted.writes == []


def test_a_connection_the_peer_closed_in_the_turn_gets_no_write() -> None:
    async def go() -> Recording:
        real = Recording()
        held = TurnWrites(real, asyncio.get_running_loop())  # type: ignore[arg-type]
        held.write(b"answer")
        real.closing = True  # the peer went away before the turn ended
        await _turns()
        return real

    assert asyncio.run(go()).writes == []


def test_the_bank_server_answers_whole_and_keeps_100_continue_and_head_working() -> None:
    body = b'{"amount":100,"currency":"CNY","beneficiaryAccount":"6222021202041234567"}'
    with BankServer(BankConfig(seed=3, customers=2)) as server, \
            socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET /v2/credit-lines/CL000001 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        answer = read_answer(sock)
        assert answer.startswith(b"HTTP/1.1 200 ") and b'"lineId":"CL000001"' in answer
        names = [line.split(b":")[0].lower() for line in answer.split(b"\r\n\r\n")[0]
                 .split(b"\r\n")[1:]]
        assert b"date" in names and b"server" not in names  # no "server: uvicorn"
        sock.sendall(b"HEAD /v2/credit-lines/CL000001 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert read_answer(sock, head_only=True).startswith(b"HTTP/1.1 ")
        sock.sendall(b"POST /v2/credit-lines/CL000001/drawdowns HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\nIdempotency-Key: one-write-1\r\n"
                     b"Expect: 100-continue\r\nContent-Length: " + str(len(body)).encode()
                     + b"\r\n\r\n")
        interim = b""
        while b"\r\n\r\n" not in interim:  # the client waits for it before sending the body
            chunk = sock.recv(65536)
            assert chunk, "connection closed before 100 Continue"
            interim += chunk
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(body)
        booked = read_answer(sock)
        assert booked.startswith(b"HTTP/1.1 201 "), booked[:200]
