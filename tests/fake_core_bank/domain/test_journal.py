"""The journal keeps every entry exactly as it was appended, in memory and in its JSON Lines sink,
and holds no objects for the garbage collector to walk."""

from __future__ import annotations

import gc
import json
from pathlib import Path

from fake_core_bank.domain.journal import Journal, JournalEntry, _line


def _exchange(**fields: object) -> JournalEntry:
    return JournalEntry(seq=0, at="2026-03-02T09:00:00+08:00", kind="exchange", **fields)


def test_entries_come_back_numbered_and_equal_to_what_was_appended(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.jsonl")
    first = _exchange(method="POST", path="/v2/credit-lines/CL000001/drawdowns",
                      request_headers={"idempotency-key": "k-1"},
                      request_body={"amount": 5_000_000, "currency": "CNY"}, status=201,
                      response_body={"drawdownId": "DD00000001", "note": "已受理"},
                      bookings=["DD00000001"], wall_offset=0.25)
    second = _exchange(method="GET", path="/v2/credit-lines/CL000001", status=200)
    journal.append(first)
    journal.append(second)
    assert [e.seq for e in journal.entries()] == [1, 2]
    assert journal.entries() == [first, second]
    assert journal.entries(1) == [second]
    assert journal.entries(2) == [] and journal.entries(99) == []
    lines = (tmp_path / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [first.to_dict(), second.to_dict()]
    journal.close()


def test_an_entry_is_kept_as_it_was_when_appended() -> None:
    journal = Journal()
    entry = journal.append(_exchange(response_headers={"x": "1"}))
    entry.response_headers["x"] = "changed later"
    entries = journal.entries()
    assert entries[0].response_headers == {"x": "1"}
    entries[0].status = 599  # a reader's copy: changing it changes nothing kept
    assert journal.entries()[0].status is None


def test_integers_beyond_64_bits_are_kept_exactly(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.jsonl")
    journal.append(_exchange(request_body={"amount": 10**30}))
    assert journal.entries()[0].request_body == {"amount": 10**30}
    line = (tmp_path / "journal.jsonl").read_text(encoding="utf-8")
    assert json.loads(line)["request_body"] == {"amount": 10**30}
    journal.close()


def test_kept_entries_are_nothing_for_the_garbage_collector_to_walk() -> None:
    # A server under load appends thousands of entries a second; were each a dozen tracked
    # dicts and lists, every full collection would walk them all (100+ ms pauses).
    journal = Journal()
    gc.collect()
    before = len(gc.get_objects())
    for n in range(1000):
        journal.append(_exchange(request_headers={"n": str(n)},
                                 response_body={"items": [{"n": n}]}, bookings=[str(n)]))
    gc.collect()
    assert len(gc.get_objects()) - before < 50
    assert len(journal) == 1000


def test_a_cleared_journal_numbers_from_one_again() -> None:
    journal = Journal()
    for _ in range(3):
        journal.append(_exchange())
    journal.clear()
    assert len(journal) == 0 and journal.entries() == []
    assert journal.append(_exchange(status=200)).seq == 1
    assert [(e.seq, e.status) for e in journal.entries()] == [(1, 200)]


def test_an_entry_is_written_from_its_dict_as_its_fields_say() -> None:
    """orjson writes a dataclass from its ``__dict__`` and falls back, at nearly three times
    the cost, to a field walk on a slotted one (issue 19): an entry keeps a ``__dict__``, and
    the line it becomes is its fields, in their order."""
    entry = JournalEntry(seq=3, at="2026-03-02T09:00:00+08:00", kind="exchange",
                         request_headers={"host": "127.0.0.1"}, bookings=["DD00000001"])
    assert vars(entry) == entry.to_dict()
    assert list(json.loads(_line(entry))) == list(entry.to_dict())
    assert json.loads(_line(entry)) == entry.to_dict()
