"""The evidence of a run: who the connector is, what each operation did, what the oracles
found, and the verdict of each scenario run.

Everything here is plain data with a deterministic ``to_dict`` and no wall-clock figures, so
the same seed gives byte-identical result files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from fake_core_bank import cores
from harness.outcome import Outcome
from harness.redaction import redact, redact_entry, redact_text


@dataclass(frozen=True)
class Identity:
    """Who the connector says it is; part of every report and certificate."""

    name: str
    version: str = "unknown"
    contracts: tuple[str, ...] = ()  # contract versions it declares it speaks
    spec: str = ""  # how it was started (the --connector value)
    path: str = ""  # the --connector-path a python connector is imported from, if any

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "version": self.version,
                                "contracts": list(self.contracts), "spec": self.spec}
        if self.path:  # only when given: documents without it keep their bytes
            data["path"] = self.path
        return data

    @property
    def command_options(self) -> str:
        """The ``--connector`` (and ``--connector-path``) options that start this connector
        again, as a reproduce command writes them."""
        options = f"--connector '{self.spec}'"
        return f"{options} --connector-path '{self.path}'" if self.path else options

    @classmethod
    def from_wire(cls, data: Any, spec: str, fallback: str, path: str = "") -> Identity:
        if not isinstance(data, dict):
            return cls(fallback, spec=spec, path=path)
        contracts = data.get("contracts") or ()
        return cls(
            name=str(data.get("name") or fallback),
            version=str(data.get("version") or "unknown"),
            contracts=tuple(str(c) for c in contracts if isinstance(c, str)),
            spec=spec,
            path=path,
        )

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"


@dataclass
class OperationRecord:
    step: str
    kind: str
    intent: str
    at: str  # virtual time the operation began
    request: dict[str, Any]
    outcome: Outcome
    first_seq: int  # journal entries of this operation: first_seq < seq <= last_seq
    last_seq: int
    expect: dict[str, Any] | None = None
    #: the contract version the connector addressed (from the journal); None: it sent nothing
    version_used: str | None = None
    #: why ``expect`` is not the step's default expectation ("byVersion v2", "not judged: ...")
    expect_basis: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {"step": self.step, "kind": self.kind, "intent": self.intent, "at": self.at,
                "request": self.request, "outcome": self.outcome.to_dict(),
                "expect": self.expect, "journal": [self.first_seq + 1, self.last_seq],
                "versionUsed": self.version_used}
        if self.expect_basis is not None:
            data["expectBasis"] = self.expect_basis
        return data


@dataclass
class Finding(AssertionError):  # noqa: N818 -- a finding, reported natively by pytest
    """One oracle's objection, with what it expected, what it saw, and where to look."""

    oracle: str
    message: str
    step: str | None = None
    expected: str | None = None
    observed: str | None = None
    journal: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        text = f"[{self.oracle}] {self.message}"
        if self.expected is not None:
            text += f"\n  expected: {self.expected}"
        if self.observed is not None:
            text += f"\n  observed: {self.observed}"
        if self.journal:
            text += f"\n  journal entries: {', '.join(f'#{n}' for n in self.journal)}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"oracle": self.oracle, "step": self.step, "message": self.message,
                "expected": self.expected, "observed": self.observed, "journal": self.journal}


@dataclass
class RunResult:
    """One scenario at one core version against one connector."""

    scenario_id: str
    title: str
    cause: str
    version: str
    source: str
    seed: int
    connector: Identity
    verdict: str = "pass"  # pass | fail | error
    findings: list[Finding] = field(default_factory=list)
    operations: list[OperationRecord] = field(default_factory=list)
    journal: list[dict[str, Any]] = field(default_factory=list)
    snapshot: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def key(self) -> str:
        return f"{self.scenario_id}@{self.version}"

    @property
    def versions_used(self) -> list[str]:
        """The contract versions the connector addressed in this run, oldest first."""
        return sorted_versions(o.version_used for o in self.operations)

    @property
    def passed(self) -> bool:
        return self.verdict == "pass"

    def reproduce_command(self, connector_spec: str) -> str:
        options = replace(self.connector, spec=connector_spec).command_options
        model = cores.active()
        core = f" --core {model.spec}" if model.spec not in ("", cores.DEFAULT) else ""
        return (f"drawbridge run {self.source}{core} {options} "
                f"--versions {self.version} --seed {self.seed}")

    def to_dict(self, *, evidence: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "scenario": self.scenario_id, "title": self.title, "cause": self.cause,
            "version": self.version, "source": self.source, "seed": self.seed,
            "connector": self.connector.to_dict(), "verdict": self.verdict,
            "versionsDeclared": list(self.connector.contracts),
            "versionsUsed": self.versions_used,
            "findings": [f.to_dict() for f in self.findings], "error": self.error,
            "reproduce": self.reproduce_command(self.connector.spec),
        }
        if evidence:
            data["operations"] = [redact(o.to_dict()) for o in self.operations]
            data["journal"] = [redact_entry(stable_entry(e)) for e in self.journal]
            data["notes"] = [redact_text(n) for n in self.notes]
        return data


def stable_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A journal entry without what differs between identical runs: its wall-clock field and
    the bank's port (each run's bank listens on a free one), for deterministic reports."""
    out = {k: v for k, v in entry.items() if k != "wall_offset"}
    headers = out.get("request_headers")
    if isinstance(headers, dict) and "host" in headers:
        out["request_headers"] = {**headers, "host": "fake-bank"}
    return out


def sorted_versions(versions: Iterable[str | None]) -> list[str]:
    """The distinct versions named, oldest first (None dropped)."""
    return cores.active().sorted({v for v in versions if v is not None})
