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
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from fake_core_bank import cores
from fake_core_bank.errors import InputError
from harness.contracts.drift import Drift, Verification
from harness.contracts.normalise import load_contract


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
