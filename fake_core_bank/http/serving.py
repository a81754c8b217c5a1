"""Serving an ASGI app on a real socket, and cutting a connection off mid-answer.

What the fake bank's server (:mod:`fake_core_bank.server`), the recording proxy
(:mod:`harness.recording.proxy`) and the mutating proxy share, written once (issue 17).

>>> with ThreadedServer(app, name="my proxy") as server:           # doctest: +SKIP
...     httpx.get(server.base_url + "/").status_code
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
import time
from types import FrameType, TracebackType
from typing import Any, NoReturn, Self

import uvicorn

#: How long :meth:`ThreadedServer.start` waits for uvicorn (a loaded machine is slow to start)
START_SECONDS = 10.0


class ConnectionDropped(Exception):  # noqa: N818 -- it names what the client sees
    """Raised after the response started, so the server closes the connection mid-answer."""


class BodyCut(Exception):  # noqa: N818 -- names what happened to the request
    """The connection closed before the request's body ended: the request never came whole,
    so nothing acts on it (a gateway in front of a core would not pass it on either)."""

    def __init__(self, received: int, kept: bytes = b"") -> None:
        super().__init__(f"the connection closed after {received} bytes of the request's body, "
                         "before it ended: not processed")
        self.kept = kept  # what the reader kept of it (a proxy passes it on, and the close)


async def read_body(receive: Any, limit: int,
                    first: dict[str, Any] | None = None) -> tuple[bytes, int]:
    """A request's body from ASGI ``receive`` (``first``: its first message, already read):
    at most its first ``limit + 1`` bytes, and its whole length, which may be more (nothing
    past that is kept). Raises :class:`BodyCut` when the connection closes before it ends.
    The fake bank, the recording proxy and the mutating proxy read bodies with it."""
    chunks: list[bytes] = []
    kept = size = 0
    message = first if first is not None else await receive()
    while True:
        if message["type"] == "http.disconnect":
            raise BodyCut(size, b"".join(chunks))
        chunk = message.get("body", b"")
        size += len(chunk)
        if kept <= limit and chunk:
            chunks.append(chunk[:limit + 1 - kept])
            kept += len(chunks[-1])
        if not message.get("more_body", False):
            return b"".join(chunks), size
        message = await receive()


class _QuietDrops(logging.Filter):
    """A cut is on purpose: uvicorn would log it as an application error with a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, ConnectionDropped)


logging.getLogger("uvicorn.error").addFilter(_QuietDrops())


async def cut_connection(send: Any, start: dict[str, Any], reason: str) -> NoReturn:
    """Send ``start`` (an ``http.response.start`` whose ``content-length`` promises a body),
    then cut the connection: the client sees a broken answer, as when a gateway dies after the
    core committed, and no body ever comes."""
    await send(start)
    raise ConnectionDropped(reason)


class ThreadedServer:
    """``app`` served by uvicorn on ``host`` (a socket bound at once, so ``port`` 0 has chosen a
    free port before anything starts), in a daemon thread (``start``/``stop``, or ``with``) or
    in the foreground until Ctrl-C (``serve_forever``). ``options`` go to ``uvicorn.Config``.
    Binding raises ``OSError``, which a command turns into its own one-line error."""

    def __init__(self, app: Any, *, name: str, host: str = "127.0.0.1", port: int = 0,
                 **options: Any) -> None:
        self.name = name
        self.host = host
        self._socket = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self._socket.bind((host, port))
        except OSError:
            self._socket.close()
            raise
        self.port: int = self._socket.getsockname()[1]
        settings: dict[str, Any] = {"log_level": "warning", "access_log": False,
                                    "timeout_graceful_shutdown": 1, **options}
        self.server = uvicorn.Server(uvicorn.Config(app, **settings))
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def stop_on_signals(self) -> None:
        """From now on (main thread), SIGINT and SIGTERM stop :meth:`serve_forever`, also when
        they come before uvicorn's own handlers are in place (it then starts and stops at
        once) instead of raising wherever the main thread is, which once swallowed the signal
        in a weakref callback and served on."""

        def on_signal(_signum: int, _frame: FrameType | None) -> None:
            self.server.should_exit = True

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)

    def serve_forever(self) -> None:
        """Serve in this thread until Ctrl-C (the commands that serve in the foreground)."""
        try:
            self.server.run(sockets=[self._socket])
        finally:
            self._socket.close()

    def _run(self) -> None:
        try:
            self.server.run(sockets=[self._socket])
        except SystemExit:
            pass  # uvicorn's word for "startup failed" (it logged why): start() says so

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._run,
                                        name=f"{self.name.replace(' ', '-')}-{self.port}",
                                        daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_SECONDS
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the {self.name} did not start within {START_SECONDS:g} s")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._socket.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
