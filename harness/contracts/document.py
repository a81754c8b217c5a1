"""Compare two whole contracts: paths and operations, servers, components."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

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
                out.append(make_change(rule, op.label, "", f"path {op.template} {verb}{hint}"))
            continue
        for method in sorted(set(before) | set(after)):
            if method not in after:
                op = before[method]
                out.append(make_change("operation-removed", op.label, "",
                                       f"operation removed{rename_hint(op, new_ids, 'to')}"))
            elif method not in before:
                op = after[method]
                out.append(make_change("operation-added", op.label, "",
                                       f"operation added{rename_hint(op, old_ids, 'from')}"))
            else:
                out.extend(ops.compare(before[method], after[method]))
    return out


def _servers(old: Contract, new: Contract) -> list[Change]:
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


def _components(old: Contract, new: Contract) -> list[Change]:
    out = []
    for name in sorted(set(old.schemas) - set(new.schemas)):
        out.append(make_change("schema-removed", "", f"components.schemas.{name}",
                               f"schema {name} removed"))
    for name in sorted(set(new.schemas) - set(old.schemas)):
        out.append(make_change("schema-added", "", f"components.schemas.{name}",
                               f"schema {name} added"))
    for name in sorted(set(old.security_schemes) | set(new.security_schemes)):
        where = f"components.securitySchemes.{name}"
        before, after = old.security_schemes.get(name), new.security_schemes.get(name)
        if after is None:
            out.append(make_change("security-scheme-removed", "", where, f"{name} removed"))
        elif before is None:
            out.append(make_change("security-scheme-added", "", where, f"{name} added"))
        elif _scheme_shape(before) != _scheme_shape(after):
            out.append(make_change("security-scheme-changed", "", where,
                                   f"{name} changed how credentials are sent"))
    return out


def compare_contracts(old: Contract, new: Contract) -> list[Change]:
    """Every change from ``old`` to ``new``, sorted: severity, location, rule, message."""
    names = {id(schema): name for contract in (old, new)
             for name, schema in contract.schemas.items() if isinstance(schema, dict)}
    ops = OperationComparer(SchemaComparer(names=names))
    changes = _paths(old, new, ops) + _servers(old, new) + _components(old, new)
    return sorted(set(changes))
