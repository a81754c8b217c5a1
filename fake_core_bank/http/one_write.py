"""What an answer writes goes to the socket in one write, at the end of the loop's turn (issue 19).

uvicorn writes the status line and headers of an answer when the app sends
``http.response.start`` and the body when it sends ``http.response.body``: two ``write``
system calls, two TCP segments on loopback and two wake-ups of the client for an answer of a
few hundred bytes, each made while the app is still at work on the request. The fake bank's
server (:func:`fake_core_bank.http.guards.deadline_protocol`) keeps what a connection writes
during one turn of the event loop and writes it all at once, in one call, as the next turn
begins. The bytes on the wire are the same, in the same order; fewer segments carry them, and
the client is woken once per answer. Measured in server CPU per POST drawdown under the bench's
load, against uvicorn's two writes: docs/benchmarks.md, the levers table.

Nothing waits longer than the turn: a ``100 Continue``, a streamed answer's chunks and uvicorn's
own error answers go out as that turn ends, and closing a connection writes what it holds first
(an answer cut after its headers still shows them, as before).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class TurnWrites:
    """The transport of one connection as uvicorn's protocol and its answers see it: writes of
    one loop turn are kept and go out together, in one write, as soon as the loop comes round."""

    __slots__ = ("_held", "_loop", "transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self.transport = transport
        self._loop = loop
        self._held: list[bytes] | None = None

    def write(self, data: bytes) -> None:
        held = self._held
        if held is None:
            self._held = [data]
            self._loop.call_soon(self.flush)
        else:
            held.append(data)

    def flush(self) -> None:
        """Write what this turn wrote; dropped when the connection is already going."""
        held = self._held
        if held is None:
            return
        self._held = None
        if not self.transport.is_closing():
            self.transport.write(held[0] if len(held) == 1 else b"".join(held))

    def close(self) -> None:
        self.flush()
        self.transport.close()

    def abort(self) -> None:
        self._held = None
        self.transport.abort()

    def is_closing(self) -> bool:
        return self.transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.transport.get_extra_info(name, default)

    def pause_reading(self) -> None:
        self.transport.pause_reading()

    def resume_reading(self) -> None:
        self.transport.resume_reading()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self.flush()  # an upgrade: what was written before it goes first
        self.transport.set_protocol(protocol)

    def __getattr__(self, name: str) -> Any:
        # Whatever else an upgraded protocol asks of its transport (writelines, write_eof,
        # buffer limits) is the real transport's: set_protocol flushed before it took over.
        return getattr(self.transport, name)


class TurnWriteProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, writing what each connection wrote in a turn at once."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = TurnWrites(transport, self.loop)  # type: ignore[assignment]
