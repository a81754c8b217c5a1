"""Helpers of the mutation tests: the real command in a subprocess, its report, profiles."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
REFERENCE = "python:examples.connectors.reference_py:ReferenceConnector"
NODE = f"command:node {REPO / 'examples/connectors/node/connector.js'}"


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    out: Path

    @property
    def report(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.out / "mutation.json").read_text("utf-8"))
        return data

    def verdicts(self) -> dict[str, str]:
        return {m["operator"]: m["verdict"] for m in self.report["mutants"]}


def mutate(out: Path, *args: str, cwd: Path = REPO, connector: str = REFERENCE) -> Outcome:
    """``drawbridge mutate --connector CONNECTOR --out OUT ARGS`` as a user runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli.main", "mutate", "--connector", connector,
         "--out", str(out), *args],
        cwd=cwd, capture_output=True, text=True, timeout=900, check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    return Outcome(done.returncode, done.stdout, done.stderr, out)


def holed_profile(tmp: Path, version: str, without: str) -> Path:
    """A copy of a built-in profile with one MUST scenario removed."""
    source = (REPO / "scenarios/profiles" / f"{version}.yaml").read_text("utf-8")
    lines = [ln for ln in source.splitlines() if ln.strip() != f"- {without}"]
    assert len(lines) == len(source.splitlines()) - 1, f"{without} is not listed once"
    path = tmp / f"{version}-without-{without}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def small_profile(tmp: Path, *must: str, version: str = "v2") -> Path:
    """A profile of a few MUST scenarios, for tests that need a fast run."""
    path = tmp / "small.yaml"
    path.write_text(f"format: drawbridge/profile@1\nid: small\ntitle: a few scenarios\n"
                    f"version: {version}\nmust: [{', '.join(must)}]\n", encoding="utf-8")
    return path
