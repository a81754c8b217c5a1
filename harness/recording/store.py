"""Recordings: request/response pairs, as JSON lines (``drawbridge/recording@1``) or HAR.

A recording file starts with a header line ``{"format": "drawbridge/recording@1", "upstream":
...}`` and holds one exchange per line, written and flushed as it completes, so a proxy killed
mid-session leaves every finished exchange readable. Bodies are parsed JSON when the content
type says JSON, text otherwise. HAR files (browser devtools exports, ``.har`` or any JSON with
``log.entries``) load into the same :class:`Exchange` form.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import orjson

from fake_core_bank.errors import InputError
from harness.paths import open_new_stream

FORMAT = "drawbridge/recording@1"


@dataclass
class Exchange:
    """One request and its answer (``status`` None: no answer, see ``error``)."""

    seq: int
    method: str
    path: str  # as the upstream saw it, e.g. /v2/credit-lines/CL000001
    query: str = ""
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    request_body: Any = None
    status: int | None = None
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    response_body: Any = None
    error: str | None = None
    elapsed: float = 0.0  # wall seconds since the recording began (evidence only)

    def header(self, name: str, *, response: bool = True) -> str | None:
        pairs = self.response_headers if response else self.request_headers
        return next((v for k, v in pairs if k.lower() == name.lower()), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "elapsed": round(self.elapsed, 3),
            "request": {"method": self.method, "path": self.path, "query": self.query,
                        "headers": [list(h) for h in self.request_headers],
                        "body": self.request_body},
            "response": None if self.status is None else {
                "status": self.status, "headers": [list(h) for h in self.response_headers],
                "body": self.response_body},
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Exchange:
        request = data["request"]
        response = data.get("response") or {}
        return cls(
            seq=int(data["seq"]), method=str(request["method"]).upper(),
            path=str(request["path"]), query=str(request.get("query") or ""),
            request_headers=[(str(k), str(v)) for k, v in request.get("headers") or []],
            request_body=request.get("body"),
            status=response.get("status"),
            response_headers=[(str(k), str(v)) for k, v in response.get("headers") or []],
            response_body=response.get("body"), error=data.get("error"),
            elapsed=float(data.get("elapsed") or 0.0),
        )


def decode_body(raw: bytes, content_type: str | None) -> Any:
    """JSON bodies parsed (so redaction and inference see fields), others as text."""
    if not raw:
        return None
    if content_type and "json" in content_type.lower():
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return raw.decode("utf-8", errors="replace")


def encode_body(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    return orjson.dumps(body)


class RecordingWriter:
    """Appends exchanges to a JSON-lines file, one flushed line each, safe across threads."""

    def __init__(self, path: Path, upstream: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._file: IO[bytes] = open_new_stream(path)
        self._seq = 0
        self._file.write(orjson.dumps({"format": FORMAT, "upstream": upstream,
                                       "redacted": True}) + b"\n")

    def next_seq(self) -> int:
        with self._lock:
            self._seq += 1
            return self._seq

    def write(self, exchange: Exchange) -> None:
        with self._lock:
            self._file.write(orjson.dumps(exchange.to_dict()) + b"\n")

    def close(self) -> None:
        with self._lock:
            self._file.close()


def read_recording(path: Path) -> list[Exchange]:
    """A recording (JSON lines) or a HAR file, in the order the requests were sent."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), "file not found", "check the recording's path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read: {exc}", "name a recording file") from None
    stripped = text.lstrip()
    if path.suffix.lower() == ".har" or (stripped.startswith("{") and '"log"' in text[:2000]
                                         and "\n{" not in stripped):
        return read_har(path, text)
    return _read_lines(path, text)


def _read_lines(path: Path, text: str) -> list[Exchange]:
    exchanges = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}", f"not a JSON line ({exc.msg})",
                             "a recording holds one JSON object per line; a cut-off last line "
                             "can be deleted") from None
        if number == 1 and isinstance(data, dict) and "format" in data:
            if data["format"] != FORMAT:
                raise InputError(f"{path}:1", f"unknown format {data['format']!r}",
                                 f"record with `drawbridge record` ({FORMAT}) or pass a .har")
            continue
        try:
            exchanges.append(Exchange.from_dict(data))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}:{number}", f"not an exchange (missing {exc})",
                             "each line needs request.method and request.path") from None
    return exchanges


def read_har(path: Path, text: str) -> list[Exchange]:
    """HAR 1.2 (``log.entries[]``) as exchanges; bodies decoded by their MIME type."""
    try:
        entries = json.loads(text)["log"]["entries"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError(str(path), f"not a HAR file ({exc})",
                         "export the network log as HAR from the browser's devtools") from None
    exchanges = []
    for index, entry in enumerate(entries):
        where = f"{path} log.entries[{index}]"
        try:
            request, response = entry["request"], entry.get("response") or {}
            url = urlsplit(request["url"])
            post = request.get("postData") or {}
            content = response.get("content") or {}
            status = int(response.get("status") or 0)
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(where, f"missing {exc}", "each entry needs request.url") from None
        exchanges.append(Exchange(
            seq=index + 1, method=str(request.get("method", "GET")).upper(),
            path=url.path or "/", query=url.query,
            request_headers=[(h["name"], h["value"]) for h in request.get("headers") or []],
            request_body=decode_body((post.get("text") or "").encode(), post.get("mimeType")),
            # HAR writes status 0 for a request that got no answer.
            status=status or None,
            response_headers=[(h["name"], h["value"]) for h in response.get("headers") or []],
            response_body=decode_body((content.get("text") or "").encode(),
                                      content.get("mimeType")),
            error=None if status else "no response",
        ))
    return exchanges
