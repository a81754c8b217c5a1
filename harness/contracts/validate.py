"""Check a contract document before comparing it: problems a diff would otherwise hide.

``drawbridge diff`` reports them as warnings, each at its ``file:line:column`` and JSON path
with the fix; ``--strict`` makes them bad input (exit 2). The checks are the ones whose
violation changes what a diff means, and cost one walk of the document:

- ``info``, ``info.title`` and ``info.version`` are present (the version names the diff);
- an ``enum`` lists no value twice (a duplicate hides a removal of the other copy);
- ``required`` names only declared properties of a closed object (it could never be met);
- ``type`` is a JSON Schema type;
- every operationId is used once, every operation has ``responses``;
- every ``{name}`` in a path template is a declared path parameter, and every declared path
  parameter appears in the template.

>>> validate(load_contract(Path("contracts/core-banking/v3.yaml")))  # doctest: +SKIP
[]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from harness.contracts.locate import Locator
from harness.contracts.normalise import METHODS, Contract
from harness.contracts.structure import STRUCTURE_FIX

_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null",
                    "file"})  # "file": Swagger 2.0 form parameters
# keys whose value maps names to schemas (the names are not keywords)
_NAME_MAPS = frozenset({"properties", "patternProperties", "definitions", "$defs", "schemas",
                        "responses", "parameters", "headers", "content", "securitySchemes",
                        "requestBodies", "callbacks", "links", "encoding", "paths"})
# keys whose value is free-form data or holds no schema (security schemes have a "type" too)
_DATA = frozenset({"example", "examples", "default", "const", "enum", "x-extensible-enum",
                   "securitySchemes", "securityDefinitions", "security"})


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document: where, what, and how to fix it."""

    at: str  # file:line:column ("" when not known)
    path: str  # JSON path: info.version, paths./x.get.responses
    message: str
    fix: str

    def __str__(self) -> str:
        where = " ".join(part for part in (self.at, self.path) if part)
        return f"{where}: {self.message}; fix: {self.fix}"


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


class _Checker:
    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self.locate = Locator(contract.resolver)
        self.problems: list[Problem] = []
        self._seen: set[int] = set()

    def add(self, node: Any, path: str, message: str, fix: str, key: str | None = None) -> None:
        at = (self.locate.key_or_node(node, key) if key is not None else self.locate.at(node)) \
            or self.locate.at(self.contract.document) or str(self.contract.source)
        self.problems.append(Problem(at, path, message, fix))

    def run(self) -> list[Problem]:
        doc = self.contract.document
        if not isinstance(doc, dict):
            return self.problems
        self._info(doc)
        self._operations(doc)
        # named schemas first, so a shared schema's problem is named by its component path
        for key in ("components", "definitions"):
            if isinstance(doc.get(key), dict):
                self._walk(doc[key], key, names=key == "definitions")
        self._walk(doc, "", names=False)
        if not self.problems and self.contract.not_openapi is not None:
            # the schema's own verdict, when none of the precise checks above explains it
            pointer, message = self.contract.not_openapi
            self.problems.append(Problem(str(self.contract.source), pointer, message,
                                         STRUCTURE_FIX))
        return self.problems

    def _info(self, doc: dict[str, Any]) -> None:
        info = doc.get("info")
        if not isinstance(info, dict):
            self.add(doc, "info", "missing", "add info: {title: ..., version: ...}")
            return
        for field, example in (("title", "Core banking API"), ("version", "1.0.0")):
            if not isinstance(info.get(field), str | int | float) or info.get(field) == "":
                self.add(info, f"info.{field}", "missing",
                         f"add info.{field} (e.g. {example!r})")

    def _operations(self, doc: dict[str, Any]) -> None:
        first_use: dict[str, str] = {}
        for template, item in (doc.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            slots = set(re.findall(r"\{([^}/]*)\}", str(template)))
            for method in METHODS:
                op = item.get(method)
                if not isinstance(op, dict):
                    continue
                where = f"paths.{template}.{method}"
                op_id = op.get("operationId")
                if isinstance(op_id, str):
                    if op_id in first_use:
                        self.add(op, f"{where}.operationId", f"operationId {op_id!r} is also "
                                 f"used by {first_use[op_id]}", "give each operation its own "
                                 "operationId", key="operationId")
                    first_use.setdefault(op_id, where)
                if not isinstance(op.get("responses"), dict) or not op["responses"]:
                    self.add(op, f"{where}.responses", "no responses",
                             "document at least the success response")
                declared = {str(p.get("name")) for p in
                            [*(item.get("parameters") or []), *(op.get("parameters") or [])]
                            if isinstance(p, dict) and p.get("in") == "path"}
                for name in sorted(slots - declared):
                    self.add(op, where, f"path parameter {{{name}}} is not declared",
                             f"add a parameter {{name: {name}, in: path, required: true}}")
                for name in sorted(declared - slots):
                    self.add(op, where, f"path parameter {name!r} is not in the path "
                             f"template {template}", "remove it or add it to the template")

    def _walk(self, node: Any, path: str, names: bool) -> None:
        """Every mapping once (references are shared objects; cycles end at the second visit).

        ``names``: the keys of ``node`` are names (properties, paths), not keywords.
        """
        if isinstance(node, list):
            for index, item in enumerate(node):
                self._walk(item, f"{path}[{index}]", names=False)
            return
        if not isinstance(node, dict) or id(node) in self._seen:
            return
        self._seen.add(id(node))
        if not names:
            self._schema(node, path)
        for key, value in node.items():
            text = str(key)
            if not names and (text in _DATA or text.startswith("x-")):
                continue
            child = f"{path}.{text}" if path else text
            self._walk(value, child, names=not names and text in _NAME_MAPS)

    def _schema(self, node: dict[str, Any], path: str) -> None:
        enum = node.get("enum")
        if isinstance(enum, list):
            seen: set[str] = set()
            twice = []
            for value in enum:
                key = _key(value)
                if key in seen:
                    twice.append(value)
                seen.add(key)
            if twice:
                self.add(enum, f"{path}.enum", f"enum lists {', '.join(map(repr, twice))} "
                         "more than once", "remove the repeated value(s)")
        raw = node.get("type")
        for kind in raw if isinstance(raw, list) else [raw] if isinstance(raw, str) else []:
            if kind not in _TYPES:
                self.add(node, f"{path}.type", f"unknown type {kind!r}",
                         f"use one of {', '.join(sorted(_TYPES - {'file'}))}", key="type")
        props, required = node.get("properties"), node.get("required")
        if (isinstance(props, dict) and isinstance(required, list)
                and node.get("additionalProperties") is False
                and not any(k in node for k in ("allOf", "oneOf", "anyOf"))):
            for name in required:
                if name not in props:
                    self.add(node, f"{path}.required", f"required property {name!r} is not "
                             "declared and the object refuses undeclared properties",
                             f"declare {name!r} under properties or drop it from required",
                             key="required")


def validate(contract: Contract) -> list[Problem]:
    """Every problem found in ``contract``'s document, in document order."""
    return _Checker(contract).run()
