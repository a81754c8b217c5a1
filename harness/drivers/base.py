"""The harness side of every driver."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from harness.outcome import Outcome, cut


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


#: Bytes of one message a connector may send the harness (a stdout or stderr line, an HTTP
#: answer); the rest is counted, not kept.
LINE_LIMIT = 1 << 20


@dataclass
class DriverNotes:
    """What a driver saw besides answers: stderr, garbage on stdout, exits. Evidence."""

    lines: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        if len(self.lines) < 200:
            self.lines.append(cut(text, 500))


class Driver(Protocol):
    """One connector instance, started fresh for each scenario run."""

    identity: Identity
    notes: DriverNotes

    def start(self, bank_url: str, version: str) -> None:
        """Point the connector at the bank; ``version`` is the core's current version (a hint)."""

    def perform(self, request: dict[str, Any], timeout: float) -> Outcome:
        """Run one operation; never raises for a misbehaving connector (``failed`` instead)."""

    def stop(self) -> None:
        """Release the connector (kill its processes)."""


DriverFactory = Callable[[], Driver]
