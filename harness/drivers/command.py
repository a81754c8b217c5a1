"""Drive any executable that speaks JSON lines on stdin/stdout.

The harness starts the command once per scenario run (no shell: the command line is split with
:func:`shlex.split`), in its own process group, with ``DRAWBRIDGE_BANK_URL`` and
``DRAWBRIDGE_CORE_VERSION`` in its environment. It writes one JSON request per line and reads
one JSON answer per line; lines on stdout that are not JSON objects are kept as evidence and
skipped. A request ``{"op": "hello"}`` asks for the connector's identity. On stop, stdin is
closed; after a grace period the whole process group is killed, children included.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shlex
import signal
import subprocess
import threading
import time
from typing import IO, Any

import orjson

from fake_core_bank.errors import InputError
from harness.drivers.base import DriverNotes, Identity
from harness.outcome import Outcome

GRACE_SECONDS = 2.0


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


class CommandDriver:
    def __init__(self, argv: list[str], spec: str, *, env: dict[str, str] | None = None,
                 identity: Identity | None = None) -> None:
        self.argv = argv
        self.spec = spec
        self.env = env or {}
        self.notes = DriverNotes()
        self.proc: subprocess.Popen[bytes] | None = None
        self.lines: queue.Queue[bytes | None] = queue.Queue()
        self.identity = identity or Identity(argv[0].rsplit("/", 1)[-1], spec=spec)
        self.hello_problem: str | None = None
        self._stderr_thread: threading.Thread | None = None

    def start(self, bank_url: str, version: str) -> None:
        env = {**os.environ, **self.env, "DRAWBRIDGE_BANK_URL": bank_url,
               "DRAWBRIDGE_CORE_VERSION": version}
        try:
            self.proc = subprocess.Popen(
                self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, env=env, start_new_session=True,
            )
        except OSError as exc:
            raise InputError("--connector", f"cannot start {self.argv[0]!r}: {exc.strerror}",
                             "check the command exists and is executable") from exc
        self.lines = queue.Queue()
        assert self.proc.stdout is not None and self.proc.stderr is not None
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines),
                         daemon=True).start()
        self._stderr_thread = threading.Thread(target=self._drain, args=(self.proc.stderr,),
                                               daemon=True)
        self._stderr_thread.start()

    def _pump(self, stream: IO[bytes], sink: queue.Queue[bytes | None]) -> None:
        for line in iter(stream.readline, b""):
            sink.put(line)
        sink.put(None)

    def _drain(self, stream: IO[bytes]) -> None:
        for line in iter(stream.readline, b""):
            self.notes.add("stderr: " + line.decode("utf-8", "replace").rstrip())

    def request(self, payload: dict[str, Any], timeout: float) -> tuple[Any, str | None]:
        """Send one request; the decoded answer, or None and why there is none."""
        proc = self.proc
        if proc is None or proc.stdin is None:
            return None, "connector not started"
        if proc.poll() is not None:
            return None, f"connector exited with code {proc.returncode}"
        try:
            proc.stdin.write(orjson.dumps(payload) + b"\n")
            proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            return None, f"connector closed its stdin: {exc}"
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None, f"timeout: no answer within {timeout:g}s"
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                code = proc.wait(timeout=GRACE_SECONDS)
                return None, f"connector exited with code {code} before answering"
            text = line.strip()
            if not text.startswith(b"{"):
                if text:
                    self.notes.add("stdout noise: " + text.decode("utf-8", "replace")[:200])
                continue
            try:
                return orjson.loads(text), None
            except orjson.JSONDecodeError:
                self.notes.add("stdout noise: " + text.decode("utf-8", "replace")[:200])

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
        if self._stderr_thread is not None:
            self._stderr_thread.join(timeout=GRACE_SECONDS)
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
        """Kill the whole process group: a connector's children never outlive the run."""
        proc = self.proc
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=GRACE_SECONDS)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
