"""Every process a connector starts, found and killed when its run ends.

A process group is not enough: a connector's child may call ``setsid`` (a new session, a new
group) or double-fork into a daemon, and then holds the connector's pipes open after the group is
killed. So each run gets a tag, put in the connector's environment (``DRAWBRIDGE_RUN_TAG``), which
every process it starts inherits whatever it does with sessions and parents. When the run ends,
:meth:`ProcessTree.kill` scans ``/proc`` for the tag, for the connector's process group and for
its descendants (by parent links, which catches a child that cleared its environment while its
parent lives), kills what it finds, and scans again until a scan finds nothing (bounded rounds).

Live trees are registered, so a signal that ends the harness kills every connector of every job
(:func:`kill_all`). Where there is no ``/proc`` (not Linux), only the process group is killed.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import signal
import threading
from pathlib import Path

TAG_VARIABLE = "DRAWBRIDGE_RUN_TAG"
#: Kill-and-rescan rounds: a process forking as fast as it can is still caught within these.
ROUNDS = 50
_PROC = Path("/proc")
_counter = itertools.count(1)
_live: set[ProcessTree] = set()
_live_lock = threading.RLock()  # re-entered by a signal handler on the main thread
_refusing = [False]  # after kill_all(refuse_new=True): a connector that starts is killed at once


class ProcessTree:
    """The processes of one connector run: its root process, and all it ever starts."""

    def __init__(self) -> None:
        self.tag = f"{os.getpid()}.{next(_counter)}.{os.urandom(4).hex()}"
        self.root: int | None = None

    def environment(self) -> dict[str, str]:
        return {TAG_VARIABLE: self.tag}

    def started(self, pid: int) -> None:
        self.root = pid
        with _live_lock:
            _live.add(self)
            refusing = _refusing[0]
        if refusing:  # the harness is stopping: a job that was starting a connector loses it
            self.kill()

    def members(self) -> set[int]:
        """Every live process of this run (the root included, if it still runs)."""
        if self.root is None or not _PROC.is_dir():
            return set()
        parents: dict[int, int] = {}
        found: set[int] = set()
        needle = f"{TAG_VARIABLE}={self.tag}".encode()
        for entry in _PROC.iterdir():
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            stat = _stat(pid)
            if stat is None or stat[0] in "ZX":
                continue
            parents[pid] = stat[1]
            if stat[2] == self.root or pid == self.root or _has(pid, needle):
                found.add(pid)
        changed = True
        while changed:  # descendants of anything found, by parent links
            grown = {pid for pid, parent in parents.items() if parent in found} - found
            changed = bool(grown)
            found |= grown
        found.discard(os.getpid())
        return found

    def kill(self) -> int:
        """Kill the run's processes until none is left; how many were killed."""
        killed: set[int] = set()
        if self.root is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.root, signal.SIGKILL)
        for _ in range(ROUNDS):
            alive = self.members()
            if not alive:
                break
            for pid in alive:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            killed |= alive
        with _live_lock:
            _live.discard(self)
        return len(killed)


def kill_all(*, refuse_new: bool = False) -> None:
    """Kill every live connector run of this process; with ``refuse_new`` (a signal is ending
    the harness), also every connector started from now on, until :func:`accept_new`."""
    with _live_lock:
        trees = list(_live)
        _refusing[0] = _refusing[0] or refuse_new
    for tree in trees:
        tree.kill()


atexit.register(kill_all)  # a spare connector process, or one a crashed job left behind


def accept_new() -> None:
    with _live_lock:
        _refusing[0] = False


def running(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie has ended); without ``/proc``, whether it exists."""
    if _PROC.is_dir():
        stat = _stat(pid)
        return stat is not None and stat[0] not in "ZX"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stat(pid: int) -> tuple[str, int, int] | None:
    """State, parent and process group of ``pid``, or None if it is gone."""
    try:
        text = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1]), int(fields[2])


def _has(pid: int, needle: bytes) -> bool:
    try:
        environ = (_PROC / str(pid) / "environ").read_bytes()
    except OSError:  # another user's process, or gone
        return False
    return needle in environ.split(b"\0")
