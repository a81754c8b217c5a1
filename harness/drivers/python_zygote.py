"""The fork server of one ``python:`` connector: imports it once, forks a fresh host per run.

``python -m harness.drivers.python_zygote FD TARGET SPEC`` imports the connector's class
(``module:Class``) and the host (:mod:`harness.drivers.python_host`), then waits on the unix
socket ``FD`` for the harness (:class:`harness.drivers.python.ForkServer`). Each request is one
datagram: the run's environment as JSON, with four descriptors (the run's stdin, stdout and
stderr pipes and a status socket). The server forks; the child starts a session of its own
(``setsid``), takes the pipes as 0, 1 and 2, puts the run's environment in place (the run's
tag too, where ``/proc`` shows it: :func:`retag`) and serves the connector exactly as a host
started by ``python -m harness.drivers.python_host`` does. The server answers on the status
socket with the child's pid, and with its exit status once it ends (a ``Popen`` return code:
negative for a signal). It reaps the child only when the harness closes that socket, so the pid
is never reused while the harness may still kill its process group.

Every run is still its own process, fresh from an interpreter that never made a connector: the
fork costs a few milliseconds where starting Python and importing the connector again cost a
tenth of a second of CPU per run (issue 19, time to verdict). The server lives as long as its
socket: when the harness closes it, or dies, the server ends; its running children do not
depend on it (they hold only their own pipes). A connector whose import leaves a thread running
is not forked (a fork copies only the forking thread): the server ends at once and every run
starts a fresh interpreter.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import selectors
import signal
import socket
import struct
import sys
import threading
import traceback
from pathlib import Path
from typing import Any

from harness.drivers.procs import TAG_VARIABLE
from harness.drivers.python_host import load_target, serve_class, take_stdout

#: the placeholder the server's environment carries for the run tag: :func:`retag` writes each
#: run's tag over it in the child's own environment block, which ``/proc/PID/environ`` shows
TAG_PLACEHOLDER = "0" * 64
#: the status socket's messages: a kind (b"p" pid, b"x" exit status) and a signed number
STATUS = struct.Struct("=ci")
#: one request's most bytes (the environment of one run)
REQUEST_LIMIT = 1 << 20


def retag(tag: str) -> bool:
    """Write ``tag`` over :data:`TAG_PLACEHOLDER` in this process's environment block, the
    memory ``/proc/self/environ`` reads (a forked child shows its parent's block, not
    ``os.environ``), so :class:`~harness.drivers.procs.ProcessTree` finds this process and
    anything it forks by the tag, as it finds a process started with the tag. False when that
    cannot be done here (no ``/proc``, or a block without the placeholder)."""
    entry = f"{TAG_VARIABLE}={TAG_PLACEHOLDER}".encode()
    value = tag.encode()
    if len(value) > len(TAG_PLACEHOLDER):
        return False
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        start, end = int(fields[47]), int(fields[48])  # env_start, env_end (proc(5): 50, 51)
        block = Path("/proc/self/environ").read_bytes()
    except (OSError, IndexError, ValueError):
        return False
    where = (b"\0" + block).find(b"\0" + entry + b"\0")
    if where < 0 or start + where + len(entry) > end:
        return False
    at = start + where + len(entry) - len(TAG_PLACEHOLDER)
    padded = value + b"\0" * (len(TAG_PLACEHOLDER) - len(value))
    ctypes.memmove(at, padded, len(padded))
    return True


class Server:
    """The server's loop: fork requests on ``control``, children's ends by SIGCHLD."""

    def __init__(self, control: socket.socket, cls: type[Any]) -> None:
        self.control, self.cls = control, cls
        self.selector = selectors.DefaultSelector()
        self.children: dict[int, socket.socket] = {}  # pid -> its status socket
        self.ended: set[int] = set()  # reported, not yet reaped (the harness still holds it)
        self.released: set[int] = set()  # the harness let go while the child still ran
        self.wake_r, wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(wake_w, False)
        self.wake_w = wake_w
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        self.selector.register(control, selectors.EVENT_READ, "control")
        self.selector.register(self.wake_r, selectors.EVENT_READ, "wake")

    def run(self) -> int:
        while True:
            for key, _ in self.selector.select():
                if key.data == "control":
                    if not self._fork_one():
                        return 0
                elif key.data == "wake":
                    with contextlib.suppress(BlockingIOError):
                        os.read(self.wake_r, 4096)
                    self._collect()
                else:
                    self._release(key.data)

    def _fork_one(self) -> bool:
        """Serve one request; False when the harness closed the socket (the server ends)."""
        try:
            payload, fds, _, _ = socket.recv_fds(self.control, REQUEST_LIMIT, 4)
        except OSError:
            return False
        if not payload:
            for fd in fds:
                os.close(fd)
            return False
        try:
            request = json.loads(payload)
            environment = request["env"]
            assert isinstance(environment, dict) and len(fds) == 4
        except (ValueError, KeyError, TypeError, AssertionError):
            for fd in fds:  # not a request: its sender sees its status socket close
                os.close(fd)
            return True
        status = socket.socket(fileno=fds[3])
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            self._child(environment, fds[:3], status)
        for fd in fds[:3]:
            os.close(fd)
        self.children[pid] = status
        self.selector.register(status, selectors.EVENT_READ, pid)
        with contextlib.suppress(OSError):
            status.send(STATUS.pack(b"p", pid))
        self._collect()  # it may have ended already
        return True

    def _child(self, environment: dict[str, str], fds: list[int],
               status: socket.socket) -> None:
        """In the forked child: become the run's host; never returns."""
        code = 1
        try:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            self.selector.close()
            for sock in (self.control, status, *self.children.values()):
                sock.close()
            os.close(self.wake_r)
            os.close(self.wake_w)
            os.setsid()
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
                os.close(fd)
            tag = environment.get(TAG_VARIABLE)
            if tag:
                retag(tag)
            os.environ.clear()  # the run's environment, whole: as Popen(env=...) gives it
            os.environ.update(environment)
            code = serve_class(self.cls, take_stdout())
        except SystemExit as exc:  # sys.exit in the connector: its code, as in a host
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:  # noqa: BLE001 -- the child must end here, never in the loop
            traceback.print_exc(limit=5)
        finally:
            with contextlib.suppress(BaseException):
                end_as_an_interpreter_does()
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)

    def _collect(self) -> None:
        """Report every child that ended since the last look (not reaped: see the module)."""
        for pid in list(self.children):
            if pid in self.ended:
                continue
            try:
                info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                info = None
            if info is None:
                continue
            if pid in self.released:
                self._reap(pid)
                continue
            self.ended.add(pid)
            code = info.si_status if info.si_code == os.CLD_EXITED else -info.si_status
            with contextlib.suppress(OSError):
                self.children[pid].send(STATUS.pack(b"x", code))

    def _release(self, pid: int) -> None:
        """The harness closed ``pid``'s status socket: reap it now, or when it ends."""
        status = self.children.get(pid)
        if status is None:
            return
        try:
            if status.recv(64, socket.MSG_DONTWAIT):
                return  # the harness never writes; nothing to do
        except BlockingIOError:
            return
        except OSError:
            pass  # a reset: let go as for an end
        if pid in self.ended:
            self._reap(pid)
        else:
            self.released.add(pid)
            self.selector.unregister(status)

    def _reap(self, pid: int) -> None:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        status = self.children.pop(pid)
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(status)
        status.close()
        self.ended.discard(pid)
        self.released.discard(pid)


