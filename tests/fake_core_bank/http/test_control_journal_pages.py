"""GET /_control/journal pages: ``since`` (the seq last read) and ``limit``; the Journal-Next
header is the cursor of the next page; the control client reads every page from a cursor."""

from __future__ import annotations

import httpx
import pytest

from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.server import BankServer
from harness.engine.bank import Bank, ControlClient, RemoteBank


def _traffic(client: httpx.Client, count: int) -> None:
    for _ in range(count):
        assert client.get("/v2/credit-lines/CL000001").status_code == 200


def test_the_journal_comes_in_pages_that_follow_the_cursor(client: httpx.Client) -> None:
    _traffic(client, 7)
    seen: list[int] = []
    cursor = "0"
    while True:
        page = client.get("/_control/journal", params={"since": cursor, "limit": 3})
        assert page.status_code == 200
        if not page.json():
            assert page.headers["journal-next"] == cursor
            break
        seen += [e["seq"] for e in page.json()]
        assert len(page.json()) <= 3
        cursor = page.headers["journal-next"]
        assert cursor == str(seen[-1])
    assert seen == list(range(1, 8))


@pytest.mark.parametrize("query", [{"since": "x"}, {"limit": "0"}, {"since": "-1"},
                                   {"limit": "ten"}])
def test_a_malformed_cursor_or_limit_is_a_400_that_says_how(client: httpx.Client,
                                                          query: dict[str, str]) -> None:
    answer = client.get("/_control/journal", params=query)
    assert answer.status_code == 400
    assert "journal: since" in answer.json()["error"]


def test_a_dropping_bank_reports_the_count_dropped() -> None:
    bank = FakeBank(BankConfig(seed=1, customers=1, journal_limit=4, journal_overflow="drop"))
    with BankServer(bank=bank) as server, httpx.Client(base_url=server.base_url) as client:
        _traffic(client, 10)
        answer = client.get("/_control/journal")
        dropped = int(answer.headers["journal-dropped"])
        assert dropped > 0
        assert [e["seq"] for e in answer.json()] == list(range(dropped + 1, 11))


def test_remote_bank_reads_every_page() -> None:
    bank = FakeBank(BankConfig(seed=1, customers=1, journal_limit=3))
    with BankServer(bank=bank) as server, httpx.Client(base_url=server.base_url) as client:
        _traffic(client, 9)  # 4 + 4 + 1, the oldest from the spill file
        remote = Bank(ControlClient(server.base_url, page=4), server.base_url)
        assert [e["seq"] for e in remote.journal()] == list(range(1, 10))
        # from a cursor: only what follows it, still page by page
        assert [e["seq"] for e in remote.journal(since=5)] == list(range(6, 10))
        plain = RemoteBank(server.base_url)  # pages of the server's default size
        assert plain.journal() == remote.journal()
        plain.close()
        remote.close()
    bank.journal.close()  # the spill file
