"""Compare one operation with its successor: parameters, bodies, responses, security."""

from __future__ import annotations

from typing import Any

from harness.contracts.catalog import RULES
from harness.contracts.model import Change
from harness.contracts.normalise import Body, Operation, Parameter, Response
from harness.contracts.schemas import SchemaComparer

_JSONISH = ("json", "+json")


def make_change(rule_id: str, operation: str, pointer: str, message: str,
                schemas: tuple[str, ...] = (), cause: str = "", old_at: str = "",
                new_at: str = "") -> Change:
    """A :class:`Change` classified by the catalogue entry of ``rule_id``."""
    rule = RULES[rule_id]
    return Change(rule.severity, operation, pointer, rule_id, message, rule.audience, schemas,
                  old_at=old_at, new_at=new_at, why=rule.why, cause=cause)


def media_essence(media: str) -> str:
    """``Application/JSON; charset=UTF-8`` -> ``application/json``: what the payload is."""
    return media.split(";", 1)[0].strip().lower()


def media_parameters(media: str) -> tuple[tuple[str, str], ...]:
    """The parameters of a media type, normalised: ``(("charset", "utf-8"),)``."""
    out = []
    for part in media.split(";")[1:]:
        name, _, value = part.partition("=")
        name = name.strip().lower()
        value = value.strip().strip('"')
        out.append((name, value.lower() if name == "charset" else value))
    return tuple(sorted(p for p in out if p[0]))


