"""A bounded journal keeps at most its limit in memory: older entries spill to a file (nothing
lost) or are dropped with a count; readers page through it by seq cursor."""

from __future__ import annotations

import json
import os

import pytest

from fake_core_bank.domain.journal import Journal, JournalEntry
from fake_core_bank.domain.journal_store import STRIDE, LineStore


def _fill(journal: Journal, count: int) -> None:
    for n in range(count):
        journal.append(JournalEntry(seq=0, at="2026-03-02T09:00:00+08:00", kind="exchange",
                                    request_body={"n": n, "pad": "x" * (n % 7)}))


def test_a_spilling_journal_keeps_every_entry_but_only_its_limit_in_memory() -> None:
    journal = Journal(limit=100, overflow="spill")
    count = 3 * STRIDE + 17  # several marks, and a last block cut short
    _fill(journal, count)
    assert journal.in_memory <= 100
    assert len(journal) == count and journal.dropped == 0
    entries = journal.entries()
    assert [e.seq for e in entries] == list(range(1, count + 1))
    assert [e.request_body["n"] for e in entries] == list(range(count))
    journal.close()


@pytest.mark.parametrize("since", [0, 1, STRIDE - 1, STRIDE, STRIDE + 1, 2 * STRIDE + 5, 3000])
def test_pages_of_a_spilled_journal_start_at_the_cursor(since: int) -> None:
    journal = Journal(limit=64, overflow="spill")
    _fill(journal, 3100)
    page = journal.entries(since, limit=STRIDE + 3)
    assert [e.seq for e in page] == list(range(since + 1, min(3100, since + STRIDE + 3) + 1))
    journal.close()


def test_a_dropping_journal_counts_what_it_dropped_and_keeps_the_newest() -> None:
    journal = Journal(limit=10, overflow="drop")
    _fill(journal, 95)
    assert journal.in_memory <= 10
    assert len(journal) == 95
    kept = journal.entries()
    assert journal.dropped == 95 - len(kept) > 0
    assert [e.seq for e in kept] == list(range(journal.dropped + 1, 96))
    # a cursor inside the dropped part reads on from the oldest entry still kept
    assert journal.entries(3, limit=2)[0].seq == journal.dropped + 1
    journal.clear()
    assert journal.dropped == 0 and len(journal) == 0


def test_an_unbounded_journal_keeps_everything_in_memory() -> None:
    journal = Journal()
    _fill(journal, 500)
    assert journal.in_memory == 500 and [e.seq for e in journal.entries(490, 3)] == [491, 492,
                                                                                   493]


def test_a_bound_below_one_or_an_unknown_overflow_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        LineStore(0)
    with pytest.raises(ValueError, match="spill, drop"):
        LineStore(5, "forget")  # type: ignore[arg-type]


def test_documents_and_dicts_are_the_entries_own_json() -> None:
    journal = Journal(limit=4)
    _fill(journal, 9)
    journal.append(JournalEntry(seq=0, at="2026-03-02T09:00:00+08:00", kind="exchange",
                                request_body={"amount": 10**30}))  # kept by stdlib json
    want = [e.to_dict() for e in journal.entries(2)]
    assert journal.dicts(2) == want
    last, docs = journal.documents(2, limit=3)
    assert last == 5 and [json.loads(d) for d in docs] == want[:3]
    assert journal.documents(10) == (10, [])
    assert json.loads(journal.documents(9)[1][0])["request_body"] == {"amount": 10**30}
    journal.close()


def test_a_spill_file_that_cannot_grow_turns_spilling_into_dropping(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A full disk must not fail the request being journaled: the journal drops instead.
    journal = Journal(limit=10, overflow="spill")
    _fill(journal, 25)  # spilled once already

    def full(_data: bytes) -> int:
        raise OSError(28, "No space left on device")

    store = journal._store  # the file object is what a full disk breaks
    assert store._spill is not None
    monkeypatch.setattr(store._spill, "write", full)
    _fill(journal, 20)
    assert len(journal) == 45 and journal.in_memory <= 10
    assert journal.overflow == "drop" and "No space left" in (journal.spill_error or "")
    kept = journal.entries()
    assert [e.seq for e in kept] == list(range(journal.dropped + 1, 46))
    journal.clear()
    assert journal.overflow == "spill" and journal.spill_error is None


@pytest.mark.parametrize("advice", ["given", "missing", "refused"])
def test_a_spill_lets_the_kernel_drop_the_files_cached_pages_and_reads_them_back(
    monkeypatch: pytest.MonkeyPatch, advice: str,
) -> None:
    """Each spill asks the kernel to drop the spill file's cached pages (a growing file took a
    fresh page per 4 KB, and that copy cost twice a reused page's). The lines read back the
    same from the disk; where the call is missing (not Linux) or fails, spilling goes on."""
    if advice != "missing" and not hasattr(os, "POSIX_FADV_DONTNEED"):
        pytest.skip("this platform has no posix_fadvise")
    asked: list[tuple[int, int, int, int]] = []

    def fadvise(fd: int, offset: int, length: int, what: int) -> None:
        asked.append((fd, offset, length, what))
        if advice == "refused":
            raise OSError(22, "Invalid argument")

    if advice == "missing":
        monkeypatch.delattr("os.posix_fadvise", raising=False)
    else:
        monkeypatch.setattr("os.posix_fadvise", fadvise)
    store = LineStore(limit=8)
    lines = [json.dumps({"n": n, "pad": "x" * (n % 50)}).encode() for n in range(3 * STRIDE)]
    for line in lines:
        store.add(line)
    assert store.spill_error is None and store.in_memory <= 8
    assert store.lines(0) == (0, lines)
    assert store.lines(STRIDE + 3, 5) == (STRIDE + 3, lines[STRIDE + 3:STRIDE + 8])
    if advice != "missing":
        assert asked and all(a[1:] == (0, 0, os.POSIX_FADV_DONTNEED) for a in asked)
        assert {a[0] for a in asked} == {store._spill.fileno()}  # the spill file, each time
    store.close()
