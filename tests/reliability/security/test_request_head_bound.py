"""A request's head (request line and headers), and a chunked body's trailers, are bounded on
the real server.

httptools sets no bound and keeps a header whole until it ends, so one endless header (or URL)
grew the fake bank's server without limit within its header window. A head longer than
``MAX_HEAD_BYTES`` is answered 431 and its connection closed; a head within the bound is
served however the client's writes cut it, alone or pipelined behind a large body. The
recording proxy (``drawbridge record``) runs the same guards. Bounded:
the hostile client stops at 4 MB, and every socket has a timeout.
"""

from __future__ import annotations

import select
import socket
import time
from pathlib import Path

import pytest
from reliability_rawhttp import RawConnection, request_bytes

from bench import stubs
from fake_core_bank.fake import BankConfig
from fake_core_bank.http.guards import MAX_HEAD_BYTES, deadline_protocol
from fake_core_bank.server import BankServer
from harness.recording.proxy import RecordingServer

GET = b"GET /v2/credit-lines/CL000001 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
#: what the hostile client sends at most before it gives up on an answer
GIVE_UP = 4 * 1024 * 1024


def endless(port: int, start: bytes, filler: bytes) -> bytes:
    """``start``, then ``filler`` 4 KB at a time, stopping as soon as the server answers:
    what it answered (its whole answer, to the close)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.sendall(start)
        sent = len(start)
        chunk = filler * (4096 // len(filler))
        while sent < GIVE_UP and not select.select([sock], [], [], 0.001)[0]:
            try:
                sock.sendall(chunk)
            except OSError:  # closed while writing: its answer may still be there to read
                break
            sent += len(chunk)
        got = b""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                part = sock.recv(65536)
            except ConnectionResetError:
                break
            if not part:
                break
            got += part
        return got
    finally:
        sock.close()


def head_of(size: int) -> bytes:
    """A GET whose request line and headers are exactly ``size`` bytes (4 KB tokens)."""
    headers = [(b"X-Token-%d" % i, b"t" * 4000) for i in range(size // 4100)]
    short = len(request_bytes(b"GET", b"/v2/credit-lines/CL000001",
                              [*headers, (b"X-Pad", b"")], b""))
    raw = request_bytes(b"GET", b"/v2/credit-lines/CL000001",
                        [*headers, (b"X-Pad", b"p" * (size - short))], b"")
    assert len(raw) == size
    return raw


def sent_in_writes(port: int, raw: bytes, write: int) -> bytes:
    """``raw`` sent ``write`` bytes at a time (no delay), then the first read of the answer."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        for at in range(0, len(raw), write):
            sock.sendall(raw[at:at + write])
        return sock.recv(65536)
    finally:
        sock.close()


def still_serves(server: BankServer) -> None:
    connection = RawConnection(server.port)
    try:
        status, _, _ = connection.exchange(request_bytes(b"GET", b"/v2/credit-lines/CL000001",
                                                         [], b""))
    finally:
        connection.close()
    assert status == 200


@pytest.mark.parametrize(("start", "filler"), [
    (GET + b"X-Endless: ", b"a"),  # one value that never ends
    (GET + b"X-Endless", b"b"),  # one name that never ends
    (GET, b"X-Many: 1\r\n"),  # headers that never stop coming
    (b"GET /v2/credit-lines/", b"C"),  # a request line that never ends
])
def test_an_endless_head_is_answered_431_and_its_connection_closed(start: bytes,
                                                                   filler: bytes) -> None:
    with BankServer(BankConfig(seed=1, customers=1)) as server:
        answer = endless(server.port, start, filler)
        assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
        assert b"connection: close" in answer
        assert f"longer than {MAX_HEAD_BYTES} bytes".encode() in answer
        still_serves(server)


def test_a_head_within_the_bound_is_served_however_it_is_cut() -> None:
    raw = head_of(MAX_HEAD_BYTES)
    with BankServer(BankConfig(seed=1, customers=1)) as server:
        for size in (len(raw), 1460, 97, 7):
            answer = sent_in_writes(server.port, raw, size)
            assert answer.startswith(b"HTTP/1.1 200 "), (size, answer[:200])


