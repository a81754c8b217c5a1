"""A minimal HTTP/1.1 client over a raw socket: bytes out, (status, headers, body) back.

httpx and requests refuse to send most of what these tests send (bad methods, bytes that are not
UTF-8 in a path, duplicate or absurd headers), so the requests are written by hand and the
answers parsed just enough to check the status and keep the connection alive.
"""

from __future__ import annotations

import socket


class Closed(Exception):  # noqa: N818 -- names what happened to the connection
    """The server closed the connection without a complete answer."""


class RawConnection:
    def __init__(self, port: int, timeout: float = 10.0) -> None:
        self.port = port
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.buffer = b""

    def _connect(self) -> socket.socket:
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.buffer = b""
        return self.sock

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def _fill(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(65536)
        if not chunk:
            raise Closed("connection closed by the server")
        self.buffer += chunk

    def exchange(self, request: bytes, *, head: bool = False) -> tuple[int, dict[str, str], bytes]:
        """Send one request and read one answer; reconnects first when the last one closed."""
        sock = self._connect()
        try:
            sock.sendall(request)
        except OSError as exc:  # the server closed after its previous answer: one retry
            self.close()
            raise Closed(str(exc)) from exc
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        raw_head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = raw_head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = 0 if head or status in (204, 304) else int(headers.get("content-length", "0"))
        while len(self.buffer) < length:
            self._fill()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body


def request_bytes(method: bytes, target: bytes, headers: list[tuple[bytes, bytes]],
                  body: bytes) -> bytes:
    """One well-framed HTTP/1.1 request (Host and Content-Length always right)."""
    out = [method + b" " + target + b" HTTP/1.1", b"Host: 127.0.0.1"]
    out += [name + b": " + value for name, value in headers]
    out.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join(out) + b"\r\n\r\n" + body
