"""The journal: every exchange the fake bank served, with its virtual time, version and fault.

Entries are appended under a lock, so concurrent requests never lose one. An optional JSON Lines
sink writes each entry as one line and flushes it at once, so a run killed with SIGKILL leaves a
file readable up to the last completed exchange.

Each entry is kept as its JSON line in one growing buffer, not as objects: an entry is a dozen
dicts and lists, and a server under load appends thousands a second. Kept as objects they are
all the cyclic garbage collector walks, again and again as the heap grows: pauses of hundreds of
milliseconds at the 99th percentile (BENCHMARKS.md). A buffer is never walked, and one buffer
rather than a bytes object per line keeps the allocator from fragmenting (a bytes object per
line tripled the resident memory). Reading parses the lines back, a few microseconds an entry,
per operation or per control call, not per request. How many lines stay in memory, and what
happens to older ones, is :mod:`fake_core_bank.domain.journal_store`'s business.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import threading
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import IO, Any

import orjson

from fake_core_bank.domain.journal_store import LineStore, Overflow


# No slots: the journal keeps lines, not entries, so an entry lives for one request, and orjson
# writes a dataclass from its __dict__ (0.44 us) but looks for that first and falls back to its
# fields on a slotted one (1.22 us: a raised and cleared AttributeError, then a field walk).
@dataclass
class JournalEntry:
    seq: int
    at: str  # virtual time, ISO 8601
    #: "exchange" (connector traffic), "control" (harness action), "booking", "fenced" (an
    #: earlier run's request, refused), "cut" (a request whose body never came whole)
    kind: str
    operation: str | None = None  # connector operation (business intent) running at the time
    version: str | None = None  # version the request addressed (/v2 -> "v2")
    served_by: str | None = None  # node that answered: "v2", or "v3-node" during a rolling upgrade
    operation_id: str | None = None  # contract operationId
    method: str | None = None
    path: str | None = None
    query: str | None = None
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: Any = None
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: Any = None
    fault: str | None = None
    #: contract problems of the request, as "field: message" strings (empty: it conformed)
    request_violations: list[str] = field(default_factory=list)
    #: contract problems of the fake's own response (a bug in the fake if ever non-empty)
    response_violations: list[str] = field(default_factory=list)
    reason: str | None = None
    #: wall seconds since the connector operation's first request (not in deterministic output)
    wall_offset: float | None = None
    bookings: list[str] = field(default_factory=list)
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: What one entry keeps at most (issue 15 item 14: 300 requests with 1 MB headers kept 310 MB):
#: each header value, the number of headers, and a body kept as text. Cut values say so.
MAX_HEADER_VALUE = 4096
MAX_HEADERS = 64
MAX_BODY_TEXT = 65536
#: Free space the journal's disk must have for a request to be served (a few hundred entries).
MIN_FREE_BYTES = 1024 * 1024


def cut(text: str, limit: int) -> str:
    """``text``, or its first ``limit`` characters and how many were cut."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... {len(text) - limit} characters cut"


def capped_headers(headers: dict[str, str]) -> dict[str, str]:
    """At most :data:`MAX_HEADERS` headers, each value at most :data:`MAX_HEADER_VALUE`."""
    if len(headers) <= MAX_HEADERS and max(map(len, headers.values()),
                                           default=0) <= MAX_HEADER_VALUE:
        return headers  # the common case: nothing to copy (and no generator to run per header)
    kept = {k[:MAX_HEADER_VALUE]: cut(v, MAX_HEADER_VALUE)
            for k, v in list(headers.items())[:MAX_HEADERS]}
    if len(headers) > MAX_HEADERS:
        kept["x-drawbridge-cut"] = f"{len(headers) - MAX_HEADERS} more headers cut"
    return kept


#: the first byte of a line that stdlib json wrote (orjson cannot hold integers beyond 64 bits)
_WIDE = b"\x00"


def _line(entry: JournalEntry) -> bytes:
    """``entry`` as one JSON document (no newline)."""
    try:
        # orjson writes the dataclass itself, field by field as to_dict() would, without
        # asdict()'s deep copy (33 us of the 35 an entry cost, issue 8).
        return orjson.dumps(entry)
    except orjson.JSONEncodeError:
        # A request body with an integer beyond 64 bits (a fuzzer's amount): exact, slower.
        return _WIDE + json.dumps(entry.to_dict(), ensure_ascii=False, default=str).encode()


def _entry(line: bytes) -> JournalEntry:
    data = json.loads(line[1:]) if line[:1] == _WIDE else orjson.loads(line)
    return JournalEntry(**{name: data[name] for name in _FIELDS if name in data})


_FIELDS = tuple(f.name for f in fields(JournalEntry))