def end_as_an_interpreter_does() -> None:
    """What a host started afresh does as its interpreter exits, before a forked one ends with
    ``os._exit``: wait for the threads that are not daemons (a connector's own, still sending),
    then run the ``atexit`` handlers (a connector's flush on exit). Without it a forked run
    would end sooner, and do less, than the same run in a fresh interpreter."""
    current = threading.current_thread()
    for thread in threading.enumerate():
        if thread is not current and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()  # the interpreter's own exit step, run by hand


#: the exit status of a server that will not fork (the harness then starts each run afresh)
NOT_FORKABLE = 3


def threads() -> int:
    """The threads of this process, as the kernel counts them: Python's and those a C
    extension started, which ``threading`` does not see."""
    try:
        return sum(1 for _ in Path("/proc/self/task").iterdir())
    except OSError:
        return 1


def main(argv: list[str]) -> int:
    fd, target, spec = int(argv[0]), argv[1], argv[2]
    control = socket.socket(fileno=fd)
    cls = load_target(target, spec)
    if cls is None:
        return 2
    if threads() > 1:
        # The connector's import started a thread (a token refresher, a telemetry client). A
        # fork copies only the forking thread, so a forked run would lack it, or inherit a lock
        # it held: such a connector runs in a fresh interpreter per run, as without a server.
        return NOT_FORKABLE
    return Server(control, cls).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
