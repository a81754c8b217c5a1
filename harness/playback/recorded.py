"""Answer ``requests`` traffic from a recording, in order, in process.

Each request takes the first unused recorded exchange with the same method and path (query
included when the recording has one). A recorded exchange without an answer (a dropped
connection) raises ``requests.ConnectionError`` again. A request the recording cannot answer is
answered 599 with the reason, and the context manager raises at exit, listing every such request
and the candidates it missed, so a test never passes on an unexpected call.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import orjson

from harness.playback.asgi import AsgiResponse, Dropped
from harness.playback.mount import mount_handler
from harness.recording.store import Exchange, encode_body, read_recording


class UnexpectedRequests(AssertionError):  # noqa: N818 -- reported natively by pytest
    """Requests the recording had no answer for."""


class RecordedAnswers:
    """The handler: recorded exchanges consumed in order."""

    def __init__(self, exchanges: Sequence[Exchange]) -> None:
        self.exchanges = list(exchanges)
        self.used = [False] * len(self.exchanges)
        self.unexpected: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, method: str, url: str, headers: list[tuple[str, str]],
                 body: bytes) -> AsgiResponse:
        parts = urlsplit(url)
        with self.lock:
            for index, exchange in enumerate(self.exchanges):
                if self.used[index] or exchange.method != method.upper() \
                        or exchange.path != parts.path \
                        or (exchange.query and exchange.query != parts.query):
                    continue
                self.used[index] = True
                return self._answer(exchange, method, url)
            why = self._candidates(method, parts.path)
            self.unexpected.append(f"{method} {parts.path}: {why}")
        problem = {"title": "not in the recording", "detail": why}
        return AsgiResponse(599, [("content-type", "application/problem+json")],
                            orjson.dumps(problem))

    @staticmethod
    def _answer(exchange: Exchange, method: str, url: str) -> AsgiResponse:
        if exchange.status is None:
            raise Dropped(f"{method} {url}: recorded without an answer "
                          f"({exchange.error or 'connection lost'})")
        headers = [(k, v) for k, v in exchange.response_headers
                   if k.lower() not in ("content-length", "transfer-encoding",
                                        "content-encoding")]
        return AsgiResponse(exchange.status, headers, encode_body(exchange.response_body))

    def _candidates(self, method: str, path: str) -> str:
        left = [f"#{e.seq} {e.method} {e.path}" for e, used in zip(self.exchanges, self.used,
                                                                   strict=True) if not used]
        if not left:
            return "every recorded exchange has been used"
        same_path = [c for c in left if c.endswith(" " + path)]
        hint = f" (same path, other method: {', '.join(same_path)})" if same_path else ""
        return f"no unused {method} {path} in the recording{hint}; unused: {', '.join(left[:8])}"


@contextmanager
def mount_recording(recording: Path | Sequence[Exchange], *,
                    base_url: str | None = None) -> Iterator[str]:
    """Serve a recording (file or exchanges) to ``requests`` code; yields the base URL.

    >>> with mount_recording(Path("sandbox.jsonl")) as url:               # doctest: +SKIP
    ...     ReferenceConnector(url, version="v2").get_credit_line("CL000001")
    """
    exchanges = read_recording(recording) if isinstance(recording, Path) else recording
    answers = RecordedAnswers(exchanges)
    with mount_handler(answers, base_url=base_url) as url:
        yield url
    if answers.unexpected:
        raise UnexpectedRequests("requests the recording could not answer:\n  "
                                 + "\n  ".join(answers.unexpected))
