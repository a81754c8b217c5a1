"""What provider verification finds: the drifts of one run, kept apart from the code that finds
them so that :mod:`harness.contracts.verify` (the command's logic) and
:mod:`harness.contracts.verify_run` (the only module that imports schemathesis) both import
this one and neither imports the other's names back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: the schemathesis checks that judge a provider against its contract
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance", "response_headers_conformance")
#: characters of a request or response body a drift keeps
BODY_SNIPPET = 300


@dataclass(frozen=True, order=True)
class Drift:
    """One way the provider departs from the contract, with the smallest example seen."""

    operation: str  # "GET /credit-lines/{lineId}", as in the contract
    check: str  # a name from CHECKS
    field: str  # ".limit", ".items[].purposeCode", "status 418", "header Location", ...
    problem: str  # one line, e.g. "'300000.00' is not of type \"integer\""
    request: str  # "GET http://.../v2/credit-lines/CL000001" (+ body on the next line)
    status: int | None
    response: str  # the start of the response body
    reproduce: str  # a curl command (stateful drifts: the steps leading to it, one per line)
    phase: str  # examples, coverage, fuzzing or stateful

    @property
    def summary(self) -> str:
        """``operation check field``: what a person scans first."""
        return " ".join(part for part in (self.operation, self.check, self.field) if part)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping with stable keys."""
        return {"operation": self.operation, "check": self.check, "field": self.field,
                "problem": self.problem, "request": self.request, "status": self.status,
                "response": self.response, "reproduce": self.reproduce, "phase": self.phase}


@dataclass
class Verification:
    """What one verification run found."""

    contract: str
    base_url: str
    seed: int
    max_examples: int
    drifts: list[Drift] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the run could not test something
    requests: int = 0
    operations: set[str] = field(default_factory=set)  # operations that received requests

    @property
    def ok(self) -> bool:
        """No drift and nothing left untested because of an error."""
        return not self.drifts and not self.errors
