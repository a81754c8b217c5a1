"""The fake bank's ASGI application.

``/vN/...`` goes through the contract of version N: route (versions, rolling upgrades),
maintenance, faults, request validation, the version's adapter, response validation, journal.
``/_control/...`` is the control API (see :mod:`fake_core_bank.http.control`).
``GET /`` is a JSON index of both; everything else is a 404. The app never answers 5xx for a
client's malformed request.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, quote

import orjson

from fake_core_bank.contracts import Contract, Operation, coerce
from fake_core_bank.domain.faults import FAULTS, FaultKind
from fake_core_bank.domain.journal import MAX_BODY_TEXT, JournalEntry, capped_headers
from fake_core_bank.domain.ledger_store import SpillReadError
from fake_core_bank.domain.model import Reason, Refusal
from fake_core_bank.domain.secrets import HeaderPolicy, mask_query
from fake_core_bank.domain.versions import Route
from fake_core_bank.fake import RUN_PREFIX, FakeBank
from fake_core_bank.http.adapters.base import Adapter
from fake_core_bank.http.serving import BodyCut, cut_connection, read_body
from fake_core_bank.http.wire import ADDITIVE, JSON, Reply, Request, iso_full

MAX_BODY = 1024 * 1024

Scope = dict[str, Any]


def dump_body(body: Any) -> bytes:
    """An answer's body as JSON bytes. orjson refuses integers beyond 64 bits, which a valid
    request can make the bank echo (``?page=`` has no maximum in the contracts): the standard
    library writes those, so such a request is answered, never a 500.

    >>> dump_body({"page": 2**70})
    b'{"page":1180591620717411303424}'
    """
    try:
        return orjson.dumps(body)
    except orjson.JSONEncodeError:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


#: what ``quote(text, safe="/")`` leaves as it is: ASCII letters and digits, ``_.-~`` and ``/``
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~/-]*")


def quote_path(path: str) -> str:
    """``path`` percent-encoded as ``quote(path, safe="/")`` would, without its work when there
    is nothing to encode (every path a connector means to send: issue 19).

    >>> quote_path("/v2/credit-lines/CL000001"), quote_path("/v2/a b")
    ('/v2/credit-lines/CL000001', '/v2/a%20b')
    """
    return path if _UNQUOTED.fullmatch(path) else quote(path, safe="/")


def split_run_prefix(path: str) -> tuple[str | None, str]:
    """``/_run/7/v2/x`` -> ``("7", "/v2/x")``; a path without the run prefix -> ``(None, path)``.

    >>> split_run_prefix("/_run/7/v2/credit-lines")
    ('7', '/v2/credit-lines')
    """
    if not path.startswith(RUN_PREFIX):
        return None, path
    epoch, _, rest = path[len(RUN_PREFIX):].partition("/")
    return epoch, "/" + rest


class BankApp:
    """ASGI callable serving a :class:`FakeBank`."""

    def __init__(self, bank: FakeBank, *, token: str | None = None,
                 headers: HeaderPolicy | None = None) -> None:
        from fake_core_bank.http.control import control_app

        self.bank = bank
        self.token = token
        #: which request header values the journal keeps (the rest: "[redacted]")
        self.header_policy = headers or HeaderPolicy()
        self.control = control_app(bank, token)
        #: the core model this bank speaks (docs/core-models.md)
        self.model = bank.model
        # Contracts compile on first use (kept once per process): a server asked only for /v2
        # never waits for v1 and v3, which was a fifth of its start (issue 8).
        self.versions = frozenset(self.model.versions)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        if path.startswith("/_control"):
            await self.control(scope, receive, send)
            return
        try:
            body, too_large = await _read_body(receive)
        except BodyCut as cut:
            # journaled, not as an exchange (no oracle reads it as one): nothing was done
            self.bank.journal.append(JournalEntry(
                seq=0, at=self.bank.core.now().isoformat(), kind="cut",
                method=scope["method"], path=quote_path(path), note=str(cut)))
            return
        epoch, path = split_run_prefix(path)
        if epoch is not None and epoch != str(self.bank.epoch):
            await self._fenced(scope, epoch, path, send)
            return
        if path == "/" and scope["method"] in ("GET", "HEAD"):
            await _send(send, 200, orjson.dumps(self.index()), JSON, {})
            return
        version, rest = self.model.routing.split(path, self.versions)
        if version is not None and version not in self.versions:
            await _send(send, 404, orjson.dumps({"code": "E1002", "message": "no such API"}),
                        JSON, {})
            return
        failure = self.bank.journal.check_space()
        if failure is not None:
            # Never book what cannot be journaled (issue 15 item 14): refused before any work.
            await _send(send, 503, orjson.dumps({"code": "E9503", "message": failure}), JSON,
                        {"retry-after": "60"})
            return
        try:
            reply, entry, drop = await self._serve(scope, version, rest, body, too_large)
        except SpillReadError as exc:
            # not the connector's doing, and not a bug to hide behind a bare 500
            await _send(send, 503, orjson.dumps({"code": "E9503", "message": str(exc)}), JSON,
                        {})
            return
        await _send(send, reply.status, dump_body(reply.body), reply.media_type,
                    reply.headers, drop=drop)
        _ = entry

    def index(self) -> dict[str, Any]:
        """``GET /``: what this server is and where to go next (instead of a bare 404)."""
        from fake_core_bank.http.control import PREFIX

        live = self.model.sorted(self.bank.versions.live)
        apis = ({version: f"/{version}" for version in live}
                if self.model.routing.kind == "prefix" else {version: "/" for version in live})
        return {"service": "Drawbridge fake core bank", "core": self.model.name,
                "apis": apis, "control": PREFIX, "docs": dict(self.model.docs)}

    async def _fenced(self, scope: Scope, epoch: str, path: str, send: Any) -> None:
        """A request of an earlier scenario run (a connector's late thread): refused, journaled,
        never served, so it cannot book in this run's ledger."""
        message = (f"this request belongs to scenario run {epoch}; the bank is at run "
                   f"{self.bank.epoch}: refused")
        self.bank.journal.append(JournalEntry(
            seq=0, at=self.bank.core.now().isoformat(), kind="fenced", method=scope["method"],
            path=quote_path(path), status=410, note=message))
        await _send(send, 410, orjson.dumps({"code": "FENCED", "message": message}), JSON, {})

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _serve(
        self, scope: Scope, asked: str | None, path: str, body: bytes, too_large: bool
    ) -> tuple[Reply, JournalEntry, bool]:
        bank = self.bank
        core = bank.core
        method: str = scope["method"]
        # loops, not comprehensions, on every request: in Python 3.11 each comprehension makes
        # a function object and a frame (0.1 us apiece)
        headers: dict[str, str] = {}
        for k, v in scope.get("headers", []):
            headers[k.decode("latin-1").lower()] = v.decode("latin-1")
        query_string = scope.get("query_string", b"").decode("latin-1")
        # Problem.instance is a uri-reference: a path of arbitrary characters goes percent-encoded.
        instance = quote_path(path if asked is None else f"/{asked}{path}")
        wall_offset = bank.clock.arrive()  # before now(): the first request starts the count
        now = core.now()
        route = bank.versions.route(asked, now)
        served = route.contract or asked or ""
        version = asked or served
        contract = self.model.contract(served)
        adapter = self.model.adapters[served]
        op, params, allowed = contract.resolve(method, path)
        entry = JournalEntry(
            seq=0, at=iso_full(now), kind="exchange", operation=core.operation,
            version=version, method=method, path=instance,
            served_by=route.node if served == version else f"{served} in place of {version}",
            query=mask_query(query_string) or None, operation_id=op.operation_id if op else None,
            request_headers=capped_headers(self.header_policy.mask(headers)),
            wall_offset=wall_offset,
        )
        parsed: Any = None
        drop = False
        additive = bank.config.additive
        ADDITIVE.set(additive)
        fault_note: str | None = None
        kind: FaultKind | None = None
        try:
            reply = self._gate(adapter, route, op, method, instance, allowed)
            if reply is None and op is not None:
                fault = bank.faults.take(op.operation_id, method, params.get("lineId"))
                if fault is not None:
                    kind = FAULTS[fault.kind]  # what the fault does: the one registry
                    fault_note = fault.describe()
                    if kind.delays:
                        await asyncio.sleep(min(fault.delay_seconds, 30.0))
                    if not kind.processes and not kind.answers:
                        drop = True
                        reply = Reply(200, {}, JSON)
                    elif kind.refuses:
                        reply = adapter.refusal(
                            Refusal(Reason.INTERNAL, "injected fault"),
                            core.messages.wording(Reason.INTERNAL), instance, None)
                        reply.status = fault.status
                if reply is None:
                    problems, parsed, query = self._validate(
                        contract, op, params, query_string, headers, body, too_large)
                    entry.request_body = (adapter.journal_body(parsed) if parsed is not None
                                          and len(body) <= MAX_BODY_TEXT else _text(body))
                    if problems:
                        entry.request_violations = [f"{f}: {m}" for f, m in problems]
                        reply = adapter.invalid(problems, core.messages.wording(
                            Reason.INVALID_REQUEST), instance)
                    else:
                        reply = adapter.handle(Request(bank, version, op.operation_id, instance,
                                                       params, query, headers, parsed))
                        if kind is not None and not kind.answers:
                            drop = True
        except Refusal as refusal:
            reply = self._refuse(adapter, refusal, instance)
        # _gate answers or refuses every request that has no operation, so a reply exists.
        assert reply is not None
        if entry.request_body is None and body:
            entry.request_body = _text(body)
        if route.deprecated is not None and route.outcome in ("serve", "retired"):
            # A retired version's 410 says the same as its answers did before: when it was
            # deprecated, when it retired and where to go (contracts/CHANGELOG.md).
            reply.headers.update(adapter.deprecation_headers(*route.deprecated, route.successor))
        injected = kind is not None and kind.refuses
        if op is not None and bank.config.validate_responses and not drop and not injected:
            entry.response_violations = contract.check_response(
                op, reply.status, reply.media_type, reply.body, reply.headers)
            if additive:
                # Deliberate drift of a minor release: evidence, not a bug of the fake.
                if entry.response_violations:
                    entry.note = "additive drift: " + "; ".join(entry.response_violations)
                entry.response_violations = []
        if additive and not drop:
            adapter.minor_release(reply)
        entry.status = None if drop else reply.status
        entry.response_headers = reply.headers  # the reply is not changed after this
        entry.response_body = None if drop else reply.body
        entry.reason = reply.reason
        entry.fault = fault_note
        entry.bookings = reply.bookings
        bank.journal.append(entry)
        return reply, entry, drop

    def _gate(self, adapter: Adapter, route: Route, op: Operation | None, method: str,
              instance: str, allowed: list[str]) -> Reply | None:
        """Refusals before the request is even read: version routing and maintenance."""
        core = self.bank.core
        if route.outcome == "retired":
            raise Refusal(Reason.VERSION_RETIRED, f"{adapter.version} has been retired")
        if route.outcome == "unavailable":
            window = core.now()
            raise Refusal(Reason.VERSION_UNAVAILABLE, f"{adapter.version} is not live on this "
                          "node yet", retry_after=window)
        if route.outcome == "unknown":
            raise Refusal(Reason.NOT_FOUND, f"{adapter.version} is not served")
        if op is None and allowed:
            # RFC 9110 15.5.6: a known resource answers an unknown method 405 with Allow.
            reply = adapter.invalid([("method", f"{method} is not allowed; use "
                                     f"{', '.join(allowed)}")],
                                    core.messages.wording(Reason.INVALID_REQUEST), instance)
            reply.status = 405
            if isinstance(reply.body, dict) and "status" in reply.body:
                reply.body["status"] = 405
            reply.headers["allow"] = ", ".join(allowed)
            return reply
        if op is None:
            raise Refusal(Reason.NOT_FOUND, f"{method} {instance}: no such resource")
        if op.operation_id not in adapter.open_in_maintenance:
            write = (method not in ("GET", "HEAD")
                     and op.operation_id not in adapter.read_only_operations)
            refusal = core.maintenance_refusal(write=write)
            if refusal is not None:
                raise refusal
        return None

    def _refuse(self, adapter: Adapter, refusal: Refusal, instance: str) -> Reply:
        core = self.bank.core
        retry_after = None
        if refusal.retry_after is not None:
            remaining = refusal.retry_after - core.now()
            retry_after = self.bank.clock.seconds_to_wall(remaining)
        wording = refusal.wording or core.messages.wording(refusal.reason)
        return adapter.refusal(refusal, wording, instance, retry_after)

    def _validate(
        self, contract: Contract, op: Operation, params: dict[str, str], query_string: str,
        headers: dict[str, str], body: bytes, too_large: bool,
    ) -> tuple[list[tuple[str, str]], Any, dict[str, Any]]:
        """The request against its operation: parameters, headers, content type, body."""
        problems: list[tuple[str, str]] = []
        query: dict[str, Any] = {}
        raw_query = dict(parse_qsl(query_string, keep_blank_values=True)) if query_string else {}
        for p in op.parameters:
            if p.location == "path":
                value: Any = params.get(p.key)
            elif p.location == "query":
                value = raw_query.get(p.key)
            elif p.location == "header":
                value = headers.get(p.key)
            else:
                continue
            if value is None:
                if p.required:
                    problems.append((p.where, "required"))
                continue
            typed = value
            if not p.textual:
                try:
                    typed = coerce(value, p.validator)
                except ValueError:  # str.isdigit() admits '³', which int() refuses: a 400
                    pass
            if not p.validator.is_valid(typed):  # the error list only when there is one
                errors = [e.message for e in p.validator.iter_errors(typed)]
                problems.append((p.where, errors[0] if errors else "does not match its schema"))
            elif p.location == "query":
                query[p.name] = typed
        parsed: Any = None
        if op.body:
            if too_large:
                problems.append(("body", f"larger than {MAX_BODY} bytes"))
                return problems, None, query
            media = content_type(headers.get("content-type", ""), op.body)
            if not body:
                if op.body_required:
                    problems.append(("body", "required"))
                return problems, None, query
            if media not in op.body:
                problems.append(("content-type", f"expected {', '.join(op.body)}, got "
                                 f"{media or 'nothing'}"))
                return problems, None, query
            try:
                parsed = orjson.loads(body)
            except orjson.JSONDecodeError as exc:
                problems.append(("body", f"not valid JSON: {exc}"))
                return problems, None, query
            validator = op.body[media]
            if validator is not None and not validator.is_valid(parsed):
                for err in validator.iter_errors(parsed):
                    location = ".".join(str(p) for p in err.instance_path)
                    problems.append((location or "body", err.message))
        return problems, parsed, query


def content_type(value: str, declared: Mapping[str, object]) -> str:
    """The media type of a Content-Type value, without parameters, in lower case. A value that
    is already a declared media type (the contracts write them bare and in lower case) is its
    own media type: the common case skips the parsing.

    >>> content_type("Application/JSON; charset=utf-8", {}), content_type("application/json", {})
    ('application/json', 'application/json')
    """
    if value in declared:
        return value
    return value.split(";")[0].strip().lower()


def _text(body: bytes) -> str:
    """A body as the journal keeps it when it is not JSON (or too large to keep parsed)."""
    text = body[:2048].decode("utf-8", errors="replace")
    return text if len(body) <= 2048 else f"{text}... {len(body) - 2048} bytes cut"


async def _read_body(receive: Any) -> tuple[bytes, bool]:
    message = await receive()
    if message["type"] == "http.request" and not message.get("more_body", False):
        body = message.get("body", b"")  # the whole body in one message: nearly every request
        return (b"", True) if len(body) > MAX_BODY else (body, False)
    return await _read_chunks(receive, message)


async def _read_chunks(receive: Any, message: dict[str, Any]) -> tuple[bytes, bool]:
    """The rest of a body sent in several messages (``message`` is the first one); raises
    :class:`~fake_core_bank.http.serving.BodyCut` when the connection closes before it ends."""
    body, size = await read_body(receive, MAX_BODY, message)
    return (b"", True) if size > MAX_BODY else (body, False)


async def _send(send: Any, status: int, payload: bytes, media_type: str,
                headers: dict[str, str], *, drop: bool = False) -> None:
    raw = [(b"content-type", media_type.encode()),
           (b"content-length", str(len(payload) if not drop else len(payload) + 64).encode())]
    for k, v in headers.items():  # a loop: see _serve
        raw.append((k.encode("latin-1"), v.encode("latin-1")))
    start = {"type": "http.response.start", "status": status, "headers": raw}
    if drop:
        await cut_connection(send, start, "fault injected: connection dropped")
    await send(start)
    await send({"type": "http.response.body", "body": payload})
