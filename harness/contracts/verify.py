"""Provider verification: does a server that claims a contract version actually honour it?

Schemathesis generates requests from the contract (its examples, a coverage pass, random
property-based cases and stateful sequences that follow the contract's ``links``), sends them
to the provider and checks every answer: no 5xx, only documented status codes, documented
content types, bodies and headers that match the response schemas. Each failed check becomes a
:class:`Drift` naming the operation, the check, the offending field or status and the smallest
request that showed it.

>>> report = verify_provider("http://127.0.0.1:8000", "v2", max_examples=10)  # doctest: +SKIP
>>> [d.summary for d in report.drifts]  # doctest: +SKIP
['GET /credit-lines/{lineId} response_schema_conformance .limit']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from fake_core_bank import cores
from fake_core_bank.errors import InputError
from harness.contracts.normalise import load_contract

#: the schemathesis checks that judge a provider against its contract
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance", "response_headers_conformance")
_BODY_SNIPPET = 300


@dataclass(frozen=True, order=True)
class Drift:
    """One way the provider departs from the contract, with the smallest example seen."""

    operation: str  # "GET /credit-lines/{lineId}", as in the contract
    check: str  # a name from CHECKS
    field: str  # ".limit", ".items[].purposeCode", "status 418", "header Location", ...
    problem: str  # one line, e.g. "'300000.00' is not of type \"integer\""
    request: str  # "GET http://.../v2/credit-lines/CL000001" (+ body on the next line)
    status: int | None
    response: str  # the start of the response body
    reproduce: str  # a curl command (stateful drifts: the steps leading to it, one per line)
    phase: str  # examples, coverage, fuzzing or stateful

    @property
    def summary(self) -> str:
        """``operation check field``: what a person scans first."""
        return " ".join(part for part in (self.operation, self.check, self.field) if part)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping with stable keys."""
        return {"operation": self.operation, "check": self.check, "field": self.field,
                "problem": self.problem, "request": self.request, "status": self.status,
                "response": self.response, "reproduce": self.reproduce, "phase": self.phase}


@dataclass
class Verification:
    """What one verification run found."""

    contract: str
    base_url: str
    seed: int
    max_examples: int
    drifts: list[Drift] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the run could not test something
    requests: int = 0
    operations: set[str] = field(default_factory=set)  # operations that received requests

    @property
    def ok(self) -> bool:
        """No drift and nothing left untested because of an error."""
        return not self.drifts and not self.errors


def resolve_contract(name: str) -> Path:
    """A version of the active core model (``v2``) or a path to an OpenAPI document; anything
    else is bad input."""
    model = cores.active()
    if name in model.versions:
        return model.contract_path(name)
    path = Path(name)
    if not path.is_file():
        raise InputError("--contract", f"{name!r} is neither a known version nor a file",
                         f"pass one of {', '.join(model.versions)} or the path of an "
                         "OpenAPI document")
    return path


def target_url(base_url: str, server_path: str) -> str:
    """The provider's URL for the contract: ``base_url`` plus the contract's server path.

    ``http://127.0.0.1:8000`` with a contract served under ``/v2`` gives ``.../v2``; a base
    URL that already ends with that path is used as given.
    """
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError("--base-url", f"{base_url!r} is not an http(s) URL",
                         "pass the provider's root, e.g. http://127.0.0.1:8000")
    base = base_url.rstrip("/")
    prefix = urlsplit(server_path).path.rstrip("/")
    return base if not prefix or base.endswith(prefix) else base + prefix


def check_reachable(url: str) -> None:
    """Fail fast, with a fix, when nothing answers at ``url`` (any HTTP answer will do)."""
    try:
        httpx.get(url, timeout=5.0)
    except httpx.HTTPError as exc:
        reason = type(exc).__name__ if not str(exc) else str(exc)
        raise InputError("--base-url", f"nothing answers at {url} ({reason})",
                         "start the provider or correct --base-url") from None


def verify_provider(base_url: str, contract: str, *, max_examples: int = 20,
                    seed: int = 1, on_scenario: Callable[[str, str], None] | None = None,
                    ) -> Verification:
    """Check the provider at ``base_url`` against ``contract`` (``v2`` or a path);
    ``on_scenario(label, status)`` is told of each finished operation and phase."""
    # schemathesis is heavy to import; only this command needs it
    from harness.contracts.verify_run import run_schemathesis

    if max_examples < 1:
        raise InputError("--max-examples", f"{max_examples} is not positive",
                         "pass 1 or more (20 is a good start)")
    path = resolve_contract(contract)
    document = load_contract(path)  # bad documents fail here, with a file:line message
    if not any(document.paths.values()):
        raise InputError(str(path), "the contract declares no operation, so nothing can be "
                         "verified", "point --contract at a document with paths")
    url = target_url(base_url, document.servers[0] if document.servers else "")
    check_reachable(url)
    result = Verification(contract=str(contract), base_url=url, seed=seed,
                          max_examples=max_examples)
    run_schemathesis(path, url, result, on_scenario)
    result.drifts = minimal_drifts(result.drifts)
    return result


def minimal_drifts(drifts: list[Drift]) -> list[Drift]:
    """One drift per (operation, check, field, problem shape): the one with the shortest request.

    The same defect shows up in several phases and many examples; people need one small
    reproduction per defect, and the same one on every run.
    """
    best: dict[tuple[str, str, str, str], Drift] = {}
    for drift in drifts:
        key = (drift.operation, drift.check, drift.field, _shape(drift.problem))
        current = best.get(key)
        if current is None or _size(drift) < _size(current):
            best[key] = drift
    return sorted(best.values())


def _shape(problem: str) -> str:
    """The problem without the offending value, so '1' and '2' are the same defect."""
    return re.sub(r"^(\S+|'[^']*'|\"[^\"]*\") is not", "VALUE is not", problem)


def _size(drift: Drift) -> tuple[int, str]:
    return len(drift.request) + len(drift.reproduce), drift.request
