"""Turn an OpenAPI 3.0/3.1 or Swagger 2.0 document into one comparable model.

Swagger 2.0 is lifted to the 3.x shape: ``in: body`` and ``formData`` parameters become the
request body, ``definitions`` are the component schemas, ``host`` + ``basePath`` become a
server URL, ``consumes``/``produces`` become media types. Path templates are keyed with their
parameter names blanked (``/lines/{id}`` and ``/lines/{lineId}`` are the same path).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from fake_core_bank.errors import InputError
from harness.contracts.loading import openapi_version, read_document
from harness.contracts.refs import RefResolver
from harness.contracts.structure import STRUCTURE_FIX, structure_problem

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# OpenAPI 3: these header parameters are described elsewhere and "SHALL be ignored".
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
# Swagger 2.0 parameter keywords that describe the value, i.e. belong in a 3.x schema.
_SCHEMA_KEYS = frozenset({
    "type", "format", "items", "enum", "default", "maximum", "minimum", "exclusiveMaximum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
    "uniqueItems", "multipleOf", "x-nullable", "x-extensible-enum",
})

Alternative = tuple[tuple[str, tuple[str, ...]], ...]


#: what ``load_contract`` does with a document that breaks the OpenAPI schema
Structure = Literal["refuse", "keep", "when-unreadable"]


@dataclass
class Parameter:
    """A parameter or a response header: required-ness and the schema of its value."""

    name: str
    location: str
    required: bool
    schema: Any
    node: Any = None  # the object as written, to locate changes in the file


@dataclass
class Body:
    """A request or response body: schema per media type."""

    content: dict[str, Any]
    required: bool = False
    node: Any = None


@dataclass
class Response:
    """One documented status code of an operation."""

    content: dict[str, Any]
    headers: dict[str, Parameter]
    node: Any = None


@dataclass
class Operation:
    """One method on one path template."""

    method: str
    template: str
    operation_id: str | None
    parameters: dict[tuple[str, str], Parameter]
    request_body: Body | None
    responses: dict[str, Response]
    security: frozenset[Alternative]
    node: Any = None

    @property
    def label(self) -> str:
        """``POST /credit-lines/{lineId}/drawdowns``."""
        return f"{self.method.upper()} {self.template}"


@dataclass
class Contract:
    """A whole document, normalised."""

    source: Path
    version: str
    servers: list[str]
    paths: dict[str, dict[str, Operation]] = field(default_factory=dict)
    schemas: dict[str, Any] = field(default_factory=dict)
    document: Any = None  # the resolved document as written
    resolver: RefResolver | None = None  # knows where each of its objects is
    security_schemes: dict[str, Any] = field(default_factory=dict)
    #: where and how the document breaks the OpenAPI schema (JSON pointer, message), if it does
    not_openapi: tuple[str, str] | None = None


def path_key(template: str) -> str:
    """``/lines/{lineId}/x`` -> ``/lines/{}/x``: parameter names do not change meaning."""
    return re.sub(r"\{[^}/]*\}", "{}", template.rstrip("/") or "/")


def _security(requirements: Any) -> frozenset[Alternative]:
    if requirements is None or requirements == []:
        return frozenset({()})  # no requirement: anonymous access
    return frozenset(
        tuple(sorted((str(name), tuple(sorted(map(str, scopes or ()))))
                     for name, scopes in (alt or {}).items()))
        for alt in requirements
    )


def _as_dict(node: Any) -> dict[Any, Any]:
    return node if isinstance(node, dict) else {}


class _Normaliser:
    def __init__(self, path: Path, document: dict[str, Any], version: str) -> None:
        self.path = path
        self.doc = document
        self.swagger = version == "2.0"

    def contract(self, version: str) -> Contract:
        doc = self.doc
        if self.swagger:
            schemas = _as_dict(doc.get("definitions"))
            schemes = _as_dict(doc.get("securityDefinitions"))
        else:
            components = _as_dict(doc.get("components"))
            schemas = _as_dict(components.get("schemas"))
            schemes = _as_dict(components.get("securitySchemes"))
        contract = Contract(self.path, version, self._servers(), schemas=dict(schemas),
                            security_schemes=dict(schemes))
        for template, item in _as_dict(doc.get("paths")).items():
            item = _as_dict(item)
            operations = {method: self._operation(str(template), method, item)
                          for method in METHODS if isinstance(item.get(method), dict)}
            key = path_key(str(template))
            contract.paths.setdefault(key, {}).update(operations)
        return contract

    def _servers(self) -> list[str]:
        if not self.swagger:
            return [str(s.get("url", "/")) for s in self.doc.get("servers") or []
                    if isinstance(s, dict)]
        host, base = self.doc.get("host"), self.doc.get("basePath", "")
        if not host:
            return [str(base)] if base else []
        schemes = self.doc.get("schemes") or ["https"]
        return [f"{scheme}://{host}{base}" for scheme in schemes]

    def _operation(self, template: str, method: str, item: dict[str, Any]) -> Operation:
        raw = item[method]
        params: dict[tuple[str, str], dict[str, Any]] = {}
        for source in (item.get("parameters") or [], raw.get("parameters") or []):
            for param in source:
                if not isinstance(param, dict) or "name" not in param or "in" not in param:
                    raise InputError(f"{self.path} {method.upper()} {template}",
                                     "a parameter without 'name' and 'in'",
                                     "give every parameter a name and a location")
                params[(str(param["in"]), str(param["name"]))] = param
        body: Body | None = None
        parameters: dict[tuple[str, str], Parameter] = {}
        form: list[dict[str, Any]] = []
        slots = re.findall(r"\{([^}/]*)\}", template)
        for (where, name), param in params.items():
            if where == "body":
                body = Body({m: param.get("schema") for m in self._media(raw, "consumes")},
                            bool(param.get("required")), param)
            elif where == "formData":
                form.append(param)
            elif not (where == "header" and name.lower() in _IGNORED_HEADERS):
                key = (where, name.lower() if where == "header" else name)
                if where == "path" and name in slots:
                    key = (where, f"{{{slots.index(name)}}}")  # by position: names are free
                parameters[key] = Parameter(name, where, bool(param.get("required")) or
                                            where == "path", self._param_schema(param), param)
        if form:
            body = Body({m: self._form_schema(form) for m in self._media(raw, "consumes",
                         "application/x-www-form-urlencoded")},
                        any(p.get("required") for p in form), form[0])
        if not self.swagger and isinstance(raw.get("requestBody"), dict):
            request = raw["requestBody"]
            body = Body(self._content(request), bool(request.get("required")), request)
        responses = {str(code).upper(): self._response(raw, resp)
                     for code, resp in _as_dict(raw.get("responses")).items()
                     if isinstance(resp, dict)}
        security = raw["security"] if "security" in raw else self.doc.get("security")
        op_id = raw.get("operationId")
        return Operation(method, template, str(op_id) if op_id else None, parameters, body,
                         responses, _security(security), raw)

    def _media(self, raw: dict[str, Any], key: str,
               fallback: str = "application/json") -> list[str]:
        return list(raw.get(key) or self.doc.get(key) or [fallback])

    def _param_schema(self, param: dict[str, Any]) -> Any:
        if "schema" in param:
            return param["schema"]
        if isinstance(param.get("content"), dict) and param["content"]:
            first = next(iter(param["content"].values()))
            return _as_dict(first).get("schema")
        schema = {k: v for k, v in param.items() if k in _SCHEMA_KEYS}
        return schema or None

    def _form_schema(self, form: list[dict[str, Any]]) -> dict[str, Any]:
        return {"type": "object",
                "properties": {str(p["name"]): self._param_schema(p) or {} for p in form},
                "required": sorted(str(p["name"]) for p in form if p.get("required"))}

    def _content(self, node: dict[str, Any]) -> dict[str, Any]:
        return {str(media).lower(): _as_dict(value).get("schema")
                for media, value in _as_dict(node.get("content")).items()}

    def _response(self, raw: dict[str, Any], resp: dict[str, Any]) -> Response:
        if self.swagger:
            content = ({m: resp["schema"] for m in self._media(raw, "produces")}
                       if "schema" in resp else {})
        else:
            content = self._content(resp)
        headers = {}
        for name, header in _as_dict(resp.get("headers")).items():
            header = _as_dict(header)
            if str(name).lower() == "content-type":
                continue  # OpenAPI: a Content-Type response header is ignored
            headers[str(name).lower()] = Parameter(str(name), "header",
                                                   bool(header.get("required")),
                                                   self._param_schema(header), header)
        return Response(content, headers, resp)


def load_contract(path: Path, resolver: RefResolver | None = None, *,
                  structure: Structure = "refuse") -> Contract:
    """Load, resolve and normalise one document; bad input raises InputError.

    ``structure`` says what a document that breaks the OpenAPI schema is: ``"refuse"``, bad
    input; ``"keep"``, a problem kept on the contract (``not_openapi``) for the caller to report
    when the document can still be read (``diff --strict``); ``"when-unreadable"``, checked only
    when the document cannot be read, then bad input (plain ``diff``: the schema check costs
    more than the diff of a 0.5 MB spec, and ``diff``'s own checks warn on what changes a diff's
    meaning). A document too broken to read is bad input in every mode, named by the schema.

    >>> load_contract(Path("missing.yaml"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    fake_core_bank.errors.InputError: missing.yaml: file not found; fix: ...
    """
    resolver = resolver or RefResolver()
    problem = None if structure == "when-unreadable" else _structure_problem(path)
    if problem is not None and structure == "refuse":
        raise InputError(f"{path} {problem[0]}", problem[1], STRUCTURE_FIX)
    document = resolver.load(path)
    version = openapi_version(path, document)
    try:
        contract = _Normaliser(path, document, version).contract(version)
    except (TypeError, AttributeError, KeyError, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        if structure == "when-unreadable":
            problem = _structure_problem(path)
        if problem is None:
            raise
        # too broken to read, not only to validate: the schema's verdict is the cause
        raise InputError(f"{path} {problem[0]}", problem[1], STRUCTURE_FIX) from exc
    contract.document, contract.resolver, contract.not_openapi = document, resolver, problem
    return contract


def _structure_problem(path: Path) -> tuple[str, str] | None:
    raw = read_document(path)  # before $ref resolution: resolved documents may be cyclic
    return structure_problem(raw, openapi_version(path, raw))