class Journal:
    def __init__(self, sink: Path | None = None, *, limit: int | None = None,
                 overflow: Overflow = "spill") -> None:
        self._store = LineStore(limit, overflow)
        self._lock = threading.Lock()
        self._sink: IO[bytes] | None = None
        self._sink_path: Path | None = None
        #: why the sink cannot be written (a full disk), once a write failed; the fake bank
        #: then refuses connector requests before booking anything (fake_core_bank.http.app)
        self.failure: str | None = None
        if sink is not None:
            self.attach(sink)

    def attach(self, sink: Path) -> None:
        sink.parent.mkdir(parents=True, exist_ok=True)
        # O_NOFOLLOW: a link planted where the journal goes fails (ELOOP), never written through.
        # O_NONBLOCK: a FIFO with no reader fails (ENXIO) instead of hanging the start.
        fd = os.open(sink, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW
                     | os.O_NONBLOCK, 0o644)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise OSError(errno.EINVAL, "not a regular file (a device or a pipe)", str(sink))
        self._sink = os.fdopen(fd, "ab", buffering=0)
        self._sink_path = sink
        problem = self.check_space()
        if problem is not None:
            self.close()
            raise OSError(errno.ENOSPC, "no space left for the journal", str(sink))

    def check_space(self) -> str | None:
        """Before a request may book: why the journal could not take its entry, or None.

        A full disk is found here, before anything is booked, rather than by the write after
        the booking; a write that fails anyway sets :attr:`failure` (issue 15 item 14).
        """
        if self.failure is not None or self._sink is None:
            return self.failure
        try:
            vfs = os.fstatvfs(self._sink.fileno())
        except (OSError, ValueError):
            return None  # not a question this file system answers; the write will tell
        if vfs.f_bavail * vfs.f_frsize < MIN_FREE_BYTES:
            self.failure = (f"the journal {self._sink_path} cannot be written (less than "
                            f"{MIN_FREE_BYTES // 1024} KB free on its disk)")
        return self.failure

    def close(self) -> None:
        with self._lock:
            if self._sink is not None:
                self._sink.close()
                self._sink = None
            self._store.close()

    def append(self, entry: JournalEntry) -> JournalEntry:
        """Number ``entry`` and keep it as it is now (later changes to it are not kept)."""
        with self._lock:
            entry.seq = len(self._store) + 1
            line = _line(entry)
            self._store.add(line)
            if self._sink is not None and self.failure is None:
                # One write() of a whole line: a kill between entries never leaves half a line.
                try:
                    self._sink.write((line[1:] if line[:1] == _WIDE else line) + b"\n")
                except OSError as exc:  # ENOSPC, EIO: the entry stays in memory
                    self.failure = (f"the journal {self._sink_path} cannot be written "
                                    f"({exc.strerror}); entries from #{entry.seq} on are only "
                                    "in memory (/_control/journal)")
        return entry

    def entries(self, since: int = 0, limit: int | None = None) -> list[JournalEntry]:
        """Fresh copies of the entries after seq ``since`` (at most ``limit`` of them); entries
        dropped from a bounded journal are skipped (``dropped`` counts them)."""
        with self._lock:
            _first, lines = self._store.lines(max(0, since), limit)
        return [_entry(line) for line in lines]

    def documents(self, since: int = 0, limit: int | None = None) -> tuple[int, list[bytes]]:
        """The entries after seq ``since`` (at most ``limit``) as JSON documents, as kept, and
        the seq of the last one (``since`` when there is none): a page without parsing."""
        with self._lock:
            first, lines = self._store.lines(max(0, since), limit)
        docs = [line[1:] if line[:1] == _WIDE else line for line in lines]
        return (first + len(docs) if docs else max(0, since)), docs

    def dicts(self, since: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        """The entries after seq ``since`` as dicts (``to_dict()``'s document), parsed straight
        from the kept lines: no entry object, no ``asdict`` deep copy."""
        with self._lock:
            _first, lines = self._store.lines(max(0, since), limit)
        return [json.loads(line[1:]) if line[:1] == _WIDE else orjson.loads(line)
                for line in lines]

    @property
    def dropped(self) -> int:
        """Entries the bound dropped (overflow "drop") since the last ``clear``."""
        with self._lock:
            return self._store.dropped

    @property
    def overflow(self) -> str:
        """"spill" or "drop": what happens beyond the limit now ("drop" once spilling failed,
        ``spill_error`` says why)."""
        with self._lock:
            return self._store.overflow

    @property
    def spill_error(self) -> str | None:
        with self._lock:
            return self._store.spill_error

    @property
    def in_memory(self) -> int:
        with self._lock:
            return self._store.in_memory

    def __len__(self) -> int:
        with self._lock:
            return len(self._store)

    def clear(self) -> None:
        with self._lock:
            self._store.clear()