def test_a_head_within_the_bound_behind_a_large_body_in_one_write_is_served() -> None:
    # One read can hold the end of a request's body and the start of the next head: it counts
    # for neither, so the second head is not refused for the first one's body.
    body = b"x" * (3 * MAX_HEAD_BYTES)
    first = request_bytes(b"POST", b"/v2/credit-lines/CL000001/drawdowns",
                          [(b"Content-Type", b"text/plain")], body)
    second = head_of(MAX_HEAD_BYTES)
    with BankServer(BankConfig(seed=1, customers=1)) as server:
        connection = RawConnection(server.port, timeout=30)
        try:
            connection._connect().sendall(first + second)
            statuses = []
            for _ in range(2):
                status, _, _ = connection.exchange(b"")
                statuses.append(status)
        finally:
            connection.close()
    assert statuses[0] not in (431,) and statuses[0] < 500
    assert statuses[1] == 200


def test_the_bound_is_at_least_one_byte() -> None:
    with pytest.raises(ValueError, match="max_head_bytes must be at least 1, not 0"):
        deadline_protocol(10.0, max_head_bytes=0)


def test_the_recording_proxy_bounds_a_head_as_the_bank_does(tmp_path: Path) -> None:
    # `drawbridge record` sits where the bank would: the same connector, the same guards.
    with BankServer(BankConfig(seed=1, customers=1)) as bank, \
            RecordingServer(bank.base_url, tmp_path / "recording.jsonl") as proxy:
        answer = endless(proxy.port, GET + b"X-Endless: ", b"a")
        assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
        connection = RawConnection(proxy.port)
        try:
            status, _, _ = connection.exchange(head_of(MAX_HEAD_BYTES))
        finally:
            connection.close()
        assert status == 200


def chunked_post(chunks: list[bytes], trailer: bytes = b"") -> bytes:
    out = [b"POST /v2/credit-lines/CL000001/drawdowns HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           b"Content-Type: application/json\r\nIdempotency-Key: chunked-1\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n"]
    out += [b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks]
    return b"".join(out) + b"0\r\n" + trailer


def test_endless_trailers_are_answered_431_and_the_body_journaled_as_cut() -> None:
    with BankServer(BankConfig(seed=1, customers=1)) as server:
        answer = endless(server.port, chunked_post([stubs.post_bytes()], b"X-Trailer: "), b"t")
        assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
        deadline = time.monotonic() + 30
        while not any(e.kind == "cut" for e in server.bank.journal.entries()):
            assert time.monotonic() < deadline, "the cut body was never journaled"
            time.sleep(0.05)
        assert not server.bank.core.ledger.drawdown_count()
        still_serves(server)


@pytest.mark.parametrize(("sizes", "write"), [
    ([200_000, 200_000, 200_000], 1460),  # chunks far beyond the bound, over many reads
    ([1] * 400, 7),  # the smallest chunks, each header its own read or less
])
def test_a_chunked_body_within_the_bounds_is_served(sizes: list[int], write: int) -> None:
    drawdown = stubs.post_bytes()
    padded = drawdown[:-1] + b" " * (sum(sizes) - len(drawdown)) + b"}"  # JSON, whitespace
    chunks, at = [], 0
    for size in sizes:
        chunks.append(padded[at:at + size])
        at += size
    raw = chunked_post(chunks, b"X-Trailer: " + b"t" * 4000 + b"\r\n\r\n")
    with BankServer(BankConfig(seed=1, customers=1)) as server:
        answer = sent_in_writes(server.port, raw, write)
    assert answer.startswith(b"HTTP/1.1 201 "), answer[:300]


def test_a_long_head_after_an_answer_on_one_connection_is_answered_431_not_reset() -> None:
    # After an answer, the protocol's cycle is the answered request's: the refusal once took it
    # for the long one's and closed without a word; and a refusal closed at once made the
    # kernel reset the connection, losing the answer (a lingering close keeps it).
    long_head = head_of(3 * MAX_HEAD_BYTES)
    with BankServer(BankConfig(seed=1, customers=1)) as server:
        connection = RawConnection(server.port)
        try:
            first, _, _ = connection.exchange(request_bytes(b"GET", b"/v2/credit-lines/CL000001",
                                                            [], b""))
            second, headers, body = connection.exchange(long_head)
        finally:
            connection.close()
        assert (first, second) == (200, 431)
        assert headers["connection"] == "close" and b"longer than" in body
        still_serves(server)