def _alt_text(alternative: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    if not alternative:
        return "anonymous access"
    return " + ".join(f"{name}{'[' + ','.join(scopes) + ']' if scopes else ''}"
                      for name, scopes in alternative)


class OperationComparer:
    """Lists the changes between two versions of one operation."""

    def __init__(self, schemas: SchemaComparer) -> None:
        self.schemas = schemas
        self.at = schemas.locate.at

    def compare(self, old: Operation, new: Operation) -> list[Change]:
        """Every change inside the operation, located under ``new``'s label."""
        self.out: list[Change] = []
        self.label = new.label
        # what a change is located at when nothing closer exists on that side
        self.old_node, self.new_node = old.node, new.node
        if old.operation_id and new.operation_id and old.operation_id != new.operation_id:
            self._add("operation-id-changed", "",
                      f"operationId {old.operation_id!r} -> {new.operation_id!r}",
                      old_at=self.at(old.node, "operationId"),
                      new_at=self.at(new.node, "operationId"))
        self._parameters(old.parameters, new.parameters)
        self._request_body(old.request_body, new.request_body)
        self._responses(old.responses, new.responses)
        self._security(old, new)
        return self.out

    def _add(self, rule: str, pointer: str, message: str,
             schemas: tuple[str, ...] = (), cause: str = "",
             nodes: tuple[Any, Any] = (None, None), old_at: str = "", new_at: str = "") -> None:
        """Record a change at the old and new objects it is about (else the operations)."""
        old_at = old_at or self.at(nodes[0]) or self.at(self.old_node)
        new_at = new_at or self.at(nodes[1]) or self.at(self.new_node)
        self.out.append(make_change(rule, self.label, pointer, message, schemas, cause,
                                    old_at, new_at))

    def _schema(self, pointer: str, old: Any, new: Any, side: str,
                old_holder: Any = None, new_holder: Any = None) -> None:
        for finding in self.schemas.compare(old, new, side):
            where = f"{pointer} {finding.pointer}" if finding.pointer else pointer
            self._add(f"{side}-{finding.rule}", where, finding.message, finding.schemas,
                      nodes=(old_holder, new_holder), old_at=finding.old_at,
                      new_at=finding.new_at)

    def _names(self, *schemas: Any) -> tuple[str, ...]:
        """The component names of the given schemas (a media type's payload)."""
        return tuple(dict.fromkeys(n for s in schemas for n in self.schemas.names_of(s)))

    def _parameters(self, old: dict[tuple[str, str], Parameter],
                    new: dict[tuple[str, str], Parameter]) -> None:
        for key in sorted(set(old) | set(new)):
            where = f"parameter {key[0]}.{(new.get(key) or old[key]).name}"
            before, after = old.get(key), new.get(key)
            n = before.node if before else None, after.node if after else None
            if after is None:
                self._add("parameter-removed", where, f"{key[0]} parameter removed", nodes=n)
            elif before is None:
                if not after.required:
                    self._add("parameter-added", where, f"optional {key[0]} parameter added",
                              nodes=n)
                elif key[0] == "header":
                    self._add("required-header-added", where, "required header added", nodes=n)
                elif key[0] != "path":  # a new path parameter is a new path, reported there
                    self._add("required-parameter-added", where,
                              f"required {key[0]} parameter added", nodes=n)
            else:
                if after.required and not before.required:
                    self._add("parameter-became-required", where, "parameter became required",
                              nodes=n)
                elif before.required and not after.required:
                    self._add("parameter-became-optional", where, "parameter became optional",
                              nodes=n)
                self._schema(where, before.schema, after.schema, "request", before.node,
                             after.node)

    def _media_at(self, holder: Any, media: str) -> str:
        """Where a media type key is written (or its body or response, in Swagger 2.0)."""
        content = holder.get("content") if isinstance(holder, dict) else None
        return self.at(content, media) or self.at(holder)

    def _content(self, where: str, old_holder: Any, new_holder: Any, old_raw: dict[str, Any],
                 new_raw: dict[str, Any], side: str) -> None:
        # media types are compared by what they are; their parameters (charset) once, apart
        old_as = {media_essence(m): m for m in sorted(old_raw)}
        new_as = {media_essence(m): m for m in sorted(new_raw)}
        old = {essence: old_raw[raw] for essence, raw in old_as.items()}
        new = {essence: new_raw[raw] for essence, raw in new_as.items()}
        for essence in sorted(set(old_as) & set(new_as)):
            before, after = old_as[essence], new_as[essence]
            if media_parameters(before) != media_parameters(after):
                change = f"media type {before} -> {after}"
                self._add("media-type-parameters-changed", where, change, cause=change,
                          old_at=self._media_at(old_holder, before),
                          new_at=self._media_at(new_holder, after))
        removed = sorted(set(old) - set(new))
        added = sorted(set(new) - set(old))
        for media in removed:
            self._add(f"{side}-media-type-removed", where, f"media type {media} removed",
                      self._names(old[media]), old_at=self._media_at(old_holder, old_as[media]),
                      nodes=(None, new_holder))
        for media in added:
            self._add(f"{side}-media-type-added", where, f"media type {media} added",
                      self._names(new[media]), nodes=(old_holder, None),
                      new_at=self._media_at(new_holder, new_as[media]))
        pairs = [(m, m) for m in sorted(set(old) & set(new))]
        if len(old) == 1 and len(new) == 1 and removed:
            pairs = [(removed[0], added[0])]  # one media type swapped for another: same payload
        for before, after in pairs:
            label = where if len(new) == 1 else f"{where} ({after})"
            self._schema(label, old[before], new[after], side, old_holder, new_holder)

    def _request_body(self, old: Body | None, new: Body | None) -> None:
        where = "request body"
        if old is None and new is None:
            return
        n = old.node if old else None, new.node if new else None
        if new is None:
            self._add("request-body-removed", where, "request body removed", nodes=n)
        elif old is None:
            if new.required:
                self._add("required-request-body-added", where, "required request body added",
                          nodes=n)
            else:
                self._add("request-body-added", where, "optional request body added", nodes=n)
        else:
            if new.required and not old.required:
                self._add("request-body-became-required", where, "request body became required",
                          nodes=n)
            elif old.required and not new.required:
                self._add("request-body-became-optional", where, "request body became optional",
                          nodes=n)
            self._content(where, old.node, new.node, old.content, new.content, "request")

    def _responses(self, old: dict[str, Response], new: dict[str, Response]) -> None:
        for code in sorted(set(old) | set(new)):
            where = f"response {code}"
            before, after = old.get(code), new.get(code)
            n = before.node if before else None, after.node if after else None
            if after is None:
                self._add("response-status-removed", where, f"status {code} no longer documented",
                          nodes=n)
            elif before is None:
                success = code[:1] in ("2", "3")
                self._add("success-status-added" if success else "error-status-added", where,
                          f"status {code} added", nodes=n)
            else:
                self._content(where, before.node, after.node, before.content, after.content,
                              "response")
                self._headers(where, before, after)

    def _headers(self, where: str, old: Response, new: Response) -> None:
        for name in sorted(set(old.headers) | set(new.headers)):
            before, after = old.headers.get(name), new.headers.get(name)
            # The name comes from the union of both sides: when ``after`` is missing, old has it.
            header = after if after is not None else old.headers[name]
            label = f"{where} header {header.name}"
            n = before.node if before else old.node, after.node if after else new.node
            if after is None:
                self._add("response-header-removed", label, "response header removed", nodes=n)
            elif before is None:
                self._add("response-header-added", label, "response header added", nodes=n)
            else:
                self._schema(label, before.schema, after.schema, "response", before.node,
                             after.node)

    def _security(self, old: Operation, new: Operation) -> None:
        n = (old.node.get("security") if isinstance(old.node, dict) else None,
             new.node.get("security") if isinstance(new.node, dict) else None)
        for alternative in sorted(old.security - new.security):
            self._add("security-requirement-removed", "security",
                      f"no longer accepted: {_alt_text(alternative)}", nodes=n)
        for alternative in sorted(new.security - old.security):
            self._add("security-requirement-added", "security",
                      f"newly accepted: {_alt_text(alternative)}", nodes=n)
