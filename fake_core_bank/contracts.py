"""The contracts as the fake bank uses them: routes and compiled validators per operation.

Contracts are loaded once per process and compiled with jsonschema-rs (JSON Schema 2020-12, the
dialect of OpenAPI 3.1), so validating a request or a response costs microseconds.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson

from fake_core_bank.errors import InputError

#: part of every cache key: bump it when the parsed form of a document changes meaning
CACHE_FORMAT = b"drawbridge-contract-json-1\n"
#: header verdicts kept per contract before the cache starts over (Retry-After values vary)
HEADER_VERDICTS = 4096
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def load_document(path: Path) -> dict[str, Any]:
    """The parsed contract document; ruamel parses it once per content, then a JSON copy is read.

    ruamel's pure-Python parser takes over a second for v1-v3, most of the fake bank's start-up.
    The copy is keyed by the SHA-256 of the YAML bytes, so an edited contract is parsed afresh,
    and it is only written when JSON holds the document exactly (see :func:`_cache_file`).
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc
    cache = _cache_file(raw)
    if cache is not None:
        try:
            cached: dict[str, Any] = orjson.loads(cache.read_bytes())
            return cached
        except (OSError, orjson.JSONDecodeError):
            pass  # no copy yet, or a damaged one: parse the YAML
    data = _parse_yaml(path, raw)
    if cache is not None and orjson.loads(orjson.dumps(data)) == data:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(orjson.dumps(data))
            partial.replace(cache)  # atomic: a concurrent reader sees all of it or nothing
        except OSError:
            pass  # a read-only home only costs the parse next time
    return data


def _cache_file(raw: bytes) -> Path | None:
    """Where the JSON copy of a document with these bytes lives; None when caching is off."""
    setting = os.environ.get("DRAWBRIDGE_CACHE_DIR")
    if setting == "":
        return None  # DRAWBRIDGE_CACHE_DIR= (empty) turns the cache off
    if setting:
        base = Path(setting)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "drawbridge"
    digest = hashlib.sha256(CACHE_FORMAT + raw).hexdigest()
    return base / "contracts" / f"{digest}.json"


def _parse_yaml(path: Path, raw: bytes) -> dict[str, Any]:
    # Imported here: with the JSON copy cached, starting the fake bank never needs ruamel.
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML(typ="safe")
    try:
        data = yaml.load(raw)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(where, f"not valid YAML: {problem}",
                         "fix the document's syntax") from exc
    if not isinstance(data, dict):
        raise InputError(str(path), "not an OpenAPI document (expected a mapping at the top)")
    return data


@dataclass
class Parameter:
    name: str
    location: str  # path, query, header
    required: bool
    schema: dict[str, Any]
    validator: jsonschema_rs.Validator
    #: where a request carries it: header names in lower case (the app's header keys)
    key: str = field(init=False)
    #: how a problem names it: ``header Idempotency-Key``, ``lineId``
    where: str = field(init=False)
    #: declared ``type: string``: no integer reading of its text can be valid, so none is tried
    textual: bool = field(init=False)

    def __post_init__(self) -> None:
        header = self.location == "header"
        self.key = self.name.lower() if header else self.name
        self.where = f"header {self.name}" if header else self.name
        self.textual = self.schema.get("type") == "string"


@dataclass
class ResponseSpec:
    status: str  # "200", "4XX", "default"
    media: dict[str, jsonschema_rs.Validator | None]
    headers: dict[str, tuple[bool, jsonschema_rs.Validator | None]]


@dataclass
class Operation:
    operation_id: str
    method: str  # upper case
    template: str  # /credit-lines/{lineId}
    regex: re.Pattern[str]
    parameters: list[Parameter] = field(default_factory=list)
    body_required: bool = False
    body: dict[str, jsonschema_rs.Validator | None] = field(default_factory=dict)
    responses: dict[str, ResponseSpec] = field(default_factory=dict)

    def response_for(self, status: int) -> ResponseSpec | None:
        return (self.responses.get(str(status)) or self.responses.get(f"{status // 100}XX")
                or self.responses.get("default"))


