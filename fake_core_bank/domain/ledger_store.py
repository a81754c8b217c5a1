"""Where the bank keeps its bookings: the newest in memory, older final ones spilled to disk.

A fake bank left running for days must not grow without bound (issue 19), yet it must not
forget a booking either: an idempotent retry of a forgotten key would book twice. The store
keeps at most ``limit`` final bookings (drawdowns DISBURSED or REJECTED, repayments) in memory;
when one more arrives, the oldest of them move, ``SPILL_BATCH`` at a time (half the bound when
that is smaller), with the Idempotency-Keys that point at them, into a SQLite database that
is an anonymous temporary file (it disappears with the process, or when the bank is reset).
A PENDING drawdown always stays in memory: it still changes. ``limit=None`` keeps everything
in memory, as a test or a scenario run needs.

Every query answers the same whether a booking is in memory or spilled: a booking keeps its
number (booking order) for life, so lists merge the two parts in that order. Nothing stays in
memory per spilled booking; per line, how many of its drawdowns were spilled (a line's total
costs nothing however long its history). When the database cannot grow (a full disk), the
store keeps every booking in memory from then on and ``spill_error`` says why: answers stay
right, memory grows.

The store is not thread-safe: its owner (:class:`~fake_core_bank.domain.bank.CoreBank`) holds
its lock around every call.
"""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Generator, Iterable, Iterator
from itertools import chain, islice
from operator import itemgetter
from typing import Any

from fake_core_bank.domain.ledger_codec import Fingerprint, LedgerCodec
from fake_core_bank.domain.model import Drawdown, DrawdownStatus, Repayment

_SCHEMA = (
    "PRAGMA journal_mode = MEMORY",  # a failed batch rolls back; no journal file
    "PRAGMA synchronous = OFF",  # the file dies with the process: nothing to make durable
    "PRAGMA cache_size = -4096",  # 4 MB of pages (16 MB measured no faster, even for UUIDs)
    # A booking's row carries the Idempotency-Key it was booked with (if any) and the request's
    # fingerprint. The key's index is of its text: keys that grow in order (an ERP's numbers,
    # the bench's) are inserted near each other, 3.8 us a row after 800,000 rows where an index
    # of their hash took 9.1; random keys (UUIDs) cost about 12 us a row either way.
    "CREATE TABLE drawdown (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, line TEXT NOT NULL, "
    "record BLOB NOT NULL, key TEXT, fingerprint BLOB, rejected INTEGER NOT NULL)",
    "CREATE INDEX drawdown_id ON drawdown (id)",
    # with seq: a line's bookings in order (a page reads the index, then the page's records)
    "CREATE INDEX drawdown_line ON drawdown (line)",
    # a line's rejected bookings, to count those a version hides: only they pay for this index
    "CREATE INDEX drawdown_rejected ON drawdown (line) WHERE rejected",
    "CREATE INDEX drawdown_key ON drawdown (key) WHERE key IS NOT NULL",
    "CREATE TABLE repayment (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, record BLOB NOT NULL, "
    "key TEXT, fingerprint BLOB)",
    "CREATE INDEX repayment_id ON repayment (id)",
    "CREATE INDEX repayment_key ON repayment (key) WHERE key IS NOT NULL",
)

_TABLES = ("drawdown", "repayment")

_first = itemgetter(0)


def _newest_first(item: tuple[int, object]) -> int:
    return -item[0]


def _line_query(rejected: bool, before: int | None) -> str:
    """The numbers of one line's spilled drawdowns, newest first, by the ``drawdown_line``
    index (without the rejected ones: each row's flag read as the walk reaches it)."""
    return ("SELECT seq FROM drawdown WHERE line = ?"  # noqa: S608 (our own words)
            + ("" if rejected else " AND NOT rejected")
            + ("" if before is None else " AND seq < ?")
            + " ORDER BY seq DESC")


#: final bookings moved to the database at once: a batch is one pause of the bank's event loop
#: (about 3 ms for 500, against 34 ms median and up to 63 for the 5,000 that half the default
#: bound moved at once), at the same CPU per booking (docs/benchmarks.md)
SPILL_BATCH = 500

