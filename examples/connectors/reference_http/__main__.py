"""Serve the reference connector over HTTP: ``python -m examples.connectors.reference_http``.

Listens on ``--host``/``--port``, by default ``DRAWBRIDGE_CONNECTOR_HOST`` (127.0.0.1) and
``DRAWBRIDGE_CONNECTOR_PORT`` (8765): the container driver sets the port for each container it
starts. ``--port 0`` picks a free port. Once it listens it prints one line,
``listening on http://HOST:PORT``, so whoever started it knows where to find it.

Example::

    $ python -m examples.connectors.reference_http --port 8765 &
    listening on http://127.0.0.1:8765
    $ drawbridge run --connector http://127.0.0.1:8765
"""

from __future__ import annotations

import argparse
import os
import socket
import sys

import uvicorn

from examples.connectors.reference_http.app import create_app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m examples.connectors.reference_http")
    parser.add_argument("--host", default=os.environ.get("DRAWBRIDGE_CONNECTOR_HOST",
                                                         "127.0.0.1"))
    port = os.environ.get("DRAWBRIDGE_CONNECTOR_PORT", "8765")
    if not port.isdigit():
        print(f"DRAWBRIDGE_CONNECTOR_PORT={port!r} is not a port number; set 0-65535",
              file=sys.stderr)
        return 2
    parser.add_argument("--port", type=int, default=int(port))
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port {args.port} is not a TCP port; use 0-65535 (0: any free port)")
    # Bind first, so that --port 0 can say which port it got before serving.
    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 2
    # Listen before saying so: a client that connects between "listening on" and uvicorn's own
    # listen() would be refused (seen on a loaded machine).
    sock.listen(2048)
    host, port = sock.getsockname()[:2]
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning", access_log=False))
    print(f"listening on http://{host}:{port}", flush=True)
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
