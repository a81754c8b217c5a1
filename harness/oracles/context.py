"""What the oracles read: the run's evidence, indexed for the questions they ask."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from fake_core_bank import cores
from fake_core_bank.http.wire import Evidence
from harness.evidence import OperationRecord, RunResult
from harness.scenarios.model import Scenario
from harness.scenarios.money import Money
from harness.scenarios.vocabulary import CURRENCIES

if TYPE_CHECKING:
    from fake_core_bank.http.adapters.base import Adapter

#: Reasons of the fake's domain that are also words of the harness's outcome vocabulary.
HARNESS_REASONS = {
    "LINE_FROZEN", "LINE_LOCKED", "LINE_PENDING_ACTIVATION", "LINE_EXPIRED", "LINE_SUSPENDED",
    "PRECONDITION_UNMET", "POLICY_LIMIT_EXCEEDED", "POLICY_FIELD_REQUIRED",
    "INSUFFICIENT_AVAILABLE", "MAINTENANCE", "READ_ONLY", "IDEMPOTENCY_CONFLICT", "NOT_FOUND",
    "INVALID_REQUEST", "VERSION_RETIRED",
}
#: The domain says these in more detail than the harness's vocabulary does.
REASON_ALIASES = {"VERSION_UNAVAILABLE": "MAINTENANCE"}


class Context:
    def __init__(self, scenario: Scenario, version: str, result: RunResult) -> None:
        self.scenario = scenario
        self.version = version
        self.result = result
        self.operations = result.operations
        self.journal = result.journal
        self.snapshot = result.snapshot
        #: id of a journal entry (kept alive by ``journal``) -> its Evidence
        self._evidence: dict[int, Evidence] = {}

    @cached_property
    def by_operation(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for entry in self.journal:
            if entry.get("kind") == "exchange" and entry.get("operation"):
                out.setdefault(entry["operation"], []).append(entry)
        return out

    def exchanges(self, record: OperationRecord) -> list[dict[str, Any]]:
        return self.by_operation.get(record.step, [])

    def final_answer(self, record: OperationRecord) -> dict[str, Any] | None:
        """The last exchange of the operation that got an answer (not dropped)."""
        answered = [e for e in self.exchanges(record) if self.evidence(e).outcome != "none"]
        return answered[-1] if answered else None

    def evidence(self, entry: dict[str, Any]) -> Evidence:
        """What an exchange meant, in the domain's words: read once per entry by the adapter of
        the version that answered it (:func:`answered_by`) of the active core model."""
        key = id(entry)
        found = self._evidence.get(key)
        if found is None:
            found = self._evidence[key] = adapter_of(entry).evidence(entry)
        return found

    def drawdowns_of(self, steps: set[str]) -> list[dict[str, Any]]:
        return [d for d in self.snapshot.get("drawdowns", [])
                if d.get("operation") in steps and d.get("channel") == "api"]

    def repayments_of(self, steps: set[str]) -> list[dict[str, Any]]:
        """The repayments the exchanges of ``steps`` booked (the journal's ``bookings``), in
        booking order."""
        booked = {b for step in steps for e in self.by_operation.get(step, [])
                  for b in e.get("bookings") or []}
        return [p for p in self.snapshot.get("repayments") or [] if p["repaymentId"] in booked]


def bank_reason(evidence: Evidence) -> str | None:
    """The reason the bank gave in an exchange, in the harness's words, or None: a refusal's
    (also an unavailable or retired answer's), or a drawdown's the answer shows as rejected."""
    if evidence.outcome == "none":
        return None
    reason = evidence.reason
    if reason is None:
        return None
    reason = REASON_ALIASES.get(reason, reason)
    return reason if reason in HARNESS_REASONS else None


def excerpt(entries: list[dict[str, Any]]) -> list[int]:
    return [int(e["seq"]) for e in entries]


def bank_answer(entry: dict[str, Any], evidence: Evidence) -> str:
    """What the bank answered, as a person reads it on the wire: ``409 E1003 via v1, which the
    harness reads as LINE_LOCKED``, or ``409 LINE_FROZEN via v2`` when the wire says the reason
    itself."""
    text = f"{evidence.said} via {entry.get('version')}"
    if evidence.code and evidence.reason and evidence.code != evidence.reason:
        text += f", which the harness reads as {evidence.reason}"
    return text


def amount(minor: int, currency: str) -> str:
    """An amount as a person reads it, yuan with two decimals, minor units beside:
    ``100000.00 CNY (10000000 minor units)``."""
    if currency not in CURRENCIES:
        return f"{minor} {currency} minor units"
    return f"{Money(minor, currency)} ({minor} minor units)"


def answered_by(entry: dict[str, Any]) -> str | None:
    """The version whose contract answered: the one addressed, or the newer one that serves its
    URLs in place (``served_by`` ``"v3 in place of v2"``)."""
    served = str(entry.get("served_by") or "")
    if " in place of " in served:
        return served.split(" in place of ")[0]
    version = entry.get("version")
    return str(version) if version is not None else None


def adapter_of(entry: dict[str, Any]) -> Adapter:
    """The active core's adapter of the version that answered ``entry`` (a version the core
    lacks, such as ``/v9``, was answered by the newest one's rules)."""
    model = cores.active()
    version = answered_by(entry)
    return model.adapters[version if version in model.versions else model.versions[-1]]
