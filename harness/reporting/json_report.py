"""The run as one JSON document: deterministic (sorted keys, no wall-clock figures).

Written atomically (a temporary file renamed into place), so a killed run never leaves a
half-written report where a complete one was; :mod:`harness.reporting.formats` writes it with
the other formats.
"""

from __future__ import annotations

from typing import Any

import orjson

from harness import __version__
from harness.evidence import RunResult
from harness.paths import write_atomic as write_atomic  # the one writer of artefacts


def run_document(results: tuple[RunResult, ...] | list[RunResult], *, seed: int,
                 interrupted: bool = False) -> dict[str, Any]:
    connectors = {r.connector.label: r.connector.to_dict() for r in results}
    return {
        "format": "drawbridge/results@1",
        "harness": {"name": "drawbridge", "version": __version__},
        "seed": seed,
        "interrupted": interrupted,
        "connectors": [connectors[k] for k in sorted(connectors)],
        "summary": {
            "runs": len(results),
            "passed": sum(r.verdict == "pass" for r in results),
            "failed": sum(r.verdict == "fail" for r in results),
            "errors": sum(r.verdict == "error" for r in results),
        },
        "results": [r.to_dict() for r in results],
    }


def dumps(document: dict[str, Any]) -> bytes:
    """The JSON format's renderer (results.json, certificate.json, mutation.json): sorted keys,
    indented, one final newline."""
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n"
