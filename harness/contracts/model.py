"""What a contract comparison reports: one :class:`Change` per difference in meaning.

A change says where it is (operation and a pointer inside it), which rule found it, who it
breaks and how surely. Changes sort by severity first, so every report lists the worst first.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """How surely a change breaks someone; the integer order is the reporting order."""

    BREAKING = 0
    POTENTIAL = 1
    SAFE = 2

    @property
    def label(self) -> str:
        """The word used in every output format."""
        return {0: "breaking", 1: "potentially-breaking", 2: "safe"}[int(self)]


class Audience(enum.Enum):
    """Who a change breaks.

    ``clients``: connectors built against the old contract calling a server on the new one.
    ``providers``: servers built against the old contract no longer satisfy the new one (new
    clients, a rollback or a mixed fleet during a rolling upgrade meet an old server).
    """

    CLIENTS = "clients"
    PROVIDERS = "providers"
    BOTH = "both"
    NOBODY = "nobody"


@dataclass(frozen=True, order=True)
class Change:
    """One difference in meaning between two contract documents.

    >>> c = Change(Severity.BREAKING, "POST /lines", "request body .code",
    ...            "request-property-became-required", "property 'code' became required",
    ...            Audience.CLIENTS)
    >>> c.location
    'POST /lines request body .code'
    >>> c.schemas  # set by the comparison when the body's schema is a named component
    ()
    """

    severity: Severity
    operation: str
    pointer: str
    rule: str
    message: str
    audience: Audience
    #: where the change sits in ``components.schemas``, when it sits in a named schema:
    #: ``("Drawdown.currency",)``, innermost first; a pair of names when the old and the new
    #: document name the schema differently (``("Error.code", "Problem.code")``)
    schemas: tuple[str, ...] = ()
    #: ``file:line:column`` of what changed in the old and in the new document ("" if the
    #: thing exists on one side only and nothing encloses it there); not part of equality
    old_at: str = field(default="", compare=False)
    new_at: str = field(default="", compare=False)
    #: the plain sentence of why it breaks (the rule's reason)
    why: str = field(default="", compare=False)
    #: what makes two changes one finding: set when one edit is reported at several places
    #: that no single line of the documents identifies (a media type's charset, everywhere)
    cause: str = field(default="", compare=False)

    @property
    def location(self) -> str:
        """Operation and pointer as one readable string."""
        return " ".join(part for part in (self.operation, self.pointer) if part)

    @property
    def cause_key(self) -> tuple[str, ...]:
        """Changes with the same key are one finding reached from several places.

        One edit of a shared schema has one position in each document however many
        operations reach it, so the rule, the message and both positions identify it.
        """
        if self.cause:
            return (self.rule, self.message, self.cause)
        if self.old_at or self.new_at:
            return (self.rule, self.message, self.old_at, self.new_at)
        return (self.rule, self.message, self.location)

    def as_dict(self) -> dict[str, str | list[str]]:
        """A JSON-ready mapping with stable keys."""
        return {
            "rule": self.rule,
            "severity": self.severity.label,
            "breaks": self.audience.value,
            "operation": self.operation,
            "pointer": self.pointer,
            "location": self.location,
            "message": self.message,
            "schemas": list(self.schemas),
            "old_at": self.old_at,
            "new_at": self.new_at,
            "why": self.why,
        }
