"""The ``mutation`` object a certificate may carry (``drawbridge certify --mutation-report``), as
the certificate's pages show it: the profile's mutation score against the reference connector,
the operator catalogue's digest, and what the gate does not catch (docs/mutation.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MutationView:
    profile: str
    connector: str
    catalogue: str
    killed: int
    mutants: int
    value: float
    applied: int | None  # None: a summary from before applicability was reported
    operators: int | None
    not_applicable: list[str]
    survived: list[str]
    caught_late: list[str]

    @property
    def headline(self) -> str:
        applied = ("" if self.applied is None
                   else f"; {self.applied} of {self.operators} operators applied")
        return (f"mutation score {self.value * 100:.1f}% ({self.killed} of {self.mutants} "
                f"mutants killed by a MUST scenario{applied}) for profile {self.profile}, "
                f"measured with {self.connector}")

    @property
    def lists(self) -> list[tuple[str, list[str]]]:
        """The operators the gate does not kill, by kind; empty kinds left out."""
        kinds = [("survived", self.survived), ("caught late (SHOULD only)", self.caught_late),
                 ("not applicable", self.not_applicable)]
        return [(name, ids) for name, ids in kinds if ids]


def mutation_view(document: dict[str, Any]) -> MutationView | None:
    """The certificate's mutation summary, or None when it carries none."""
    summary = document.get("mutation")
    if not isinstance(summary, dict):
        return None
    score = summary.get("score") or {}
    applicability = summary.get("applicability") or {}
    return MutationView(
        profile=str(summary.get("profile", "?")), connector=str(summary.get("connector", "?")),
        catalogue=str(summary.get("catalogue", "?")), killed=int(score.get("killed", 0)),
        mutants=int(score.get("mutants", 0)), value=float(score.get("value", 0.0)),
        applied=applicability.get("applied"), operators=applicability.get("operators"),
        not_applicable=list(applicability.get("notApplicable") or []),
        survived=list(summary.get("survived") or []),
        caught_late=list(summary.get("caughtLate") or []))
