"""The certification document: verdicts with evidence, digests of every input, a gate.

Deterministic: the same inputs and seed give a byte-identical file (sorted keys, no wall-clock
figures, results in a fixed order). Tamper-evident: ``digest`` is the SHA-256 of the canonical
document without it, and ``inputs`` holds the SHA-256 of every contract and scenario file used;
``verify_digest`` recomputes the digest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from fake_core_bank import cores
from harness import __version__
from harness.certify.baseline import Waiver
from harness.certify.history import contract_key
from harness.certify.profiles import Profile
from harness.evidence import RunResult
from harness.paths import library_file
from harness.reporting.finding_text import first_problem
from harness.reporting.json_report import dumps as dumps  # the JSON format's renderer

FORMAT = "drawbridge/certificate@1"


def sha256_file(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def canonical(document: dict[str, Any]) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


def document_digest(document: dict[str, Any]) -> str:
    body = {k: v for k, v in document.items() if k != "digest"}
    return "sha256:" + hashlib.sha256(canonical(body)).hexdigest()


def verify_digest(document: dict[str, Any]) -> bool:
    return document.get("digest") == document_digest(document)


def _inputs(results: Sequence[RunResult]) -> dict[str, dict[str, str]]:
    contracts: dict[str, str] = {}
    model = cores.active()
    for version in model.sorted({r.version for r in results}):
        path = model.contract_path(version)
        contracts[contract_key(version)] = sha256_file(path)
    scenarios: dict[str, str] = {}
    for result in results:
        path = library_file(Path(result.source))
        if path.is_file():
            scenarios[result.source] = sha256_file(path)
    return {"contracts": contracts, "scenarios": dict(sorted(scenarios.items()))}


def gate_line(level: str, scenario: str, version: str, verdict: str, connector: str,
              result: dict[str, Any]) -> str:
    """One reason the gate failed: level, scenario@version, the connector, then the first
    finding with what was expected and what was observed."""
    return (f"{level.upper()} {scenario}@{version} {verdict}s for {connector}: "
            f"{first_problem(result)}")


def build_certificate(
    results: Sequence[RunResult],
    *,
    profile: Profile | None,
    waivers: Sequence[Waiver] = (),
    fail_on: str = "must",
    as_of: date,
    seed: int,
    interrupted: bool = False,
) -> dict[str, Any]:
    ordered = sorted(results, key=lambda r: (r.connector.label, r.scenario_id,
                                             cores.active().version_key(r.version)))
    matrix: list[dict[str, Any]] = []
    reasons: list[str] = []
    gated_levels = ("must",) if fail_on == "must" else ("must", "should")
    for result in ordered:
        level = profile.level(result.scenario_id) if profile else "must"
        label = result.connector.label
        waiver = next((w for w in waivers
                       if w.covers(result.scenario_id, result.version, result.connector.name)),
                      None)
        verdict = result.verdict
        if waiver is not None and waiver.expired(as_of):
            reasons.append(f"waiver for {result.scenario_id}@{result.version} ({label}) "
                           f"expired on {waiver.expires.isoformat()} (owner {waiver.owner})")
        elif waiver is not None and verdict != "pass":
            verdict = "waived"
        if verdict in ("fail", "error") and level in gated_levels:
            reasons.append(gate_line(level, result.scenario_id, result.version, verdict, label,
                                     result.to_dict()))
        matrix.append({
            "connector": label, "version": result.version, "scenario": result.scenario_id,
            "title": result.title, "cause": result.cause, "level": level, "verdict": verdict,
            "waiver": waiver.to_dict() if waiver else None,
            "versionsDeclared": list(result.connector.contracts),
            "versionsUsed": result.versions_used,
        })
    if interrupted:
        reasons.append("the run was interrupted: results are partial")
    connectors = {r.connector.label: r.connector.to_dict() for r in ordered}
    document: dict[str, Any] = {
        "format": FORMAT,
        "harness": {"name": "drawbridge", "version": __version__},
        # which bank's API the versions, contracts and scenarios below are about
        "core": cores.active().name,
        "profile": profile.to_dict() if profile else None,
        "seed": seed,
        "asOf": as_of.isoformat(),
        "inputs": _inputs(ordered),
        "connectors": [connectors[k] for k in sorted(connectors)],
        "versions": cores.active().sorted({r.version for r in ordered}),
        "matrix": matrix,
        "gate": {"failOn": fail_on, "passed": not reasons, "reasons": reasons},
        "results": [{**r.to_dict(), "level": m["level"], "connectorLabel": r.connector.label}
                    for r, m in zip(ordered, matrix, strict=True)],
    }
    document["digest"] = document_digest(document)
    return document
