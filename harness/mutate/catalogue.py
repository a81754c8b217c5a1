"""The active core model's wire mutation operators: what ``drawbridge mutate`` runs.

The built-in REST wire's catalogue (:data:`harness.mutate.operators.CATALOGUE`: headers,
status codes, problem bodies) is every core's unless its model names a module of its own in
``CoreModel.mutation_operators`` (a module whose ``OPERATORS`` is a sequence of
:class:`~harness.mutate.operators.base.Operator`). Built-in operators that do not fit a core's
wire change none of its traffic and count as not applicable (docs/mutation.md).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import inspect
from pathlib import Path

import orjson

from fake_core_bank import cores
from fake_core_bank.errors import InputError
from harness.mutate import operators
from harness.mutate.operators.base import Operator


def active() -> dict[str, Operator]:
    """The active core model's operators, by id."""
    name = cores.active().mutation_operators
    return of_module(name) if name else operators.CATALOGUE


@functools.cache
def of_module(name: str) -> dict[str, Operator]:
    """The operators of module ``name`` (its ``OPERATORS``); InputError when it has none."""
    where = f"core model {cores.active().name}: mutation_operators"
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise InputError(where, f"cannot import {name}: {exc}",
                         "name an importable module that defines OPERATORS") from exc
    found = getattr(module, "OPERATORS", None)
    if not isinstance(found, list | tuple) or not found \
            or not all(isinstance(op, Operator) for op in found):
        raise InputError(where, f"{name}.OPERATORS is not a non-empty sequence of Operator",
                         "define OPERATORS = (Operator(...), ...) with "
                         "harness.mutate.operators.base.Operator")
    ids = [op.id for op in found]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise InputError(where, f"{name}.OPERATORS names {', '.join(twice)} twice",
                         "give each operator its own id")
    return {op.id: op for op in found}


def digest() -> str:
    """The catalogue digest of the active core's operators: the built-in one's
    (:func:`harness.mutate.operators.catalogue_digest`), or one over the core's operators, their
    module's code and the code that applies them."""
    name = cores.active().mutation_operators
    if not name:
        return operators.catalogue_digest()
    found = of_module(name)
    hashed = hashlib.sha256(orjson.dumps([op.to_dict() for op in found.values()]))
    package = Path(operators.__file__).parent
    source = inspect.getsourcefile(importlib.import_module(name))
    code = [package / "base.py", package.parent / "wire.py"]
    for path in code + ([Path(source)] if source else []):
        hashed.update(path.read_bytes())
    return "sha256:" + hashed.hexdigest()


def select(ids: str | None) -> tuple[Operator, ...]:
    """The active core's operators named in a comma-separated ``--operators`` value (all when
    None)."""
    known = active()
    if known is operators.CATALOGUE:
        return operators.select(ids)
    if ids is None:
        return tuple(known.values())
    names = [part.strip() for part in ids.split(",") if part.strip()]
    if not names:
        raise InputError("--operators", "no operator named", f"list ids, e.g. {next(iter(known))}")
    for name in names:
        if name not in known:
            raise InputError.for_unknown_name("--operators", "operator", name, known)
    return tuple(dict.fromkeys(known[name] for name in names))
