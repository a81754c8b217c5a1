"""The written gate policy in machine-readable form: absolute rules -> MUST scenarios per version.

docs/certification.md explains the policy; ``scenarios/profiles/rules/gate-policy.yaml`` holds
the mapping it describes::

    format: drawbridge/gate-policy@1
    rules:
      - id: tolerant-reader
        rule: ignore what you do not know; never fail on a valid answer
        stated: docs/core-banking-api.md (Credit line)
        versions: [v1, v2, v3]          # where the rule applies
        must:                           # per version, the MUST scenarios that enforce it
          v1: [tolerant-reader-minor-release]
        pending:                        # optional marked rows: scenarios still to come
          - versions: [v3]
            awaiting: the scenario that will enforce it, and who adds it

A pending row exempts a version only while ``must`` has nothing for it: it marks work the
integrator completes, and it cannot hide a scenario taken out of a profile.

:func:`gaps` reads the mapping with the profiles and names every rule that lacks a MUST
scenario at a version where it applies; the policy test fails on any.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fake_core_bank import cores
from fake_core_bank.errors import InputError
from harness.certify.config import ConfigFile
from harness.certify.profiles import Profile
from harness.paths import profile_folders
from harness.scenarios.model import Scenario

FORMAT = "drawbridge/gate-policy@1"
RULE_KEYS = ("id", "rule", "stated", "versions", "must", "pending")


@dataclass(frozen=True)
class Pending:
    """Versions of a rule whose MUST scenario is still to be written (a marked row)."""

    versions: tuple[str, ...]
    awaiting: str


@dataclass(frozen=True)
class Rule:
    id: str
    rule: str
    stated: str
    versions: tuple[str, ...]
    must: Mapping[str, tuple[str, ...]]
    pending: tuple[Pending, ...] = ()

    def awaited(self, version: str) -> Pending | None:
        return next((p for p in self.pending if version in p.versions), None)


def policy_path() -> Path | None:
    """The active core model's gate policy: ``rules/gate-policy.yaml`` in its first profile
    folder that has one (the library's, for a core that uses the library), or None."""
    for folder in profile_folders():
        if (folder / "rules" / "gate-policy.yaml").is_file():
            return folder / "rules" / "gate-policy.yaml"
    return None


def load_gate_policy(path: Path, library: list[Scenario]) -> list[Rule]:
    """The rules of ``path``; every scenario named must exist and apply at its version."""
    cfg = ConfigFile(path, FORMAT, ("rules",))
    known = {s.id: s for s in library}
    rules = []
    items = cfg.get(cfg.doc.data, (), "rules", list)
    for i, item in enumerate(items):
        at = ("rules", i)
        if not isinstance(item, dict):
            raise InputError(cfg.where(at), "expected a rule (a mapping)",
                             "write id, rule, stated, versions and must")
        cfg.keys(item, at, RULE_KEYS)
        versions = _versions(cfg, item, at, "versions")
        must_map = cfg.get(item, at, "must", dict)
        must: dict[str, tuple[str, ...]] = {}
        for version in must_map:
            cores.active().check_version(cfg.where((*at, "must", version)), str(version))
            ids = cfg.strings(must_map, (*at, "must"), version)
            for j, scenario_id in enumerate(ids):
                where = cfg.where((*at, "must", version, j))
                if scenario_id not in known:
                    raise InputError.for_unknown_name(where, "scenario", scenario_id, known)
                if version not in known[scenario_id].versions:
                    raise InputError(where, f"scenario {scenario_id} does not run at {version}",
                                     "map the rule to a scenario that lists the version")
            must[version] = tuple(ids)
        pending = []
        for j, row in enumerate(cfg.get(item, at, "pending", list, required=False,
                                        default=[])):
            row_at = (*at, "pending", j)
            if not isinstance(row, dict):
                raise InputError(cfg.where(row_at), "expected {versions, awaiting}",
                                 "name the versions and the scenario awaited")
            cfg.keys(row, row_at, ("versions", "awaiting"))
            pending.append(Pending(_versions(cfg, row, row_at, "versions"),
                                   cfg.get(row, row_at, "awaiting", str)))
        rules.append(Rule(cfg.get(item, at, "id", str), cfg.get(item, at, "rule", str),
                          cfg.get(item, at, "stated", str), versions, must, tuple(pending)))
    return rules


def _versions(cfg: ConfigFile, mapping: dict[str, object], at: tuple[str | int, ...],
              key: str) -> tuple[str, ...]:
    values = cfg.strings(mapping, at, key)
    for j, version in enumerate(values):
        cores.active().check_version(cfg.where((*at, key, j)), version)
    return tuple(values)


def gaps(rules: list[Rule], profiles: Mapping[str, Profile]) -> list[str]:
    """Every (rule, version) where the rule applies without a MUST scenario, one line each."""
    problems = []
    for rule in rules:
        for version in rule.versions:
            if not rule.must.get(version) and rule.awaited(version) is not None:
                continue  # a marked row: the scenario that will enforce it is still to come
            profile = profiles.get(version)
            if profile is None:
                problems.append(f"{rule.id}@{version}: no certification profile for {version}")
                continue
            enforced = [s for s in rule.must.get(version, ()) if s in profile.must]
            demoted = [s for s in rule.must.get(version, ()) if s not in profile.must]
            if demoted:
                problems.append(f"{rule.id}@{version}: {', '.join(demoted)} mapped to the rule "
                                f"but not MUST in {profile.path}; make it MUST or map "
                                "another scenario")
            elif not enforced:
                problems.append(f"{rule.id}@{version}: the rule applies at {version} but no "
                                f"MUST scenario of {profile.path} enforces it; add one under "
                                f"must.{version} in the gate policy")
    return problems