@dataclass
class PathRoute:
    """One path template and the operations its methods name; ``allow`` is the sorted
    method list a 405 answer advertises (RFC 9110 15.5.6), computed once."""

    template: str
    regex: re.Pattern[str]
    methods: dict[str, Operation] = field(default_factory=dict)
    allow: list[str] = field(default_factory=list)


def _shape(path: str) -> tuple[str | None, int]:
    """A path's routing key: its first segment (None when a template variable is in it) and
    its number of segments. ``[^/]+`` never spans a slash, so only equal counts can match."""
    first = path[1:].partition("/")[0]
    return (None if "{" in first else first), path.count("/")


def _message(err: Any) -> str:
    location = ".".join(str(p) for p in err.instance_path)
    return f"{location or '(body)'}: {err.message}"


class Contract:
    """One compiled contract version."""

    def __init__(self, version: str, document: dict[str, Any]) -> None:
        self.version = version
        self.document = document
        self.components = document.get("components", {})
        self.operations: list[Operation] = []
        self.by_id: dict[str, Operation] = {}
        #: one compiled validator per distinct schema: 523 schemas in v1-v3 are 69 distinct ones
        #: (problem bodies, headers, ids repeat), and each validator carries the components
        self._validators: dict[bytes, jsonschema_rs.Validator] = {}
        #: (validator, header, value) -> problems; see _header_problems
        self._header_verdicts: dict[tuple[int, str, str], list[str]] = {}
        for template, item in (document.get("paths") or {}).items():
            shared = item.get("parameters", [])
            for method in HTTP_METHODS:
                if method in item:
                    op = self._compile(template, method, item[method], shared)
                    self.operations.append(op)
                    self.by_id[op.operation_id] = op
        # Templates with fewer variables first, so /drawdowns/x never shadows a literal path.
        self.operations.sort(key=lambda o: (o.template.count("{"), o.template))
        self._index_routes()

    def _index_routes(self) -> None:
        """Routes by (first segment, segment count), each list in the operations' order, so a
        request tries one or two regexes instead of every operation's (issue 8)."""
        routes: dict[str, PathRoute] = {}
        for op in self.operations:
            route = routes.setdefault(op.template, PathRoute(op.template, op.regex))
            route.methods[op.method] = op
        order = {template: n for n, template in enumerate(routes)}
        by_shape: dict[tuple[str | None, int], list[PathRoute]] = {}
        for route in routes.values():
            route.allow = sorted(route.methods)
            by_shape.setdefault(_shape(route.template), []).append(route)
        #: segment count -> routes whose first segment is a variable (they match any first one)
        self._wild: dict[int, list[PathRoute]] = {
            count: found for (first, count), found in by_shape.items() if first is None}
        self._routes: dict[tuple[str | None, int], list[PathRoute]] = {}
        for (first, count), found in by_shape.items():
            if first is not None:
                merged = found + self._wild.get(count, [])
                self._routes[(first, count)] = sorted(merged, key=lambda r: order[r.template])

    def _deref(self, node: dict[str, Any]) -> dict[str, Any]:
        while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/"):
            target: Any = self.document
            for part in node["$ref"][2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def validator(self, schema: dict[str, Any] | None) -> jsonschema_rs.Validator | None:
        if schema is None:
            return None
        key = orjson.dumps(schema, option=orjson.OPT_SORT_KEYS)
        found = self._validators.get(key)
        if found is None:
            root = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                    "components": self.components, **schema}
            found = self._validators[key] = jsonschema_rs.validator_for(root,
                                                                       validate_formats=True)
        return found

    def _compile(
        self, template: str, method: str, spec: dict[str, Any], shared: list[Any]
    ) -> Operation:
        pattern = re.sub(r"\\\{([^}]+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        op = Operation(
            operation_id=spec.get("operationId", f"{method} {template}"),
            method=method.upper(), template=template, regex=re.compile(f"^{pattern}$"),
        )
        for raw in [*shared, *spec.get("parameters", [])]:
            param = self._deref(raw)
            schema = param.get("schema", {})
            op.parameters.append(Parameter(
                param["name"], param["in"], bool(param.get("required", param["in"] == "path")),
                schema, self.validator(schema) or jsonschema_rs.validator_for({}),
            ))
        if "requestBody" in spec:
            body = self._deref(spec["requestBody"])
            op.body_required = bool(body.get("required", False))
            for media, content in (body.get("content") or {}).items():
                op.body[media] = self.validator(content.get("schema"))
        for status, raw in (spec.get("responses") or {}).items():
            response = self._deref(raw)
            media = {m: self.validator(c.get("schema"))
                     for m, c in (response.get("content") or {}).items()}
            headers: dict[str, tuple[bool, jsonschema_rs.Validator | None]] = {}
            for name, raw_header in (response.get("headers") or {}).items():
                header = self._deref(raw_header)
                headers[name.lower()] = (bool(header.get("required", False)),
                                         self.validator(header.get("schema")))
            op.responses[str(status)] = ResponseSpec(str(status), media, headers)
        return op

    def resolve(self, method: str, path: str) -> tuple[Operation | None, dict[str, str],
                                                        list[str]]:
        """The operation for a request, its path parameters, and the methods its path allows
        (empty when no template matches the path). With an operation found, the allowed methods
        are its own template's; without one, those of every template that matches."""
        candidates = self._routes.get(_shape(path)) or self._wild.get(path.count("/"), [])
        matched: list[PathRoute] = []
        for route in candidates:
            found = route.regex.match(path)
            if found:
                op = route.methods.get(method)
                if op is not None:
                    return op, found.groupdict(), route.allow
                matched.append(route)
        if len(matched) <= 1:
            return None, {}, matched[0].allow if matched else []
        return None, {}, sorted({m for route in matched for m in route.methods})

    def match(self, method: str, path: str) -> tuple[Operation | None, dict[str, str], bool]:
        """The operation for a request, its path parameters, and whether the path exists at all."""
        op, params, allow = self.resolve(method, path)
        return op, params, bool(allow)

    def check_response(
        self, op: Operation, status: int, media_type: str | None, body: Any,
        headers: dict[str, str],
    ) -> list[str]:
        """Contract problems of a response; empty when it conforms."""
        spec = op.response_for(status)
        if spec is None:
            return [f"status {status} is not declared for {op.operation_id}"]
        problems: list[str] = []
        if spec.media:
            if media_type not in spec.media:
                return [f"content type {media_type} is not declared for {status} "
                        f"(declared: {', '.join(spec.media)})"]
            validator = spec.media[media_type]
            # is_valid answers a conforming body (nearly every one) without building errors.
            if validator is not None and not validator.is_valid(body):
                problems += [_message(e) for e in validator.iter_errors(body)]
        for name, (required, validator) in spec.headers.items():
            value = headers.get(name)
            if value is None:
                if required:
                    problems.append(f"header {name}: required but missing")
                continue
            if validator is not None:
                problems += self._header_problems(name, value, validator)
        return problems

    def _header_problems(self, name: str, value: str,
                         validator: jsonschema_rs.Validator) -> list[str]:
        """A header value's problems; the same few values (Sunset, Link, Deprecation) come back
        on every answer, and a verdict is a pure function of schema and value, so it is kept."""
        key = (id(validator), name, value)
        found = self._header_verdicts.get(key)
        if found is None:
            typed = coerce(value, validator)
            found = ([] if validator.is_valid(typed) else
                     [f"header {name}: {e.message}" for e in validator.iter_errors(typed)])
            if len(self._header_verdicts) >= HEADER_VERDICTS:
                self._header_verdicts.clear()  # values that never repeat must not pile up
            self._header_verdicts[key] = found
        return list(found)


def coerce(value: str, validator: jsonschema_rs.Validator) -> Any:
    """Parameters arrive as text; try the integer reading when the text is one."""
    # isascii first: str.isdigit() accepts digits such as '³' that int() refuses.
    digits = value[1:] if value.startswith("-") else value
    if digits.isascii() and digits.isdigit():
        as_int = int(value)
        if validator.is_valid(as_int):
            return as_int
    return value

