"""Drive schemathesis' engine against one provider and turn its failed checks into drifts.

Kept apart from :mod:`harness.contracts.verify` because it is the only module that imports
schemathesis (slow to import, and its API is the part most likely to move between releases).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis import engine
from schemathesis.engine import events
from schemathesis.engine.recorder import ScenarioRecorder
from schemathesis.errors import LoaderError

from fake_core_bank.errors import InputError
from harness.contracts.drift import BODY_SNIPPET, CHECKS, Drift, Verification


def _config(url: str, result: Verification) -> Any:
    return schemathesis.Config.from_dict({
        "seed": result.seed,
        "base-url": url,
        "workers": 1,  # one worker: requests in the same order on every run
        "request-timeout": 10,
        "generation": {
            "max-examples": result.max_examples,
            # positive cases only: we judge the provider's answers to valid requests;
            # refusing invalid ones is the fake bank's own test suite's business
            "mode": "positive",
            "deterministic": True,
            "database": "none",  # no example database: same seed, same requests
        },
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
    })


def run_schemathesis(path: Path, url: str, result: Verification,
                     on_scenario: Callable[[str, str], None] | None = None) -> None:
    """Run every phase (examples, coverage, fuzzing, stateful) and fill ``result``;
    ``on_scenario(label, status)`` hears of every finished operation and phase (progress)."""
    try:
        schema = schemathesis.openapi.from_path(str(path), config=_config(url, result))
    except LoaderError as exc:  # a document our loader accepted but schemathesis does not
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(str(path), f"schemathesis cannot load the contract: {first}",
                         "validate the document as OpenAPI 3.x") from None
    for event in engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            _collect(event.recorder, event.phase.value, result)
            if on_scenario is not None:
                label = f"{event.phase.value} {event.label or 'stateful'}"
                on_scenario(label, str(getattr(event.status, "value", event.status) or ""))
        elif isinstance(event, events.NonFatalError):
            result.errors.append(f"{event.label}: {_first_line(str(event.value))}")
        elif isinstance(event, events.FatalError):
            result.errors.append(f"fatal: {_first_line(str(event.exception))}")


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0].strip() if lines else ""


def _collect(recorder: ScenarioRecorder, phase: str, result: Verification) -> None:
    for node in recorder.cases.values():
        result.operations.add(node.value.operation.label)
    result.requests += len(recorder.interactions)
    for case_id, checks in recorder.checks.items():
        for check in checks:
            info = check.failure_info
            if info is None or check.name not in CHECKS:
                continue
            failure = info.failure
            failed_id = failure.case_id or case_id
            interaction = recorder.interactions.get(failed_id)
            if interaction is None or interaction.response is None:
                continue
            response = interaction.response
            steps = "\n".join(step.curl for step in info.steps) if len(info.steps) > 1 else ""
            result.drifts.append(Drift(
                operation=failure.operation or recorder.label,
                check=check.name,
                field=_field(failure),
                problem=_problem(failure),
                request=_request_text(interaction.request),
                status=response.status_code,
                response=response.content[:BODY_SNIPPET].decode("utf-8", "replace"),
                reproduce=steps or info.code_sample.strip(),
                phase=phase,
            ))


def _request_text(request: Any) -> str:
    line = f"{request.method} {request.uri}"
    body = request.body
    if body:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        line += f"\n{text[:BODY_SNIPPET]}"
    return line


def _pointer(path: list[Any]) -> str:
    """A JSON instance path as ``.items[].amount`` (indices folded: one defect, many items)."""
    return "".join("[]" if isinstance(part, int) else f".{part}" for part in path)


def _field(failure: Any) -> str:
    """What in the response is wrong: a body field, a status code, a header, the media type."""
    kind = type(failure).__name__
    if kind == "JsonSchemaError":
        where = _pointer(list(failure.instance_path))
        keyword = str(list(failure.schema_path)[-1]) if list(failure.schema_path) else ""
        name = _missing_name(_problem(failure)) if keyword == "required" else None
        if name is not None:
            where += f".{name}"
        return where or "(body)"
    if kind in ("UndefinedStatusCode", "ServerError"):
        return f"status {failure.status_code}"
    if kind == "MissingHeaders":
        return "header " + ", ".join(failure.missing_headers)
    if kind in ("UndefinedContentType", "MalformedMediaType", "MissingContentType"):
        return "Content-Type"
    return ""


def _missing_name(problem: str) -> str | None:
    if problem.endswith(" is a required property"):
        return problem.removesuffix(" is a required property").strip("'\"")
    return None


def _problem(failure: Any) -> str:
    return _first_line(str(failure.message)) or str(failure.title)
