"""The harness's side of a python connector's fork server (:mod:`harness.drivers.python_zygote`).

:class:`ForkServer` starts the server when a ``python:`` spec's drivers are made (it imports the
connector while the harness loads scenarios and starts the bank) and asks it for one child per
scenario run; :class:`ForkedProcess` is that child as
:class:`~harness.drivers.command.CommandDriver` drives it, the same three pipes and the same
answers as a :class:`subprocess.Popen`. When the server cannot serve (it is gone, or was never
ready within the start bound), :meth:`ForkServer.fork` says None and the driver starts the host
the slow way, a fresh interpreter per run.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
from typing import IO

from harness.drivers.procs import TAG_VARIABLE, running
from harness.drivers.python_zygote import STATUS, TAG_PLACEHOLDER

#: how often a child whose server ended is looked at, until it ends too
_POLL_SECONDS = 0.05


class ForkedProcess:
    """One run's host, forked by the server: its pid, its pipes, and its end when it comes."""

    def __init__(self, pid: int, stdin: IO[bytes], stdout: IO[bytes], stderr: IO[bytes],
                 status: socket.socket) -> None:
        self.pid = pid
        self.stdin: IO[bytes] | None = stdin
        self.stdout: IO[bytes] | None = stdout
        self.stderr: IO[bytes] | None = stderr
        self.status: socket.socket | None = status
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self._look(0.0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.returncode is None:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise subprocess.TimeoutExpired(f"python connector (pid {self.pid})",
                                                timeout or 0.0)
            self._look(remaining)
        return self.returncode

    def _look(self, timeout: float | None) -> None:
        """Read the server's word on this child, waiting at most ``timeout`` seconds."""
        status = self.status
        if status is None:  # its server ended before it did: watch the pid itself
            if not running(self.pid):
                self.returncode = -9  # unknown: it ended after its server; the kill's number
            elif timeout is None or timeout > 0:
                time.sleep(min(_POLL_SECONDS, timeout or _POLL_SECONDS))
            return
        ready, _, _ = select.select([status], [], [], timeout)
        if not ready:
            return
        try:
            data = status.recv(STATUS.size)
        except OSError:
            data = b""
        if len(data) == STATUS.size and STATUS.unpack(data)[0] == b"x":
            self.returncode = STATUS.unpack(data)[1]
        self.status = None
        status.close()  # the server reaps it now, never earlier: see python_zygote


class ForkServer:
    """The fork server of one ``python:`` spec: started at once, asked once per run."""

    def __init__(self, target: str, spec: str, env: dict[str, str]) -> None:
        self.lock = threading.Lock()
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.proc: subprocess.Popen[bytes] | None = None
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "harness.drivers.python_zygote", str(theirs.fileno()),
                 target, spec],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True,
                env={**os.environ, **env, TAG_VARIABLE: TAG_PLACEHOLDER})
        except OSError:
            self.control.close()
        finally:
            theirs.close()

    @property
    def serving(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def fork(self, env: dict[str, str], timeout: float) -> ForkedProcess | None:
        """A child with ``env`` as its whole environment, or None when the server cannot give
        one within ``timeout`` seconds (then it is stopped, and never asked again)."""
        with self.lock:
            if not self.serving:
                return None
            stdin_r, stdin_w = os.pipe()
            stdout_r, stdout_w = os.pipe()
            stderr_r, stderr_w = os.pipe()
            mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                socket.send_fds(self.control, [json.dumps({"env": env}).encode()],
                                [stdin_r, stdout_w, stderr_w, theirs.fileno()])
                ready, _, _ = select.select([mine], [], [], timeout)
                data = mine.recv(STATUS.size) if ready else b""
            except OSError:
                data = b""
            finally:
                for fd in (stdin_r, stdout_w, stderr_w):
                    os.close(fd)
                theirs.close()
            if len(data) != STATUS.size or STATUS.unpack(data)[0] != b"p":
                for fd in (stdin_w, stdout_r, stderr_r):
                    os.close(fd)
                mine.close()
                self._stop()
                return None
            return ForkedProcess(STATUS.unpack(data)[1], os.fdopen(stdin_w, "wb"),
                                 os.fdopen(stdout_r, "rb"), os.fdopen(stderr_r, "rb"), mine)

    def close(self) -> None:
        with self.lock:
            self._stop()

    def _stop(self) -> None:
        """End the server: it ends by itself once its socket closes; killed if it does not."""
        with contextlib.suppress(OSError):
            self.control.close()
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            proc.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
