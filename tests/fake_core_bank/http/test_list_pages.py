"""A line's drawdowns listed page by page (v1 and v2 by number, v3 by cursor) answer alike
whether the bank keeps every booking in memory or has spilled most of them (issue 19): the
pages are read from the store, not sliced from the line's whole history."""

from __future__ import annotations

import asyncio
import json

import httpx

from fake_core_bank.fake import BankConfig, FakeBank
from fake_core_bank.http.app import BankApp

LINE = "CL000001"


async def _exchange(app: BankApp, calls: list[tuple[str, str, bytes | None]],
                    tag: str = "page") -> list[bytes]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        answers = []
        for n, (method, path, body) in enumerate(calls):
            headers = {"content-type": "application/json", "idempotency-key": f"{tag}-{n}"}
            answer = await client.request(method, path, content=body, headers=headers)
            answers.append(f"{answer.status_code} ".encode() + answer.content)
        return answers


def _booked(bank: FakeBank) -> list[tuple[str, str, bytes | None]]:
    """Sixty drawdowns on one line: most at once (v2), every fifth asynchronous (v3)."""
    account = bank.core.get_customer(bank.core.get_line(LINE).customer_id).account_no
    body = json.dumps({"amount": 100, "currency": "CNY", "beneficiaryAccount": account,
                       "purposeCode": "WC01"}).encode()
    return [("POST", f"/v{3 if n % 5 == 0 else 2}/credit-lines/{LINE}/drawdowns", body)
            for n in range(60)]


def _lists(cursors: list[str]) -> list[tuple[str, str, bytes | None]]:
    pages = [f"/v{v}/credit-lines/{LINE}/drawdowns?page={p}&size={s}"
             for v in (1, 2) for s in (1, 7, 20, 100)
             for p in (1, 2, 3, 9, 61, 1000, 2**63 - 1, 10**30)]  # no upper bound in the contract
    pages += [f"/v3/credit-lines/{LINE}/drawdowns?limit={s}" for s in (1, 7, 100)]
    pages += [f"/v3/credit-lines/{LINE}/drawdowns?limit=7&cursor={c}" for c in cursors]
    return [("GET", path, None) for path in pages]


def _answers(limit: int | None) -> list[bytes]:
    bank = FakeBank(BankConfig(seed=1, customers=2, ledger_limit=limit))
    app = BankApp(bank)
    try:
        answers = asyncio.run(_exchange(app, _booked(bank)))
        # the asynchronous ones are settled on a frozen line: rejected, hidden by v1
        bank.set_line_status(LINE, "FROZEN")
        bank.settle_pending()
        bank.set_line_status(LINE, "ACTIVE")
        # ten more bookings: the rejected ones spill now
        answers += asyncio.run(_exchange(app, _booked(bank)[1:11], "more"))
        cursors = [f"DD{n:08d}" for n in (1, 2, 5, 6, 30, 55, 61, 69, 70, 71)] + ["CL000001"]
        answers += asyncio.run(_exchange(app, _lists(cursors)))
        if limit is not None:
            assert bank.core.ledger.spilled_drawdowns >= 60
        return answers
    finally:
        bank.core.close()


def test_pages_and_cursors_answer_alike_from_memory_and_from_the_spill():
    kept, spilled = _answers(None), _answers(4)
    assert spilled == kept
    listed = [json.loads(a.split(b" ", 1)[1]) for a in kept[70:]]
    assert listed[0]["total"] == 58 and listed[32]["total"] == 70  # v1 hides the rejected
    assert any(a.startswith(b"400 ") for a in kept[70:])  # an unknown cursor
    assert any("nextCursor" in page for page in listed)
    assert all(a[:4] in (b"200 ", b"400 ") for a in kept[70:])  # never a 500
    huge = [json.loads(a.split(b" ", 1)[1]) for a in kept[70:] if b'"page":1000000000000' in a]
    assert huge and all(page["items"] == [] and page["total"] in (58, 70) for page in huge)


def test_a_spill_database_that_cannot_be_read_answers_503_with_why_until_a_reset():
    """An I/O error on the spill database's file used to reach the app as an unexpected error:
    a bare 500 and a traceback. A request that needs a spilled booking now gets a 503 that
    says why, the health check shows it, the rest still answers, and a reset recovers."""
    bank = FakeBank(BankConfig(seed=1, customers=2, ledger_limit=2))
    app = BankApp(bank)
    booked = asyncio.run(_exchange(app, _booked(bank)[1:9]))
    assert all(a[:4] in (b"201 ", b"202 ") for a in booked)
    assert bank.core.ledger.spilled_drawdowns
    bank.core.ledger._db.close()  # every read of the file fails from now on, as on an I/O error
    answers = asyncio.run(_exchange(app, [
        ("GET", "/v2/drawdowns/DD00000001", None),  # spilled
        ("GET", f"/v2/credit-lines/{LINE}/drawdowns?page=2&size=3", None),
        ("POST", _booked(bank)[1][1], _booked(bank)[1][2]),  # its key was spilled: replay?
        ("GET", "/v2/drawdowns/DD00000008", None),  # kept in memory: answered
        ("GET", "/_control/health", None),
    ], tag="page"))
    for answer in answers[:3]:
        status, body = answer.split(b" ", 1)
        assert status == b"503" and "cannot be read" in json.loads(body)["message"], answer
    assert answers[3].startswith(b"200 ")
    assert "cannot be read" in json.loads(answers[4].split(b" ", 1)[1])["ledger"]["readError"]
    after = asyncio.run(_exchange(app, [("POST", "/_control/reset", b"{}"),
                                        ("GET", "/v2/drawdowns/DD00000001", None),
                                        ("GET", "/_control/health", None)]))
    assert after[0].startswith(b"200 ") and after[1].startswith(b"404 ")
    assert json.loads(after[2].split(b" ", 1)[1])["ledger"]["readError"] is None
    bank.core.close()
