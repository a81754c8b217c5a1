"""A request whose connection closes before its body ends is never acted on.

The bank read the ASGI disconnect as the body's end and served what had come: a drawdown whose
JSON happened to be whole before the promised length was booked, though the connector never
sent the request whole (no gateway in front of a core passes such a request on). The bank
journals it as ``cut`` (not an exchange) and books nothing; behind the mutating proxy it is the
same.
"""

from __future__ import annotations

import socket
import time

import httpx

from bench import stubs
from fake_core_bank.fake import BankConfig
from fake_core_bank.server import BankServer
from harness.mutate.bank import MutantBank
from harness.mutate.operators import CATALOGUE


def send_cut_post(port: int, key: str) -> None:
    """A whole drawdown body, under a Content-Length 50 bytes longer, then the close."""
    body = stubs.post_bytes()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"POST /v2/credit-lines/CL000001/drawdowns HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\nIdempotency-Key: %s\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (key.encode(), len(body) + 50, body))


def journal_kinds(base_url: str, until: str) -> list[str]:
    """The journal's kinds once an entry of kind ``until`` is in it (at most 30 s)."""
    deadline = time.monotonic() + 30
    while True:
        kinds = [e["kind"] for e in httpx.get(base_url + "/_control/journal", timeout=10)
                 .json()]
        if until in kinds or time.monotonic() > deadline:
            return kinds


def drawdowns(base_url: str) -> int:
    return len(httpx.get(base_url + "/_control/state", timeout=10).json()["drawdowns"])


def test_a_post_cut_before_its_body_ends_books_nothing_and_is_journaled_as_cut() -> None:
    with BankServer(BankConfig(seed=1, customers=2)) as server:
        send_cut_post(server.port, "cut-1")
        kinds = journal_kinds(server.base_url, "cut")
        assert "cut" in kinds and "exchange" not in kinds
        entry = next(e for e in server.bank.journal.entries() if e.kind == "cut")
        assert entry.method == "POST" and entry.path == stubs.POST_PATH
        assert entry.note is not None and "before it ended: not processed" in entry.note
        assert drawdowns(server.base_url) == 0
        # the same key, sent whole, books: nothing of the cut one was kept
        whole = httpx.post(server.base_url + stubs.POST_PATH, content=stubs.post_bytes(),
                           headers={"content-type": "application/json",
                                    "idempotency-key": "cut-1"}, timeout=10)
        assert whole.status_code == 201 and drawdowns(server.base_url) == 1


def test_the_mutating_proxy_passes_a_cut_request_on_as_a_cut() -> None:
    bank = MutantBank(BankConfig(seed=1, customers=2))
    try:
        bank.operator = CATALOGUE["control-unknown-header"]
        send_cut_post(bank.server.port, "cut-2")
        kinds = journal_kinds(bank.base_url, "cut")
        assert "cut" in kinds and "exchange" not in kinds
        note = next(e.note for e in bank.bank.journal.entries() if e.kind == "cut")
        assert note is not None and note.startswith(
            f"the connection closed after {len(stubs.post_bytes())} bytes")
        assert drawdowns(bank.base_url) == 0
    finally:
        bank.close()