#: bits of the filter of spilled Idempotency-Keys: 8 MB, allocated at the first spill
FILTER_BITS = 1 << 26


class KeyFilter:
    """Which keys were spilled, as a Bloom filter of fixed size (two bits per key).

    Every POST of a soak brings a fresh key; this answers "never spilled" for almost all of them
    without asking the database (2% false positives after 5 million keys, which then ask). Its
    size never changes, so it adds nothing per booking; ``hash`` is stable within the process,
    which is as long as the database lives.
    """

    def __init__(self) -> None:
        self._bits = bytearray(FILTER_BITS // 8)

    def add_all(self, keys: Iterable[str]) -> None:
        bits, mask = self._bits, FILTER_BITS - 1
        for key in keys:
            h = hash(key)
            a, b = h & mask, (h >> 26) & mask
            bits[a >> 3] |= 1 << (a & 7)
            bits[b >> 3] |= 1 << (b & 7)

    def __contains__(self, key: str) -> bool:
        h = hash(key)
        a, b = h & (FILTER_BITS - 1), (h >> 26) & (FILTER_BITS - 1)
        bits = self._bits
        return bool(bits[a >> 3] & (1 << (a & 7)) and bits[b >> 3] & (1 << (b & 7)))


class SpillReadError(Exception):
    """The spill database failed a read (an I/O error on its file): what was spilled to it
    cannot be answered. The bank answers 503 with this message, never a 500; a reset starts a
    new database."""


class LedgerStore:
    def __init__(self, limit: int | None = None) -> None:
        if limit is not None and limit < 1:
            raise ValueError(f"ledger limit must be at least 1, got {limit}")
        self.limit = limit
        self._db: sqlite3.Connection | None = None
        self._empty()

    def _empty(self) -> None:
        #: why bookings no longer spill (the database could not grow), None while they do
        self.spill_error: str | None = None
        #: why a read of the spill database failed last (:class:`SpillReadError`), if it did
        self.read_error: str | None = None
        self._codec = LedgerCodec()
        self._next = 0  # the number of the next booking (drawdowns and repayments alike)
        #: in memory, booking order: id -> (number, booking, the key it was booked with)
        self._drawdowns: dict[str, tuple[int, Drawdown, str | None]] = {}
        self._repayments: dict[str, tuple[int, Repayment, str | None]] = {}
        #: in-memory drawdown ids per line, in order (a dict: a spilled one leaves in O(1))
        self._by_line: dict[str, dict[str, None]] = {}
        self._pending: dict[str, None] = {}  # PENDING drawdown ids, booking order
        self._keys: dict[str, tuple[Fingerprint, str]] = {}  # in memory: key -> (what, id)
        #: per line with spilled drawdowns: [how many, how many of them REJECTED]. A line's
        #: total read from the index walked the line's every spilled booking (22 ms per list
        #: call at a million); this is one entry per line, never per booking.
        self._spilled_by_line: dict[str, list[int]] = {}
        self.spilled_drawdowns = 0
        self.spilled_repayments = 0
        self.spilled_keys = 0
        self._spilled_keys: KeyFilter | None = None

    # -- sizes --------------------------------------------------------------------------------
    @property
    def in_memory(self) -> int:
        """Bookings held in memory now: at most ``limit`` final ones, and every PENDING one."""
        return len(self._drawdowns) + len(self._repayments)

    @property
    def spilled(self) -> int:
        return self.spilled_drawdowns + self.spilled_repayments

    def drawdown_count(self) -> int:
        return len(self._drawdowns) + self.spilled_drawdowns

    def repayment_count(self) -> int:
        return len(self._repayments) + self.spilled_repayments

    def key_count(self) -> int:
        return len(self._keys) + self.spilled_keys

    # -- queries ------------------------------------------------------------------------------
    def drawdown(self, drawdown_id: str) -> Drawdown | None:
        kept = self._drawdowns.get(drawdown_id)
        if kept is not None:
            return kept[1]
        if not self.spilled_drawdowns:
            return None
        row = self._one("SELECT record FROM drawdown WHERE id = ?", drawdown_id)
        return None if row is None else self._codec.from_drawdown(row[0])

    def repayment(self, repayment_id: str) -> Repayment | None:
        kept = self._repayments.get(repayment_id)
        if kept is not None:
            return kept[1]
        if not self.spilled_repayments:
            return None
        row = self._one("SELECT record FROM repayment WHERE id = ?", repayment_id)
        return None if row is None else self._codec.from_repayment(row[0])

    def key(self, key: str) -> tuple[Fingerprint, str] | None:
        """What an Idempotency-Key was used for: the request's fingerprint and the booking."""
        kept = self._keys.get(key)
        if kept is not None or self._spilled_keys is None or key not in self._spilled_keys:
            return kept
        for table in _TABLES:
            row = self._one(f"SELECT fingerprint, id FROM {table} "  # noqa: S608 (our names)
                            "WHERE key = ?", key)
            if row is not None:
                return self._codec.from_fingerprint(row[0]), row[1]
        return None

    def line_page(self, line_id: str, *, skip: int, take: int, rejected: bool = True,
                  before: int | None = None) -> tuple[list[Drawdown], bool]:
        """A page of a line's drawdowns, newest first: ``take`` of them after the newest
        ``skip``, and whether more follow. ``rejected=False`` leaves REJECTED ones out;
        ``before`` keeps only those booked before that booking number.

        Spilled drawdowns are walked by their index alone, and only the page's own are read
        and decoded: a page costs its size, and the bookings skipped a walk of the index, not
        the line's whole history (a line with a million spilled bookings is no reason to
        decode a million records for twenty)."""
        # Any page past the bank's every drawdown is empty: a query's integers have no upper
        # bound (`page=10**30`), and islice takes none above sys.maxsize.
        every = self.drawdown_count()
        skip, take = min(skip, every), min(take, every)
        drawdowns = self._drawdowns
        kept: list[tuple[int, Drawdown | None]] = []
        enough = skip + take + 1  # no more of the kept ones can be on the page
        for drawdown_id in reversed(self._by_line.get(line_id, ())):
            seq, drawdown, _ = drawdowns[drawdown_id]
            if ((rejected or drawdown.status is not DrawdownStatus.REJECTED)
                    and (before is None or seq < before)):
                kept.append((seq, drawdown))
                if len(kept) == enough:
                    break
        if not self.spilled_drawdowns:
            page = kept[skip:skip + take + 1]
        else:
            rows = self._rows(_line_query(rejected, before), line_id,
                              *(() if before is None else (before,)))
            try:
                spilled = ((seq, None) for (seq,) in rows)
                merged = heapq.merge(kept, spilled, key=_newest_first)
                page = list(islice(merged, skip, skip + take + 1))
            finally:
                rows.close()  # ends the statement
        more = len(page) > take
        del page[take:]
        wanted = [seq for seq, drawdown in page if drawdown is None]
        records: dict[int, bytes] = {}
        if wanted:
            records = dict(self._rows(
                f"SELECT seq, record FROM drawdown WHERE seq IN ({', '.join('?' * len(wanted))})",  # noqa: S608 (placeholders only)
                *wanted))
        decode = self._codec.from_drawdown
        return [decode(records[seq]) if drawdown is None else drawdown
                for seq, drawdown in page], more

    def line_count(self, line_id: str, *, rejected: bool = True) -> int:
        """How many drawdowns a line has (without the REJECTED ones when ``rejected=False``)."""
        kept = self._by_line.get(line_id, ())
        count = (len(kept) if rejected else
                 sum(self._drawdowns[i][1].status is not DrawdownStatus.REJECTED for i in kept))
        spilled = self._spilled_by_line.get(line_id)
        if spilled is not None:
            count += spilled[0] if rejected else spilled[0] - spilled[1]
        return int(count)

    def booking(self, drawdown_id: str) -> tuple[int, str, bool] | None:
        """A drawdown's booking number, its line and whether it was rejected; None if never
        booked."""
        kept = self._drawdowns.get(drawdown_id)
        if kept is not None:
            seq, drawdown, _ = kept
            return seq, drawdown.line_id, drawdown.status is DrawdownStatus.REJECTED
        if not self.spilled_drawdowns:
            return None
        row = self._one("SELECT seq, line, rejected FROM drawdown WHERE id = ?", drawdown_id)
        return None if row is None else (row[0], row[1], bool(row[2]))

    def pending_of(self, line_id: str) -> list[str]:
        """The ids of a line's PENDING drawdowns, newest first (all in memory)."""
        pending = self._pending
        return [i for i in reversed(self._by_line.get(line_id, ())) if i in pending]

    def drawdowns(self) -> Iterator[Drawdown]:
        """Every drawdown in booking order."""
        kept = (entry[:2] for entry in self._drawdowns.values())
        if not self.spilled_drawdowns:
            return (d for _, d in kept)
        rows = self._rows("SELECT seq, record FROM drawdown ORDER BY seq")
        return (d for _, d in heapq.merge(self._decoded(rows), kept, key=_first))

    def repayments(self) -> Iterator[Repayment]:
        """Every repayment in booking order."""
        kept = (entry[:2] for entry in self._repayments.values())
        if not self.spilled_repayments:
            return (r for _, r in kept)
        rows = self._rows("SELECT seq, record FROM repayment ORDER BY seq")
        spilled = ((seq, self._codec.from_repayment(record)) for seq, record in rows)
        return (r for _, r in heapq.merge(spilled, kept, key=_first))

    def used_keys(self) -> Iterator[tuple[str, tuple[Fingerprint, str]]]:
        """Every Idempotency-Key and what it was used for (spilled ones first)."""
        if self.spilled_keys:
            for _, key, fingerprint, target in self._rows(
                    "SELECT seq, key, fingerprint, id FROM drawdown WHERE key IS NOT NULL "
                    "UNION ALL SELECT seq, key, fingerprint, id FROM repayment "
                    "WHERE key IS NOT NULL ORDER BY 1"):
                yield key, (self._codec.from_fingerprint(fingerprint), target)
        yield from list(self._keys.items())

    def pending(self) -> list[Drawdown]:
        """The PENDING drawdowns in booking order (all in memory)."""
        return [self._drawdowns[i][1] for i in self._pending]

    # -- commands -----------------------------------------------------------------------------
    def add_drawdown(self, drawdown: Drawdown, key: str | None = None,
                     fingerprint: Fingerprint = ()) -> None:
        """Book a new ``drawdown`` (its id never booked before) and the key it was booked with."""
        drawdown_id = drawdown.drawdown_id
        self._drawdowns[drawdown_id] = (self._next, drawdown, key)
        self._next += 1
        self._by_line.setdefault(drawdown.line_id, {})[drawdown_id] = None
        if drawdown.status is DrawdownStatus.PENDING:
            self._pending[drawdown_id] = None
        if key is not None:
            self._keys[key] = (fingerprint, drawdown_id)
        self._bound()

    def put_drawdown(self, drawdown: Drawdown) -> None:
        """Book a drawdown whose id may be booked already (a loaded snapshot may name one
        twice): that one is replaced where it stands, as a dict would."""
        if self.drawdown(drawdown.drawdown_id) is None:
            self.add_drawdown(drawdown)
        else:
            self._replace(drawdown)

    def add_repayment(self, repayment: Repayment, key: str | None = None,
                      fingerprint: Fingerprint = ()) -> None:
        self._repayments[repayment.repayment_id] = (self._next, repayment, key)
        self._next += 1
        if key is not None:
            self._keys[key] = (fingerprint, repayment.repayment_id)
        self._bound()

    def settled(self, drawdown_id: str) -> None:
        """A PENDING drawdown became final: it may leave memory from now on."""
        self._pending.pop(drawdown_id, None)

    def close(self) -> None:
        """Free the spill database (its file goes with it). The store is empty afterwards."""
        if self._db is not None:
            self._db.close()
            self._db = None
        self._empty()

    # -- spilling -----------------------------------------------------------------------------
    def _replace(self, drawdown: Drawdown) -> None:
        drawdown_id = drawdown.drawdown_id
        kept = self._drawdowns.get(drawdown_id)
        if kept is not None:
            seq, _, key = kept
        else:  # spilled: it comes back to memory under its number (it may be PENDING now)
            db = self._database()
            try:
                with db:
                    seq, key, fingerprint, line, was_rejected = db.execute(
                        "SELECT seq, key, fingerprint, line, rejected FROM drawdown WHERE id = ?",
                        (drawdown_id,)).fetchone()
                    db.execute("DELETE FROM drawdown WHERE id = ?", (drawdown_id,))
            except sqlite3.Error as exc:
                raise self._unreadable(exc) from exc
            self.spilled_drawdowns -= 1
            counts = self._spilled_by_line[line]
            counts[0] -= 1
            counts[1] -= was_rejected
            if not counts[0]:
                del self._spilled_by_line[line]
            if key is not None:  # back to memory with it
                self._keys[key] = (self._codec.from_fingerprint(fingerprint), drawdown_id)
                self.spilled_keys -= 1
        self._drawdowns[drawdown_id] = (seq, drawdown, key)
        self._drawdowns = dict(sorted(self._drawdowns.items(), key=lambda item: item[1][0]))
        self._by_line = self._lines()
        self._pending = {i: None for i, (_, d, _) in self._drawdowns.items()
                         if d.status is DrawdownStatus.PENDING}

    def _lines(self) -> dict[str, dict[str, None]]:
        lines: dict[str, dict[str, None]] = {}
        for drawdown_id, (_, drawdown, _) in self._drawdowns.items():
            lines.setdefault(drawdown.line_id, {})[drawdown_id] = None
        return lines

    def _bound(self) -> None:
        limit = self.limit
        if (limit is None or self.spill_error is not None
                or len(self._drawdowns) - len(self._pending) + len(self._repayments) <= limit):
            return
        # The newest `keep` numbers stay, one batch fewer than the limit was passed by; every
        # final booking older than them leaves.
        keep = limit + 1 - max(1, min(limit // 2, SPILL_BATCH))
        self._spill(self._next - keep)

    def _spill(self, cutoff: int) -> None:
        # sqlite3 binds an int, a str or a bytearray as it is, and offers any other value (bytes,
        # a bool, None) to its adapters first, which raises and clears an AttributeError each
        # time (0.3 us; 0.9 of a row's 3.3). So a record and a fingerprint go as bytearrays, the
        # flag as an int, and a booking without a key by a statement that leaves the key out.
        encode, fingerprint = self._codec.drawdown, self._codec.fingerprint
        keys, pending = self._keys, self._pending
        spilled: list[str] = []  # their keys
        drawdowns: list[tuple[object, ...]] = []  # (seq, id, line, record, rejected[, key, fp])
        keyless: list[tuple[object, ...]] = []
        for drawdown_id, (seq, drawdown, key) in self._drawdowns.items():
            if seq >= cutoff:
                break
            if drawdown_id in pending:
                continue
            rejected = 1 if drawdown.status is DrawdownStatus.REJECTED else 0
            if key is None:
                keyless.append((seq, drawdown_id, drawdown.line_id,
                                bytearray(encode(drawdown)), rejected))
            else:
                drawdowns.append((seq, drawdown_id, drawdown.line_id, bytearray(encode(drawdown)),
                                  rejected, key, bytearray(fingerprint(keys[key][0]))))
                spilled.append(key)
        repayments: list[tuple[object, ...]] = []  # (seq, id, record[, key, fp])
        keyless_repayments: list[tuple[object, ...]] = []
        for repayment_id, (seq, repayment, key) in self._repayments.items():
            if seq >= cutoff:
                break
            record = bytearray(self._codec.repayment(repayment))
            if key is None:
                keyless_repayments.append((seq, repayment_id, record))
            else:
                repayments.append((seq, repayment_id, record, key,
                                   bytearray(fingerprint(keys[key][0]))))
                spilled.append(key)
        try:
            db = self._database()
            with db:
                db.executemany("INSERT INTO drawdown (seq, id, line, record, rejected, key, "
                               "fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?)", drawdowns)
                db.executemany("INSERT INTO drawdown (seq, id, line, record, rejected) "
                               "VALUES (?, ?, ?, ?, ?)", keyless)
                db.executemany("INSERT INTO repayment (seq, id, record, key, fingerprint) "
                               "VALUES (?, ?, ?, ?, ?)", repayments)
                db.executemany("INSERT INTO repayment (seq, id, record) VALUES (?, ?, ?)",
                               keyless_repayments)
        except sqlite3.Error as exc:
            self.spill_error = (f"ledger spill database: {exc}; keeping every booking in "
                                "memory from now on")
            return
        by_line, spilled_by_line = self._by_line, self._spilled_by_line
        for row in chain(drawdowns, keyless):
            del self._drawdowns[row[1]]  # type: ignore[arg-type]
            line: str = row[2]  # type: ignore[assignment]
            ids = by_line[line]
            del ids[row[1]]  # type: ignore[arg-type]
            if not ids:
                del by_line[line]
            counts = spilled_by_line.get(line)
            if counts is None:
                counts = spilled_by_line[line] = [0, 0]
            counts[0] += 1
            counts[1] += row[4]  # type: ignore[operator]
        for row in chain(repayments, keyless_repayments):
            del self._repayments[row[1]]  # type: ignore[arg-type]
        for key in spilled:
            del keys[key]
        self._spilled_keys = self._spilled_keys or KeyFilter()
        self._spilled_keys.add_all(spilled)
        self.spilled_drawdowns += len(drawdowns) + len(keyless)
        self.spilled_repayments += len(repayments) + len(keyless_repayments)
        self.spilled_keys += len(spilled)

    def _database(self) -> sqlite3.Connection:
        if self._db is None:
            # "": a private temporary database, a file deleted when the connection closes
            # `with db:` makes one transaction of a batch (begun at its first INSERT)
            db = sqlite3.connect("", check_same_thread=False)
            try:
                for statement in _SCHEMA:
                    db.execute(statement)
            except sqlite3.Error:
                db.close()
                raise
            self._db = db
        return self._db

    def _unreadable(self, exc: sqlite3.Error) -> SpillReadError:
        self.read_error = (f"ledger spill database cannot be read ({exc}): the bookings "
                           "spilled to it cannot be answered until the bank is reset or "
                           "restarted")
        return SpillReadError(self.read_error)

    def _one(self, sql: str, *values: object) -> tuple[Any, ...] | None:
        assert self._db is not None
        try:
            row: tuple[Any, ...] | None = self._db.execute(sql, values).fetchone()
        except sqlite3.Error as exc:
            raise self._unreadable(exc) from exc
        return row

    def _rows(self, sql: str, *values: object) -> Generator[tuple[Any, ...], None, None]:
        """The rows, read as the caller walks them (it holds the bank lock meanwhile); the
        statement ends when the walk does, or when the iterator is closed."""
        assert self._db is not None
        try:
            cursor = self._db.execute(sql, values)
        except sqlite3.Error as exc:
            raise self._unreadable(exc) from exc
        return self._walk(cursor)

    def _walk(self, cursor: sqlite3.Cursor) -> Generator[tuple[Any, ...], None, None]:
        try:
            yield from cursor
        except sqlite3.Error as exc:
            raise self._unreadable(exc) from exc
        finally:
            cursor.close()

    def _decoded(self, rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[int, Drawdown]]:
        for seq, record in rows:
            assert isinstance(seq, int) and isinstance(record, bytes)
            yield seq, self._codec.from_drawdown(record)
