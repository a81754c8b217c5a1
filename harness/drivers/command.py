"""Drive any executable that speaks JSON lines on stdin/stdout.

The harness starts the command once per scenario run (no shell: the command line is split with
:func:`shlex.split`), in its own process group, with ``DRAWBRIDGE_BANK_URL`` and
``DRAWBRIDGE_CORE_VERSION`` in its environment. It writes one JSON request per line and reads
one JSON answer per line; lines on stdout that are not JSON objects are kept as evidence and
skipped. A request ``{"op": "hello"}`` asks for the connector's identity. On stop, stdin is
closed; after a grace period every process of the run is killed, however it detached
(:mod:`harness.drivers.procs`), and the pipes are closed only once no process holds them.

A line longer than :data:`LINE_LIMIT` is never held in memory: it is read through, counted and
reported ("an answer of N bytes, over the limit"). A connector that closes its stdout, or exits,
fails the operation with that reason; waits on the connector are all bounded, writing a request
too: one that stops reading its stdin fails the operation at its deadline.
"""

from __future__ import annotations

import contextlib
import os
import queue
import select
import shlex
import subprocess
import threading
import time
from collections.abc import Iterator
from typing import IO, Any, Protocol

import orjson

from fake_core_bank.errors import InputError
from harness.drivers.base import LINE_LIMIT, DriverNotes
from harness.drivers.procs import ProcessTree
from harness.evidence import Identity
from harness.outcome import Outcome

GRACE_SECONDS = 2.0


class ConnectorProcess(Protocol):
    """What the driver needs of a run's process: a :class:`subprocess.Popen`, or a child of a
    python connector's fork server (:class:`harness.drivers.python_forks.ForkedProcess`)."""

    pid: int
    stdin: IO[bytes] | None
    stdout: IO[bytes] | None
    stderr: IO[bytes] | None

    @property
    def returncode(self) -> int | None: ...

    def poll(self) -> int | None: ...

    def wait(self, timeout: float | None = None) -> int: ...


def read_lines(stream: IO[bytes], limit: int = LINE_LIMIT) -> Iterator[bytes | int]:
    """The lines of ``stream``; a line longer than ``limit`` comes as its length in bytes."""
    while True:
        chunk = stream.readline(limit + 1)
        if not chunk:
            return
        if chunk.endswith(b"\n") or len(chunk) <= limit:
            yield chunk
            continue
        size = len(chunk)
        while not chunk.endswith(b"\n"):
            chunk = stream.readline(limit)
            if not chunk:
                break
            size += len(chunk)
        yield size


def split_command(text: str, spec: str) -> list[str]:
    try:
        argv = shlex.split(text)
    except ValueError as exc:
        raise InputError("--connector", f"cannot parse the command in {spec!r}: {exc}",
                         "quote arguments with spaces") from exc
    if not argv:
        raise InputError("--connector", f"{spec!r} names no command",
                         "write command:<program> [args...]")
    return argv


def _cut_line(size: int) -> str:
    return f"a line of {size} bytes, over the limit of {LINE_LIMIT}, cut"


#: what a write to a connector whose stdin is gone says (it usually exited: then that is said)
CLOSED_STDIN = "connector closed its stdin"


def _exited(code: int) -> str:
    """One wording, however the harness learns that the connector died before its answer."""
    return f"connector exited with code {code} before answering"


