"""Where the journal keeps its lines: the newest in memory, the older ones spilled or dropped.

A fake bank left running for days must not grow without bound (issue 19). The store keeps at
most ``limit`` lines in memory; when one more arrives, the oldest half of them leave memory in
one move: appended to a spill file (``overflow="spill"``: nothing is lost, the file is an
anonymous temporary file that disappears with the process) or dropped with a count
(``overflow="drop"``). ``limit=None`` keeps everything in memory, as a scenario run needs.

Lines are numbered 0, 1, 2, ... for the life of the store (until ``clear``): a dropped line's
number is never reused, so a reader's cursor stays valid. Lines end with a newline, so the
oldest ones leave memory as one write, and a spilled line is found from a mark every
:data:`STRIDE` lines (8 bytes per 1,024 lines is all that still grows in memory).

The store is not thread-safe: its owner (:class:`~fake_core_bank.domain.journal.Journal`) holds
its lock around every call.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from array import array
from typing import IO, Literal

Overflow = Literal["spill", "drop"]
OVERFLOWS: tuple[Overflow, ...] = ("spill", "drop")

#: a mark (the spill file's offset) is kept for every STRIDE-th spilled line
STRIDE = 1024


def _forget_cached(fd: int) -> None:
    """Let the kernel drop the spill file's pages from its cache once they are on disk. A
    file that only grows took a page never used before for each 4 KB written; copying a line
    into such pages cost 1.4-2.0 us where pages the cache gave back cost 0.6 (whole lines
    added, 2 million at a time, docs/benchmarks.md). Reads come back from the disk. Where
    the call does not exist (not Linux) or fails, nothing changes."""
    advise, dont_need = getattr(os, "posix_fadvise", None), getattr(os, "POSIX_FADV_DONTNEED", None)
    if advise is not None and dont_need is not None:
        with contextlib.suppress(OSError):
            advise(fd, 0, 0, dont_need)


class LineStore:
    def __init__(self, limit: int | None = None, overflow: Overflow = "spill") -> None:
        if limit is not None and limit < 1:
            raise ValueError(f"journal limit must be at least 1, got {limit}")
        if overflow not in OVERFLOWS:
            raise ValueError(f"journal overflow must be one of {', '.join(OVERFLOWS)}, "
                             f"got {overflow!r}")
        self.limit = limit
        self._configured: Overflow = overflow
        self._spill: IO[bytes] | None = None
        self._reset()

    def _reset(self) -> None:
        self.overflow = self._configured  # "drop" after spilling failed, until clear()
        self.spill_error: str | None = None
        self._data = bytearray()  # the lines in memory, each ending with b"\n"
        self._ends = array("Q")  # where each line in memory ends, as offsets of a virtual stream
        self._origin = 0  # offset of _data[0] in that stream
        self._first = 0  # number of the first line in memory
        self.dropped = 0  # lines dropped (overflow="drop"): numbers 0 .. dropped-1
        self._spilled = 0  # lines in the spill file: numbers 0 .. _spilled-1
        self._spill_size = 0
        self._marks = array("Q")  # spill-file offset of line k * STRIDE
        if self._spill is not None:
            self._spill.close()
            self._spill = None

    def __len__(self) -> int:
        """Lines ever added since the last ``clear`` (dropped ones included)."""
        return self._first + len(self._ends)

    @property
    def in_memory(self) -> int:
        """Lines held in memory now (at most ``limit``)."""
        return len(self._ends)

    def add(self, line: bytes) -> None:
        """Keep ``line`` (one JSON document, no newline) as the next number."""
        self._data += line
        self._data += b"\n"
        self._ends.append(self._origin + len(self._data))
        if self.limit is not None and len(self._ends) > self.limit:
            self._evict(max(1, self.limit // 2))

    def _evict(self, count: int) -> None:
        """The oldest ``count`` lines leave memory: into the spill file, or dropped."""
        cut = self._ends[count - 1] - self._origin
        if self.overflow == "spill":
            try:
                self._spill_out(count, cut)
            except OSError as exc:
                self._give_up_spilling(exc)
        if self.overflow == "drop":
            self.dropped += count
        del self._data[:cut]
        del self._ends[:count]
        self._origin += cut
        self._first += count

    def _spill_out(self, count: int, cut: int) -> None:
        if self._spill is None:
            # lives as long as the store; closed by clear() and close()
            self._spill = tempfile.TemporaryFile(prefix="drawbridge-journal-")  # noqa: SIM115
        marks = []
        for number in range(self._first, self._first + count):
            if number % STRIDE == 0:
                begin = self._ends[number - self._first - 1] if number > self._first \
                    else self._origin
                marks.append(self._spill_size + begin - self._origin)
        with memoryview(self._data) as view:  # no copy of the lines leaving memory
            self._spill.write(view[:cut])
        self._spill.flush()
        _forget_cached(self._spill.fileno())
        self._marks.extend(marks)
        self._spill_size += cut
        self._spilled += count

    def _give_up_spilling(self, exc: OSError) -> None:
        """The spill file cannot grow (a full disk): drop instead of failing the request that
        is being journaled. What was spilled is dropped too (dropped lines are always the
        oldest), and ``spill_error`` says why."""
        self.spill_error = f"spill file: {exc.strerror or exc}; dropping the oldest entries"
        self.dropped = self._spilled
        self._spilled = 0
        self._spill_size = 0
        self._marks = array("Q")
        if self._spill is not None:
            self._spill.close()
            self._spill = None
        self.overflow = "drop"

    def lines(self, since: int, limit: int | None = None) -> tuple[int, list[bytes]]:
        """Lines numbered ``since`` and on (at most ``limit``), and the number of the first
        one returned (later than ``since`` when the ones before were dropped)."""
        start = max(since, self.dropped)
        stop = len(self) if limit is None else min(len(self), start + max(0, limit))
        out: list[bytes] = []
        if start < min(stop, self._spilled):
            out.extend(self._read_spilled(start, min(stop, self._spilled)))
        begin = max(start, self._first)
        if begin < stop:
            i, j = begin - self._first, stop - self._first
            low = (self._ends[i - 1] if i else self._origin) - self._origin
            chunk = bytes(self._data[low:self._ends[j - 1] - self._origin])
            out.extend(chunk.splitlines())
        return start, out

    def _read_spilled(self, start: int, stop: int) -> list[bytes]:
        assert self._spill is not None
        fd = self._spill.fileno()
        mark = start // STRIDE
        offset = self._marks[mark]
        after = (stop - 1) // STRIDE + 1  # the first block not needed
        end = self._marks[after] if after < len(self._marks) else self._spill_size
        data = os.pread(fd, end - offset, offset)
        lines = data.splitlines()
        skip = start - mark * STRIDE
        return lines[skip:skip + (stop - start)]

    def clear(self) -> None:
        self._reset()

    def close(self) -> None:
        self._reset()
