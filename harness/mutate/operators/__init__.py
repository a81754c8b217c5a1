"""The catalogue of wire mutation operators: one registry every consumer reads (docs/mutation.md).

>>> CATALOGUE["strip-locked-until"].oracles
('reason-propagation',)
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson

from fake_core_bank.errors import InputError
from harness.mutate.operators import controls, requests, responses
from harness.mutate.operators.base import Operator

CATALOGUE: dict[str, Operator] = {
    op.id: op for op in (*requests.OPERATORS, *responses.OPERATORS, *controls.OPERATORS)}


def catalogue_digest() -> str:
    """SHA-256 over every operator's description and the code that applies them: a report or
    certificate names the exact catalogue its score was measured with."""
    digest = hashlib.sha256(orjson.dumps([op.to_dict() for op in CATALOGUE.values()]))
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    digest.update(Path(__file__).parent.parent.joinpath("wire.py").read_bytes())
    return "sha256:" + digest.hexdigest()


def select(ids: str | None) -> tuple[Operator, ...]:
    """The operators named in a comma-separated ``--operators`` value (all when None)."""
    if ids is None:
        return tuple(CATALOGUE.values())
    chosen = []
    for name in (part.strip() for part in ids.split(",")):
        if name not in CATALOGUE:
            raise InputError.for_unknown_name("--operators", "operator", name, CATALOGUE)
        chosen.append(CATALOGUE[name])
    if not chosen:
        raise InputError("--operators", "no operator named", "list ids, e.g. hammer-503")
    return tuple(dict.fromkeys(chosen))