class CommandDriver:
    def __init__(self, argv: list[str], spec: str, *, env: dict[str, str] | None = None,
                 identity: Identity | None = None) -> None:
        self.argv = argv
        self.spec = spec
        self.env = env or {}
        self.notes = DriverNotes()
        self.proc: ConnectorProcess | None = None
        self.lines: queue.Queue[bytes | int | None] = queue.Queue()
        self.tree = ProcessTree()
        self.readers: list[threading.Thread] = []
        self.gone: str | None = None  # why the connector cannot answer any more
        self.identity = identity or Identity(argv[0].rsplit("/", 1)[-1], spec=spec)
        self.hello_problem: str | None = None

    def start(self, bank_url: str, version: str) -> None:
        self.tree = ProcessTree()
        self.gone = None
        env = {**os.environ, **self.env, "DRAWBRIDGE_BANK_URL": bank_url,
               "DRAWBRIDGE_CORE_VERSION": version, **self.tree.environment()}
        self.proc = self.spawn(env)
        self.tree.started(self.proc.pid)
        self.lines = queue.Queue()
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.readers = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines),
                             daemon=True, name="connector-stdout"),
            threading.Thread(target=self._drain, args=(self.proc.stderr,), daemon=True,
                             name="connector-stderr")]
        for reader in self.readers:
            reader.start()

    def spawn(self, env: dict[str, str]) -> ConnectorProcess:
        """The run's process, in a session of its own, its three streams piped to us."""
        try:
            return subprocess.Popen(
                self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, env=env, start_new_session=True,
            )
        except OSError as exc:
            raise InputError("--connector", f"cannot start {self.argv[0]!r}: {exc.strerror}",
                             "check the command exists and is executable") from exc

    def _pump(self, stream: IO[bytes], sink: queue.Queue[bytes | int | None]) -> None:
        with contextlib.suppress(OSError, ValueError):  # the pipe closed under the reader
            for line in read_lines(stream):
                sink.put(line)
        sink.put(None)

    def _drain(self, stream: IO[bytes]) -> None:
        with contextlib.suppress(OSError, ValueError):
            for line in read_lines(stream):
                if isinstance(line, int):
                    self.notes.add(f"stderr: {_cut_line(line)}")
                else:
                    self.notes.add("stderr: " + line.decode("utf-8", "replace").rstrip())

    def request(self, payload: dict[str, Any], timeout: float) -> tuple[Any, str | None]:
        """Send one request; the decoded answer, or None and why there is none."""
        proc = self.proc
        if proc is None or proc.stdin is None:
            return None, "connector not started"
        if self.gone is not None:
            return None, self.gone
        code = proc.poll()
        if code is not None:
            return None, _exited(code)
        deadline = time.monotonic() + timeout
        problem = self._send(proc.stdin, orjson.dumps(payload) + b"\n", deadline, timeout)
        if problem is not None:
            if problem.startswith(CLOSED_STDIN):  # most often it died: say so, as when it is seen
                with contextlib.suppress(subprocess.TimeoutExpired):
                    return None, _exited(proc.wait(timeout=GRACE_SECONDS))
            return None, problem
        cut = ""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None, f"timeout: no answer within {timeout:g}s{cut}"
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                return None, self._stdout_closed(proc)
            if isinstance(line, int):  # skipped like noise: an answer is one line, not that
                cut = f" (after {_cut_line(line)})"
                self.notes.add(f"stdout: {_cut_line(line)}")
                continue
            text = line.strip()
            if not text.startswith(b"{"):
                if text:
                    self.notes.add("stdout noise: " + text.decode("utf-8", "replace")[:200])
                continue
            try:
                return orjson.loads(text), None
            except orjson.JSONDecodeError:
                self.notes.add("stdout noise: " + text.decode("utf-8", "replace")[:200])

    @staticmethod
    def _send(stream: IO[bytes], data: bytes, deadline: float, timeout: float) -> str | None:
        """Write ``data`` to the connector's stdin by the operation's ``deadline``; None when
        written, else why not. A connector that stops reading fills the pipe (64 KB on Linux),
        so the write waits for room with :func:`select.select`, never in a blocking write."""
        fd = stream.fileno()
        os.set_blocking(fd, False)  # the buffered writer is never used: it holds nothing
        view = memoryview(data)
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return (f"timeout: the connector did not read its stdin within {timeout:g}s "
                        f"({len(data) - len(view)} of {len(data)} request bytes written; a "
                        "connector must read each request line as it comes)")
            try:
                _, writable, _ = select.select([], [fd], [], remaining)
                if writable:
                    view = view[os.write(fd, view):]
            except BlockingIOError:
                continue
            except OSError as exc:  # BrokenPipeError and the like: the reader is gone
                return f"{CLOSED_STDIN}: {exc}"
        return None

    def _stdout_closed(self, proc: ConnectorProcess) -> str:
        try:
            code = proc.wait(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            self.gone = "connector closed its stdout and cannot answer (it still ran; killed)"
            self._kill()
            return self.gone
        return _exited(code)

    def hello(self, timeout: float = 10.0) -> Identity:
        answer, problem = self.request({"op": "hello"}, timeout)
        self.hello_problem = problem
        fallback = self.argv[-1].rsplit("/", 1)[-1] if len(self.argv) > 1 else self.argv[0]
        self.identity = Identity.from_wire(answer, self.spec, fallback)
        return self.identity

    def startup_failure(self) -> str | None:
        """After :meth:`hello`: why the command died before its first answer (a missing script,
        a syntax error, a missing dependency), in its own words from stderr; else None."""
        problem = self.hello_problem
        if problem is None or "exited with code" not in problem:
            return None
        return f"{shlex.join(self.argv)} {problem.removeprefix('connector ')}: " \
            f"{self._last_stderr()}"

    def _last_stderr(self) -> str:
        """The most telling line the process wrote to stderr (node: the ``Error:`` line)."""
        if len(self.readers) > 1:  # the stderr reader: the connector's last words
            self.readers[1].join(timeout=GRACE_SECONDS)
        lines = [n.removeprefix("stderr: ").strip() for n in self.notes.lines
                 if n.startswith("stderr: ") and n.strip() != "stderr:"]
        telling = [line for line in lines if "Error" in line or "error" in line]
        return (telling or lines or ["(nothing on stderr)"])[0]

    def perform(self, request: dict[str, Any], timeout: float) -> Outcome:
        answer, problem = self.request(request, timeout)
        if problem is not None:
            self.notes.add(problem)
            if problem.startswith("timeout"):
                self._kill()  # a hung connector cannot answer the next operation either
            return Outcome.failed(problem)
        return Outcome.from_wire(answer, f"{self.identity.name} answer to {request['op']}")

    def stop(self) -> None:
        proc = self.proc
        if proc is None:
            return
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        try:
            proc.wait(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            self.notes.add("connector did not exit after stdin closed; killed")
        self._kill()
        self.proc = None

    def _kill(self) -> None:
        """Kill every process of the run: a connector's children never outlive it."""
        proc = self.proc
        if proc is None:
            return
        self.tree.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=GRACE_SECONDS)
        # A pipe is closed only once its reader saw the end: closing it under a reader blocks.
        for reader, stream in zip(self.readers, (proc.stdout, proc.stderr), strict=True):
            reader.join(GRACE_SECONDS)
            if reader.is_alive():
                self.notes.add(f"a process outside the run still holds the connector's "
                               f"{reader.name.split('-')[1]}; left open")
            elif stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
