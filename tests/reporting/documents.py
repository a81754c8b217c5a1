"""Real documents for the renderer tests: runs of a few library scenarios through the engine.

The scenarios are chosen for what the reports must draw: a maintenance window, a connection
dropped after commit, a version switch and a rolling upgrade, a line-state case, and one that
passes. The legacy connector fails most of them; the reference connector passes them all.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

import orjson

from harness.drivers import driver_factory
from harness.engine.runner import RunOptions
from harness.engine.session import plan, run_plan
from harness.evidence import RunResult
from harness.paths import scenarios_root
from harness.reporting.json_report import run_document
from harness.scenarios.library import load_library

LEGACY = "python:examples.connectors.legacy_v1:LegacyV1Connector"
REFERENCE = "python:examples.connectors.reference_py:ReferenceConnector"
SCENARIOS = (
    "maintenance/full-outage-retry-after.yaml",
    "fault/lost-response-after-commit.yaml",
    "integration/upgrade-retires-v1.yaml",
    "integration/rolling-upgrade-v2-v3.yaml",
    "line-state/lock-period-case-study.yaml",
    "line-state/frozen-line.yaml",
)
SEED = 7


def run(spec: str, versions: tuple[str, ...]) -> list[RunResult]:
    library = load_library([scenarios_root() / name for name in SCENARIOS])
    make_driver, identity = driver_factory(spec)
    results, interrupted = run_plan(plan(library, versions), make_driver, identity,
                                    RunOptions(seed=SEED), jobs=3)
    assert not interrupted
    return results


def certificate(legacy: list[RunResult], reference: list[RunResult]) -> dict[str, Any]:
    """A certification document as ``drawbridge certify`` writes it (format certificate@1).

    Built here from real results because the renderers must not wait for the certify command;
    one legacy failure is waived so the page has every verdict but ``error``.
    """
    must = ["full-outage-retry-after", "lost-response-after-commit", "frozen-line"]
    should = ["upgrade-retires-v1", "rolling-upgrade-v2-v3"]
    waived = ("lock-period-case-study", "v2", "legacy-v1@0.9.3")
    matrix, results = [], []
    for result in [*legacy, *reference]:
        label = result.connector.label
        level = "must" if result.scenario_id in must else \
            "should" if result.scenario_id in should else "info"
        verdict, waiver = result.verdict, None
        if (result.scenario_id, result.version, label) == waived and verdict == "fail":
            verdict = "waived"
            waiver = {"owner": "张伟 <ops@example.com>", "reason": "锁定期修复在 0.9.4 发布",
                      "expires": "2026-06-30"}
        matrix.append({"connector": label, "version": result.version,
                       "scenario": result.scenario_id, "title": result.title,
                       "cause": result.cause, "level": level, "verdict": verdict,
                       "waiver": waiver})
        results.append({**result.to_dict(), "level": level, "connectorLabel": label})
    failing_must = sorted(f"{m['scenario']}@{m['version']} on {m['connector']}" for m in matrix
                          if m["level"] == "must" and m["verdict"] in ("fail", "error"))
    connectors = {r.connector.label: r.connector.to_dict() for r in [*legacy, *reference]}
    document: dict[str, Any] = {
        "format": "drawbridge/certificate@1",
        "harness": {"name": "drawbridge", "version": "0.1.0"},
        "profile": {"id": "v2", "title": "Core-banking lending API v2", "version": "v2",
                    "must": must, "should": should},
        "seed": SEED,
        "inputs": {"contracts": {"contracts/v2.yaml": "ab" * 32},
                   "scenarios": {f"scenarios/{name}": hashlib.sha256(name.encode()).hexdigest()
                                 for name in SCENARIOS}},
        "connectors": [connectors[k] for k in sorted(connectors)],
        "versions": ["v2", "v3"],
        "matrix": matrix,
        "gate": {"failOn": "must", "passed": not failing_must,
                 "reasons": [f"MUST scenario failed: {x}" for x in failing_must]},
        "results": results,
    }
    body = orjson.dumps(document, option=orjson.OPT_SORT_KEYS)
    document["digest"] = "sha256:" + hashlib.sha256(body).hexdigest()
    return document


def plain_run(results: list[RunResult]) -> dict[str, Any]:
    return run_document(results, seed=SEED)


def with_hostile_text(document: dict[str, Any]) -> dict[str, Any]:
    """The document with markup in a title, a finding, a journal body and a connector note."""
    doc = copy.deepcopy(document)
    failing = next(r for r in doc["results"] if r["verdict"] == "fail")
    failing["title"] = "<script>window.__pwned = 1</script> 标题"
    failing["findings"][0]["message"] = '<img src=x onerror="window.__pwned = 2">'
    failing["notes"] = ["</details><script>window.__pwned = 3</script>"]
    exchange = next(e for e in failing["journal"] if e["kind"] == "exchange")
    exchange["path"] = "/v1/<svg onload=alert(1)>"
    for entry in [*doc.get("matrix", []), *doc["results"]]:
        if entry["scenario"] == failing["scenario"]:  # one scenario, one title
            entry["title"] = failing["title"]
    return doc
