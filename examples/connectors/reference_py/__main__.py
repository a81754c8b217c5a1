"""Serve :class:`ReferenceConnector` over the command driver's protocol (stdin/stdout JSON lines).

``python -m examples.connectors.reference_py`` is what the connector image runs: the harness
starts it with ``DRAWBRIDGE_BANK_URL`` and ``DRAWBRIDGE_CORE_VERSION`` set, writes one request
per line (``{"op": "draw-down", "line": ..., "amount": {"minor": ..., "currency": ...}, ...}``)
and reads one outcome per line. ``{"op": "hello"}`` answers the identity. End of input ends the
process. Deliberately free of Drawbridge imports: a connector image carries only the connector.

Example::

    $ echo '{"op": "hello"}' | DRAWBRIDGE_BANK_URL=http://127.0.0.1:8080 \\
        python -m examples.connectors.reference_py
    {"name": "reference-python", "version": "1.0.0", "contracts": ["v2", "v3"]}
"""

from __future__ import annotations

import json
import os
import sys
from typing import TextIO

from examples.connectors.reference_py.connector import ReferenceConnector
from examples.connectors.reference_py.operations import perform


def serve(stdin: TextIO, stdout: TextIO, environ: dict[str, str]) -> int:
    """Answer requests until end of input; returns the exit code."""
    bank_url = environ.get("DRAWBRIDGE_BANK_URL")
    if not bank_url:
        print("DRAWBRIDGE_BANK_URL is not set; the harness sets it (docker run -e ...)",
              file=sys.stderr)
        return 2
    connector = ReferenceConnector(bank_url, version=environ.get("DRAWBRIDGE_CORE_VERSION", "v2"))
    try:
        for line in stdin:
            if not line.strip():
                continue
            try:
                request = json.loads(line)
                if not isinstance(request, dict):
                    raise TypeError("a request must be a JSON object")
                answer = perform(connector, request)
            except Exception as exc:  # noqa: BLE001 -- every error is an answer, never a crash
                answer = {"outcome": "failed", "detail": f"{type(exc).__name__}: {exc}"}
            stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
            stdout.flush()
    finally:
        connector.close()
    return 0


if __name__ == "__main__":
    sys.exit(serve(sys.stdin, sys.stdout, dict(os.environ)))
