"""The deploy-gate question, answered from the whole results history.

``can_release(history, "legacy-v1@0.9.3", "v2")`` says yes only when every MUST scenario of the
profile's *current* MUST list has a passing verdict recorded at the *current* digests of its
scenario file and of the core version's contract, and no later verdict of it fails. Every
recorded run counts (shards of one certification, one-scenario runs, matrix runs), per scenario:
a run can turn yes into no, but never no into yes for a scenario it did not run. A waived
verdict passes until its waiver's expiry date. The "no" names each missing, failing or stale
scenario and the command that records the missing evidence.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from fake_core_bank import cores
from harness.certify.document import sha256_file
from harness.certify.history import connect, default_path, refuse_earlier
from harness.certify.profiles import Profile, load_profile, resolve_profile
from harness.paths import default_library, library_file
from harness.scenarios.library import load_library
from harness.scenarios.model import Scenario

#: how many scenarios a "no" lists one by one before it counts the rest
LISTED = 30


@dataclass(frozen=True)
class Answer:
    release: bool
    reason: str
    #: one line per scenario that keeps the answer "no", then the command that fixes it
    details: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _Row:
    run_id: int
    as_of: str
    verdict: str
    reason: str | None
    scenario_digest: str | None
    contract_digest: str | None
    waiver_expires: str | None
    spec: str | None


def can_release(path: Path, connector: str, core_version: str, *,
                profile: Profile | None = None, library: Sequence[Scenario] | None = None,
                as_of: date | None = None) -> Answer:
    """Yes or no for ``NAME@VERSION`` at ``core_version``, judged against ``profile`` (by
    default the profile named like the core version) at ``as_of`` (default: today, UTC)."""
    if library is None:
        library = load_library(default_library())
    if profile is None:
        profile = load_profile(resolve_profile(core_version), list(library))
    today = as_of or datetime.now(UTC).date()
    name, _, version = connector.partition("@")
    if not path.is_file():
        return Answer(False, f"no results history at {path}", (_fix(None, profile, path),))
    refuse_earlier(path, today.isoformat())
    with connect(path) as db:
        rows = db.execute(
            "SELECT v.scenario, v.run_id, r.as_of, v.verdict, v.reason, v.scenario_digest, "
            "v.contract_digest, v.waiver_expires, v.connector_spec FROM verdicts v "
            "JOIN runs r ON r.id = v.run_id WHERE v.connector = ? AND v.connector_version = ? "
            "AND v.core_version = ? AND v.core = ? ORDER BY v.run_id",
            (name, version, core_version, cores.active().name)).fetchall()
    evidence: dict[str, list[_Row]] = {}
    for scenario, *rest in rows:
        evidence.setdefault(scenario, []).append(_Row(*rest))
    spec = next((r.spec for rs in evidence.values() for r in reversed(rs) if r.spec), None)
    subject = f"{connector} at core {core_version} (profile {profile.id})"
    if not rows:
        return Answer(False, f"no recorded results for {subject} in {path}",
                      (_fix(spec, profile, path),))
    return _judge(subject, profile, evidence, library, core_version, today, spec, path)


def _judge(subject: str, profile: Profile, evidence: dict[str, list[_Row]],
           library: Sequence[Scenario], core_version: str, today: date, spec: str | None,
           path: Path) -> Answer:
    contract = sha256_file(cores.active().contract_path(core_version))
    sources = {s.id: library_file(Path(s.source.path)) for s in library if s.source is not None}
    failing: list[str] = []
    missing: list[str] = []
    changed: list[str] = []
    changed_since: list[_Row] = []
    waived = 0
    for scenario_id in profile.must:
        rows = evidence.get(scenario_id, [])
        current_digest = sha256_file(sources[scenario_id]) if scenario_id in sources else None
        current = [r for r in rows
                   if r.scenario_digest == current_digest and r.contract_digest == contract]
        if not current:
            if rows:
                changed.append(scenario_id)
                changed_since.append(rows[-1])
            else:
                missing.append(f"{scenario_id}: no result recorded")
            continue
        last = current[-1]
        where = f"run #{last.run_id}, as of {last.as_of}"
        if last.verdict == "waived" and last.waiver_expires and \
                last.waiver_expires < today.isoformat():
            failing.append(f"{scenario_id}: waived until {last.waiver_expires}, expired "
                           f"({where})")
        elif last.verdict == "waived":
            waived += 1
        elif last.verdict != "pass":
            earlier = sum(r.verdict == "pass" for r in current[:-1])
            passed_before = f"; passed {earlier} time(s) before" if earlier else ""
            failing.append(f"{scenario_id}: {last.verdict}s ({where}{passed_before}): "
                           f"{last.reason}")
    must = len(profile.must)
    if not (failing or missing or changed):
        return Answer(True, f"{subject} passes every one of the {must} MUST scenarios at "
                      f"their current digests ({waived} waived)")
    counts = ", ".join(f"{n} {word}" for n, word in ((len(failing), "failing"),
                                                     (len(missing), "missing"),
                                                     (len(changed), "changed since certified"))
                       if n)
    details = [f"FAILING {line}" for line in failing] + [f"MISSING {m}" for m in missing]
    if changed:
        oldest = min(changed_since, key=lambda r: r.run_id)
        details.append(f"re-certify: {len(changed)} scenario(s) changed since run "
                       f"#{oldest.run_id} (as of {oldest.as_of}; scenario file or contract "
                       f"digest differs): {', '.join(changed)}")
    if len(details) > LISTED:
        details = [*details[:LISTED], f"... and {len(details) - LISTED} more"]
    details.append(_fix(spec, profile, path) + (" (after fixing the failing scenarios)"
                                                if failing else ""))
    return Answer(False, f"{subject}: {counts} of {must} MUST scenarios", tuple(details))


def _fix(spec: str | None, profile: Profile, path: Path) -> str:
    history = "" if path == default_path() else f" --history {shlex.quote(str(path))}"
    target = profile.id if Path(profile.path).parent.name == "profiles" and \
        Path(profile.path).stem == profile.id else shlex.quote(profile.path)
    connector = shlex.quote(spec) if spec else "SPEC"
    return f"fix: drawbridge certify --connector {connector} --profile {target}{history}"
