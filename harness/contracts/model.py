"""What a contract comparison reports: one :class:`Change` per difference in meaning.

A change says where it is (operation and a pointer inside it), which rule found it, who it
breaks and how surely. Changes sort by severity first, so every report lists the worst first.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.IntEnum):
    """How surely a change breaks someone; the integer order is the reporting order."""

    BREAKING = 0
    POTENTIAL = 1
    SAFE = 2

    @property
    def label(self) -> str:
        """The word used in every output format."""
        return {0: "breaking", 1: "potentially-breaking", 2: "safe"}[int(self)]

    @classmethod
    def from_label(cls, label: str) -> Severity:
        """Parse ``breaking``, ``potential``/``potentially-breaking`` or ``safe``."""
        aliases = {"breaking": cls.BREAKING, "potential": cls.POTENTIAL,
                   "potentially-breaking": cls.POTENTIAL, "safe": cls.SAFE}
        return aliases[label]


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

    @property
    def location(self) -> str:
        """Operation and pointer as one readable string."""
        return " ".join(part for part in (self.operation, self.pointer) if part)

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
        }
