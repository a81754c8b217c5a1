"""Known incompatibilities: waivers with an owner, a reason and an expiry date.

    format: drawbridge/baseline@1
    waivers:
      - scenario: lock-period-case-study
        version: v2                 # optional: every version otherwise
        connector: legacy-v1        # optional: connector name, every connector otherwise
        owner: integration-team@example.com
        reason: v1 cannot express lock periods; the connector moves to v2 in Q1
        expires: 2027-03-31

A waived failure does not fail the gate until its expiry date; an expired waiver fails the gate
by itself, so a known problem cannot be forgotten. An expiry more than a year after the date the
gate is judged at (``--as-of``) is refused: a waiver is a dated promise, not a permanent pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fake_core_bank.errors import InputError
from harness.certify.config import ConfigFile

FORMAT = "drawbridge/baseline@1"
WAIVER_KEYS = ("scenario", "version", "connector", "owner", "reason", "expires")


@dataclass(frozen=True)
class Waiver:
    scenario: str
    owner: str
    reason: str
    expires: date
    version: str | None = None
    connector: str | None = None
    where: str = ""

    def covers(self, scenario: str, version: str, connector: str) -> bool:
        return (self.scenario == scenario and self.version in (None, version)
                and self.connector in (None, connector))

    def expired(self, today: date) -> bool:
        return today > self.expires

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "version": self.version, "connector": self.connector,
                "owner": self.owner, "reason": self.reason, "expires": self.expires.isoformat()}


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28) + timedelta(days=1)


def load_baseline(path: Path, *, as_of: date) -> list[Waiver]:
    """The waivers of ``path``; bad input when one expires more than a year after ``as_of``."""
    cfg = ConfigFile(path, FORMAT, ("waivers",))
    items = cfg.get(cfg.doc.data, (), "waivers", list)
    waivers = []
    for i, item in enumerate(items):
        at = ("waivers", i)
        if not isinstance(item, dict):
            raise InputError(cfg.where(at), "expected a mapping", "write scenario:, owner:, ...")
        cfg.keys(item, at, WAIVER_KEYS)
        expires = cfg.get(item, at, "expires", date)
        latest = one_year_after(as_of)
        if expires > latest:
            raise InputError(cfg.where((*at, "expires")),
                             f"expiry {expires.isoformat()} is more than one year after "
                             f"{as_of.isoformat()} (the date the gate is judged at)",
                             f"give a date no later than {latest.isoformat()} and renew the "
                             "waiver when it expires")
        waivers.append(Waiver(
            scenario=cfg.get(item, at, "scenario", str), owner=cfg.get(item, at, "owner", str),
            reason=cfg.get(item, at, "reason", str), expires=expires,
            version=cfg.get(item, at, "version", str, required=False),
            connector=cfg.get(item, at, "connector", str, required=False),
            where=cfg.where(at),
        ))
    return waivers
