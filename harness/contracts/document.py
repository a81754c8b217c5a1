"""Compare two whole contracts: paths and operations, servers, components."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from harness.contracts.locate import Locator
from harness.contracts.model import Change
from harness.contracts.normalise import Contract, Operation
from harness.contracts.operations import OperationComparer, make_change
from harness.contracts.schemas import SchemaComparer


def _base_path(url: str) -> str:
    return urlsplit(url).path.rstrip("/") or "/"


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else "(relative)"


def _paths(old: Contract, new: Contract, ops: OperationComparer) -> list[Change]:
    out: list[Change] = []
    new_ids = {op.operation_id: op for ops_ in new.paths.values() for op in ops_.values()
               if op.operation_id}
    old_ids = {op.operation_id: op for ops_ in old.paths.values() for op in ops_.values()
               if op.operation_id}

    def rename_hint(op: Operation, other: dict[str, Operation], word: str) -> str:
        twin = other.get(op.operation_id) if op.operation_id else None
        if twin is None or twin.template == op.template:
            return ""
        return f"; likely renamed {word} {twin.template} (same operationId {op.operation_id!r})"

    for key in sorted(set(old.paths) | set(new.paths)):
        before, after = old.paths.get(key, {}), new.paths.get(key, {})
        if not after or not before:
            rule = "path-removed" if not after else "path-added"
            for _method, op in sorted((before or after).items()):
                hint = rename_hint(op, new_ids if not after else old_ids,
                                   "to" if not after else "from")
                verb = "removed" if not after else "added"
                at = ops.at(op.node)
                out.append(make_change(rule, op.label, "", f"path {op.template} {verb}{hint}",
                                       old_at=at if not after else "",
                                       new_at=at if after else ""))
            continue
        for method in sorted(set(before) | set(after)):
            if method not in after:
                op = before[method]
                out.append(make_change("operation-removed", op.label, "",
                                       f"operation removed{rename_hint(op, new_ids, 'to')}",
                                       old_at=ops.at(op.node)))
            elif method not in before:
                op = after[method]
                out.append(make_change("operation-added", op.label, "",
                                       f"operation added{rename_hint(op, old_ids, 'from')}",
                                       new_at=ops.at(op.node)))
            else:
                out.extend(ops.compare(before[method], after[method]))
    return out


def _servers(old: Contract, new: Contract, locate: Locator) -> list[Change]:
    """Server changes, located at each document's ``servers`` (or ``host``) key."""
    def where(contract: Contract) -> str:
        return next((found for key in ("servers", "host", "basePath")
                     if (found := locate.at(contract.document, key))), "")

    old_at, new_at = where(old), where(new)
    return [replace(c, old_at=old_at, new_at=new_at) for c in _server_changes(old, new)]


def _server_changes(old: Contract, new: Contract) -> list[Change]:
    if old.servers and not new.servers:
        return [make_change("servers-removed", "", "servers",
                            f"servers block removed (was {', '.join(old.servers)})")]
    if new.servers and not old.servers:
        return [make_change("servers-added", "", "servers",
                            f"servers block added ({', '.join(new.servers)})")]
    if not old.servers:
        return []
    out = []
    before, after = _base_path(old.servers[0]), _base_path(new.servers[0])
    if before != after:
        out.append(make_change("base-path-changed", "", "servers[0].url",
                               f"base path {before} -> {after}"))
    old_hosts = {_host(u) for u in old.servers}
    new_hosts = {_host(u) for u in new.servers}
    out += [make_change("server-removed", "", "servers", f"server {h} removed")
            for h in sorted(old_hosts - new_hosts)]
    out += [make_change("server-added", "", "servers", f"server {h} added")
            for h in sorted(new_hosts - old_hosts)]
    return out


def _scheme_shape(scheme: Any) -> Any:
    """The parts of a security scheme that decide how credentials travel."""
    if not isinstance(scheme, dict):
        return scheme
    flows = scheme.get("flows") or {}
    return (scheme.get("type"), scheme.get("in"), str(scheme.get("name", "")).lower(),
            str(scheme.get("scheme", "")).lower(), sorted(flows) if isinstance(flows, dict)
            else flows, scheme.get("flow"), scheme.get("openIdConnectUrl"))


def _components(old: Contract, new: Contract, locate: Locator) -> list[Change]:
    out = []
    for name in sorted(set(old.schemas) - set(new.schemas)):
        out.append(make_change("schema-removed", "", f"components.schemas.{name}",
                               f"schema {name} removed", old_at=locate.at(old.schemas[name])))
    for name in sorted(set(new.schemas) - set(old.schemas)):
        out.append(make_change("schema-added", "", f"components.schemas.{name}",
                               f"schema {name} added", new_at=locate.at(new.schemas[name])))
    for name in sorted(set(old.security_schemes) | set(new.security_schemes)):
        where = f"components.securitySchemes.{name}"
        before, after = old.security_schemes.get(name), new.security_schemes.get(name)
        rule, message = "", ""
        if after is None:
            rule, message = "security-scheme-removed", f"{name} removed"
        elif before is None:
            rule, message = "security-scheme-added", f"{name} added"
        elif _scheme_shape(before) != _scheme_shape(after):
            rule, message = "security-scheme-changed", f"{name} changed how credentials are sent"
        if rule:
            out.append(make_change(rule, "", where, message, old_at=locate.at(before),
                                   new_at=locate.at(after)))
    return out


def compare_contracts(old: Contract, new: Contract) -> list[Change]:
    """Every change from ``old`` to ``new``, sorted: severity, location, rule, message."""
    names = {id(schema): name for contract in (old, new)
             for name, schema in contract.schemas.items() if isinstance(schema, dict)}
    locate = Locator(old.resolver, new.resolver)
    ops = OperationComparer(SchemaComparer(names=names, locate=locate))
    changes = (_paths(old, new, ops) + _servers(old, new, locate)
               + _components(old, new, locate))
    return sorted(set(changes))
