"""Requests and answers as the mutating proxy sees them, and the same view of journal entries.

Operators read and rewrite these, never raw ASGI messages, and decide whether they apply from the
clean run's journal through :class:`Exchange`, the one shape both sides share.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Self

import orjson

from fake_core_bank.fake import RUN_PREFIX
from fake_core_bank.http.app import split_run_prefix as bank_split

Headers = tuple[tuple[str, str], ...]


def split_run_prefix(path: str) -> tuple[str, str]:
    """``/_run/3/v2/credit-lines/CL1`` -> (``/_run/3``, ``/v2/credit-lines/CL1``); a path
    without the prefix -> ("", path). The harness puts the prefix (fake_core_bank/fake.py
    ``run_prefix``) before every path of one scenario run, so the bank can fence a late request
    of an earlier run; the journal records the path without it, and operators read and rewrite
    that path."""
    epoch, route = bank_split(path)
    return ("" if epoch is None else f"{RUN_PREFIX}{epoch}"), route


def _get(headers: Headers, name: str) -> str | None:
    return next((v for k, v in headers if k == name), None)


def _without(headers: Headers, *names: str) -> Headers:
    return tuple((k, v) for k, v in headers if k not in names)


def parse_json(body: bytes) -> Any:
    """The body as JSON, or None when it is empty or not JSON."""
    if not body:
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None


class _Message:
    """Headers and a body: what requests and answers share (a mixin of the dataclasses below)."""

    headers: Headers
    body: bytes

    def header(self, name: str) -> str | None:
        return _get(self.headers, name)

    def without_headers(self, *names: str) -> Self:
        return replace(self, headers=_without(self.headers, *names))  # type: ignore[type-var]

    def json(self) -> Any:
        return parse_json(self.body)

    def with_json(self, data: Any) -> Self:
        return replace(self, body=orjson.dumps(data))  # type: ignore[type-var]


@dataclass(frozen=True)
class WireRequest(_Message):
    method: str
    path: str  # with the version prefix: /v2/credit-lines/CL000001
    query: str
    headers: Headers  # names in lower case
    body: bytes

    def with_header(self, name: str, value: str) -> WireRequest:
        return replace(self, headers=(*_without(self.headers, name), (name, value)))

    @property
    def route(self) -> str:
        """The path the bank routes (as the journal records it), without the run's prefix."""
        return split_run_prefix(self.path)[1]

    def with_route(self, route: str) -> WireRequest:
        """The request sent to ``route`` instead, still within its scenario run."""
        return replace(self, path=split_run_prefix(self.path)[0] + route)

    @property
    def version(self) -> str:
        return self.route[1:].partition("/")[0]


@dataclass(frozen=True)
class WireResponse(_Message):
    status: int
    headers: Headers  # without content-length: the proxy sets it for the body it sends
    body: bytes


@dataclass(frozen=True)
class Exchange:
    """One request and its answer (``status`` None: the connection was cut)."""

    method: str
    path: str
    request_headers: dict[str, str]
    request_body: Any
    status: int | None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: Any = None

    @property
    def version(self) -> str:
        return self.path[1:].partition("/")[0]

    @classmethod
    def from_journal(cls, entry: dict[str, Any]) -> Exchange:
        return cls(str(entry.get("method")), str(entry.get("path")),
                   dict(entry.get("request_headers") or {}), entry.get("request_body"),
                   entry.get("status"), dict(entry.get("response_headers") or {}),
                   entry.get("response_body"))

    @classmethod
    def live(cls, request: WireRequest, response: WireResponse | None) -> Exchange:
        return cls(request.method, request.route, dict(request.headers), request.json(),
                   None if response is None else response.status,
                   {} if response is None else dict(response.headers),
                   None if response is None else response.json())


def walk_dicts(data: Any) -> list[dict[str, Any]]:
    """Every JSON object in ``data``, outermost first (operators rewrite them in place)."""
    found: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found
