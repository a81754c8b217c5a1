"""What the real server adds in front of the app: a Host check and a header-read deadline.

Issue 15 items 12 and 13. A web page that rebinds its own DNS name to 127.0.0.1 reaches the
fake bank with its own name in ``Host``: refused (403) unless the server was started with
``--allow-remote``, so ``/_control/journal`` cannot be read from a browser. A connection that
never finishes its request headers (half-open, or a "slowloris" one byte at a time) used to
be held forever; 20,000 of them locked every other client out. Each connection now has
``header_timeout`` seconds to send complete headers, from its start and again after each
response; an idle keep-alive connection (no byte since a response) is closed at uvicorn's
``timeout_keep_alive`` when that is shorter, by the connection's one timer (uvicorn's own
keep-alive timer, one made and cancelled per request, is not used).
Within that window a burst of sockets from one client could still hold a file descriptor each:
a client has at most ``max_per_client`` connections open; the next one closes its oldest
connection that is waiting for headers (half-open or idle), or, when every one is in the middle
of a request, is itself closed at once. Requests under way are never cut.
A request's head (its request line and headers), and the trailers of a chunked body, are at
most ``MAX_HEAD_BYTES``: httptools sets no bound and keeps a header's name and value whole
until they end, so one endless header or trailer grew the server without limit. A longer head
is answered 431 and its connection closed; it never reaches the app, so, like uvicorn's 400
for a request it cannot parse, it is not journaled (endless trailers: the app reads the body
as cut, and journals that).
In-process transports (ASGI, ``responses``) use the app directly, without these guards.
"""

from __future__ import annotations

import asyncio
from asyncio import TimerHandle
from collections import defaultdict
from typing import Any

import orjson
from uvicorn.protocols.http.httptools_impl import STATUS_LINE

from fake_core_bank.http.one_write import TurnWriteProtocol

#: Host names a loopback server answers to (with any port).
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
#: Seconds a connection has to send complete request headers (and an idle one to start).
HEADER_TIMEOUT = 10.0
#: Seconds an idle keep-alive connection (no byte since its last answer) is kept open.
KEEP_ALIVE = 5
#: Connections one client (peer address) may hold open at once: far above any connector's
#: pool (the concurrency tests use 32 threads), far below a process's descriptor limit.
MAX_PER_CLIENT = 256
#: seconds a deadline timer may fire before its due time and still count as due (timers of the
#: loop round to milliseconds): below that, it is not set again for a moment's wait
EARLY = 0.01
#: Host values a server remembers as loopback names (names times ports: a handful in use)
KNOWN_HOSTS = 64
#: Seconds a refused connection drops what its client still sends before it is closed
LINGER = 2.0
#: Bytes of a request's head (request line and headers) the server reads before it answers 431:
#: twice nginx's default and four times Node's, room for any token or cookie a connector sends
MAX_HEAD_BYTES = 64 * 1024


