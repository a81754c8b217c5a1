"""Certification profiles: per contract version, the scenarios a connector MUST and SHOULD pass.

    format: drawbridge/profile@1
    id: v2
    title: Core-banking lending API v2
    version: v2
    must: [lock-period-case-study, ...]
    should: [...]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fake_core_bank import cores
from fake_core_bank.cores import Evolution
from fake_core_bank.errors import InputError
from harness.certify.config import ConfigFile
from harness.paths import in_library, profile_folders
from harness.scenarios.model import Scenario

FORMAT = "drawbridge/profile@1"


@dataclass(frozen=True)
class Profile:
    id: str
    title: str
    version: str
    must: tuple[str, ...]
    should: tuple[str, ...]
    path: str

    def level(self, scenario_id: str) -> str:
        if scenario_id in self.must:
            return "must"
        if scenario_id in self.should:
            return "should"
        return "info"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "version": self.version,
                "must": list(self.must), "should": list(self.should)}


def resolve_profile(name: str) -> Path:
    """A profile by id (``v2`` -> scenarios/profiles/v2.yaml) or by path."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        return path
    folders = profile_folders()
    for folder in folders:
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    known = sorted({p.stem for folder in folders for p in folder.glob("*.yaml")})
    raise InputError.for_unknown_name("--profile", "profile", name, known)


def load_profile(path: Path, library: list[Scenario]) -> Profile:
    cfg = ConfigFile(path, FORMAT, ("id", "title", "version", "must", "should"))
    data = cfg.doc.data
    version = cfg.get(data, (), "version", str)
    model = cores.active()
    # A library profile on a core that maps the library's versions: the profile of the mapped
    # version, less the scenarios that do not apply to that core (docs/core-models-oracles.md).
    library_profile = in_library(path)
    translated = library_profile and model.translates_library
    # the library profile less what does not apply: scenarios the core's names or evolution
    # rules leave out of the library (harness/scenarios/translate.py)
    narrowed = library_profile and (translated or model.evolution != Evolution())
    if translated:
        mapped = model.library_version(version)
        if mapped is None:
            raise InputError(cfg.where(("version",)), f"this library profile is for version "
                             f"{version}, which core {model.name} does not map",
                             f"map {version} in the core's library_versions, or certify with "
                             "a profile of the core's own")
        version = mapped
    model.check_version(cfg.where(("version",)), version)
    known = {s.id: s for s in library}
    levels: dict[str, tuple[str, ...]] = {}
    for level in ("must", "should"):
        ids = cfg.strings(data, (), level, required=level == "must")
        if narrowed:
            ids = [i for i in ids if i in known]
        for i, scenario_id in enumerate(ids):
            where = cfg.where((level, i))
            if scenario_id not in known:
                raise InputError.for_unknown_name(where, "scenario", scenario_id, known)
            if version not in known[scenario_id].versions:
                raise InputError(where, f"scenario {scenario_id} does not apply to {version} "
                                 f"(it lists {', '.join(known[scenario_id].versions)})",
                                 "remove it from this profile or add the version to the "
                                 "scenario")
        levels[level] = tuple(ids)
    both = set(levels["must"]) & set(levels.get("should", ()))
    if both:
        raise InputError(cfg.where(("should",)), f"{', '.join(sorted(both))} listed as both "
                         "must and should", "keep each scenario at one level")
    return Profile(cfg.get(data, (), "id", str), cfg.get(data, (), "title", str), version,
                   levels["must"], levels.get("should", ()), str(path))
