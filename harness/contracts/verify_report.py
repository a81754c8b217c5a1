"""Render a provider verification: text for people, JSON (sorted keys) for pipelines."""

from __future__ import annotations

import json

from harness.contracts.drift import Verification


def headline(result: Verification) -> str:
    """One line: the verdict, with counts."""
    ops = len({d.operation for d in result.drifts})
    verdict = (f"{len(result.drifts)} drift{'s' if len(result.drifts) != 1 else ''} in {ops} "
               f"operation{'s' if ops != 1 else ''}" if result.drifts else "no drift")
    errors = f", {len(result.errors)} error(s)" if result.errors else ""
    return (f"{result.base_url} against {result.contract}: {verdict}{errors} "
            f"({result.requests} requests to {len(result.operations)} operations, "
            f"seed {result.seed}, max-examples {result.max_examples})")


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def render_text(result: Verification) -> str:
    """The headline, then each drift with its smallest example and a way to reproduce it."""
    lines = [headline(result)]
    for drift in result.drifts:
        lines += ["", f"DRIFT {drift.summary}", f"  problem:  {drift.problem}",
                  f"  found in: {drift.phase} phase", "  request:", _indent(drift.request),
                  f"  response: {drift.status}", _indent(drift.response),
                  "  reproduce:", _indent(drift.reproduce)]
    for error in result.errors:
        lines += ["", f"ERROR {error}"]
    return "\n".join(lines) + "\n"


def render_json(result: Verification) -> str:
    """``{"contract", "base_url", "seed", "max_examples", "requests", "operations", "drifts",
    "errors"}``; byte-identical for the same findings."""
    data = {"contract": result.contract, "base_url": result.base_url, "seed": result.seed,
            "max_examples": result.max_examples, "requests": result.requests,
            "operations": sorted(result.operations),
            "drifts": [d.as_dict() for d in result.drifts], "errors": result.errors}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


RENDERERS = {"text": render_text, "json": render_json}
