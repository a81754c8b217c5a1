"""The run as one JSON document: deterministic (sorted keys, no wall-clock figures).

Written atomically (a temporary file renamed into place), so a killed run never leaves a
half-written report where a complete one was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from harness import __version__
from harness.engine.events import Event, RunFinished, RunStarted
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
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n"


class DocumentReporter:
    """Base of the reporters that turn the run document into one file when the run finishes.

    It remembers the seed from RunStarted (RunFinished does not carry it) and writes
    ``render(document)`` atomically; a subclass only says how the document looks.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seed = 0

    def render(self, document: dict[str, Any]) -> bytes:
        raise NotImplementedError

    def handle(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self.seed = event.seed
        elif isinstance(event, RunFinished):
            document = run_document(event.results, seed=self.seed,
                                    interrupted=event.interrupted)
            write_atomic(self.path, self.render(document))


class JsonReporter(DocumentReporter):
    """Writes results.json."""

    def render(self, document: dict[str, Any]) -> bytes:
        return dumps(document)