def host_name(host: str) -> str:
    """``127.0.0.1:8080`` -> ``127.0.0.1``; ``[::1]:80`` -> ``[::1]``."""
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class LoopbackHostOnly:
    """ASGI middleware: 403 for a request whose ``Host`` is not a loopback name."""

    def __init__(self, app: Any) -> None:
        self.app = app
        #: Host values found to name loopback (a client sends the same one with every
        #: request): not parsed again; at most KNOWN_HOSTS of them are kept
        self._loopback: set[bytes] = set()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            host = dict(scope.get("headers", [])).get(b"host")
            if host and host not in self._loopback:
                name = host_name(host.decode("latin-1").strip().lower())
                if name not in LOOPBACK_NAMES:
                    body = orjson.dumps({"error": f"Host {name[:100]!r} is not a loopback name; "
                                         "this bank answers 127.0.0.1, localhost or [::1] only "
                                         "(drawbridge serve --allow-remote serves other names)"})
                    await send({"type": "http.response.start", "status": 403, "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode())]})
                    await send({"type": "http.response.body", "body": body})
                    return
                if len(self._loopback) < KNOWN_HOSTS:
                    self._loopback.add(host)
        await self.app(scope, receive, send)


def deadline_protocol(seconds: float, max_per_client: int = MAX_PER_CLIENT,
                      max_head_bytes: int = MAX_HEAD_BYTES) -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol, closing connections that do not send headers in time and
    keeping each client to ``max_per_client`` open connections (one table per server); each
    answer goes out in one write (:mod:`fake_core_bank.http.one_write`)."""
    if max_per_client < 1:
        raise ValueError(f"max_per_client must be at least 1, not {max_per_client}")
    if max_head_bytes < 1:
        raise ValueError(f"max_head_bytes must be at least 1, not {max_head_bytes}")
    feed = TurnWriteProtocol.data_received  # uvicorn's, called without a super() per read

    class HeaderDeadline(TurnWriteProtocol):
        #: when this connection must have sent complete headers (loop time); None: it has
        _due: float | None = None
        #: the one timer of this connection, re-aimed at ``_due`` when it fires early: a
        #: timer made and cancelled for each request cost 1.6 us of uvloop's (issue 19)
        _timer: TimerHandle | None = None
        _timer_at = 0.0  # loop time the timer is aimed at
        _peer: str | None = None
        #: loop time of the last answer, until the next request's first byte
        _answered: float | None = None
        #: a request has begun and its headers are not complete yet
        _begun = False
        #: what is being read that is neither a body nor done: 0 nothing, 1 a request's head,
        #: 2 a chunk's size line or the trailers after the last chunk
        _framing = 0
        #: heads and chunk headers begun on this connection, and bytes read wholly inside the
        #: current one
        _frames = 0
        _framing_bytes = 0
        #: refused: what comes is dropped until the client closes or LINGER seconds pass
        _lingering = False

        def _waiting_for_headers(self) -> bool:
            return self._due is not None

        def _admit(self) -> bool:
            """Count this connection for its client; False when it was closed at once."""
            self._peer = self.client[0] if self.client else ""
            mine = open_by_client[self._peer]
            if len(mine) >= max_per_client:
                victim = next((c for c in mine if c._waiting_for_headers()), None)
                if victim is None:  # all busy with requests: refuse the newcomer, cut nothing
                    self.transport.close()
                    return False
                victim._forget()
                victim.transport.close()
            mine[self] = None
            return True

        def _forget(self) -> None:
            if self._peer is None:
                return
            mine = open_by_client.get(self._peer)
            if mine is not None:
                mine.pop(self, None)
                if not mine:
                    del open_by_client[self._peer]
            self._stop_timer()

        def _aim(self, due: float) -> None:
            """Close at ``due`` unless the headers come first: the one timer fires no later,
            made again only when it was aimed later than that (an idle window shorter than
            the one the timer was aimed for); a timer aimed earlier re-aims when it fires."""
            self._due = due
            timer = self._timer
            if timer is None or self._timer_at > due:
                if timer is not None:
                    timer.cancel()
                self._timer_at = due
                self._timer = self.loop.call_at(due, self._expire)

        def _disarm(self) -> None:
            self._due = None  # a pending timer finds nothing due, and is made again when needed

        def _expire(self) -> None:
            self._timer = None
            due = self._due
            if due is None:
                return
            if due - self.loop.time() > EARLY:  # armed again since the timer was set: wait on
                self._timer_at = due
                self._timer = self.loop.call_at(due, self._expire)
                return
            self._due = None
            if self.cycle is None or self.cycle.response_complete:
                self.transport.close()

        def _stop_timer(self) -> None:
            self._due = None
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if self._admit():
                self._aim(self.loop.time() + seconds)

        def on_headers_complete(self) -> None:
            self._disarm()
            self._begun = False
            self._framing = 0
            super().on_headers_complete()

        def data_received(self, data: bytes) -> None:
            if self._lingering:
                return
            frames, framing = self._frames, self._framing
            if framing == 2:
                cycle = self.cycle
                before = len(cycle.body)
            feed(self, data)
            # Counted: reads that began and ended inside one head (or one chunk's header, the
            # last one's trailers included), every byte of them its own. A head is then at
            # most its count and the reads that began and ended it, two reads of the loop's
            # (at most 256 KB each) beside ``max_head_bytes``; a read that holds the end of one
            # and the start of the next counts for neither, so no head of ``max_head_bytes`` or
            # less is ever refused.
            if framing and self._framing == framing and self._frames == frames:
                if framing == 2 and (self.cycle is not cycle or len(cycle.body) != before):
                    self._framing = 0  # the chunk's body is coming: that is no header
                    return
                self._framing_bytes += len(data)
                if self._framing_bytes > max_head_bytes and not self.transport.is_closing():
                    self._refuse_head()

        def on_chunk_header(self) -> None:
            self._framing = 2
            self._frames += 1
            self._framing_bytes = 0

        def on_chunk_complete(self) -> None:
            self._framing = 0

        def _refuse_head(self) -> None:
            # In a head, the cycle is the last request's (answered); in trailers, this one's:
            # an app that already answered it gets no second answer, the connection just ends.
            if self._framing == 2 and self.cycle.response_started:
                self.transport.close()
                return
            message = (f"Request line, headers or trailers longer than {max_head_bytes} "
                       "bytes: send fewer or shorter headers.").encode()
            content = [STATUS_LINE[431]]
            for name, value in self.server_state.default_headers:
                content += (name, b": ", value, b"\r\n")
            content.append(b"content-type: text/plain; charset=utf-8\r\ncontent-length: %d\r\n"
                           b"connection: close\r\n\r\n%s" % (len(message), message))
            self.transport.write(b"".join(content))
            # A lingering close: the answer and the end of this side go out now, and what the
            # client still sends is read and dropped until it closes, or LINGER seconds. Closed
            # at once, unread bytes made the kernel reset the connection, and the client lost
            # the answer it had not read yet.
            self._lingering = True
            self.transport.flush()  # type: ignore[attr-defined]  # TurnWrites: now, not at the turn's end
            self.transport.write_eof()
            self._stop_timer()
            self.loop.call_later(LINGER, self.transport.close)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._begun = True
            self._framing = 1
            self._frames += 1
            self._framing_bytes = 0
            answered = self._answered
            if answered is not None:  # the first byte since an answer: no longer idle, and
                self._answered = None  # the headers have their window from that answer
                self._due = answered + seconds

        def on_response_complete(self) -> None:
            # uvicorn's own, but for its keep-alive timer: a uvloop timer made after every
            # answer and cancelled by the next request cost 1.7 us (issue 19). This connection's
            # one timer closes an idle connection instead, at the keep-alive timeout (or the
            # header window, if shorter), until the next request's first byte.
            self.server_state.total_requests += 1
            if self.transport.is_closing():
                return
            self.flow.resume_reading()
            if self.pipeline:  # the next request came whole: under way, neither idle nor
                cycle, app = self.pipeline.pop()  # waiting for headers (never a victim)
                self._start_asgi_task(cycle, app)
                return
            now = self.loop.time()
            if self._begun:  # the next request began before this answer: its header window
                self._aim(now + seconds)
            else:  # idle until its first byte
                self._answered = now
                self._aim(now + min(self.timeout_keep_alive, seconds))

        def connection_lost(self, exc: Exception | None) -> None:
            self._forget()
            self._stop_timer()
            super().connection_lost(exc)

    # peer host -> its open connections, oldest first (dicts keep insertion order)
    open_by_client: defaultdict[str, dict[HeaderDeadline, None]] = defaultdict(dict)
    return HeaderDeadline
