"""Run a bundle's scenario again and compare: same verdict, same journal?

The journals are compared modulo what legitimately differs between two runs: wall-clock fields
(``wall_offset``), the environment (the loopback port in the ``host`` header), and the
redaction's pseudonyms (both sides are renamed in order of first appearance, so a consistent
renaming compares equal and anything else shows as the first difference).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fake_core_bank.errors import InputError
from harness.drivers.base import DriverFactory
from harness.engine.bank import BankHandle, LocalBank
from harness.engine.runner import RunOptions, run_scenario
from harness.evidence import Identity, RunResult, stable_entry
from harness.recording.redact import Redactor
from harness.scenarios.loader import load_scenario_text
from harness.scenarios.model import Scenario

#: Request headers that depend on where the bank listened, not on what the connector did.
ENVIRONMENT_HEADERS = ("host",)


def bundle_scenario(bundle: dict[str, Any], where: str) -> Scenario:
    """The scenario inside a bundle, loaded and checked like a file."""
    return load_scenario_text(bundle["scenario"]["yaml"], f"{where} scenario.yaml")


def bundle_options(bundle: dict[str, Any]) -> RunOptions:
    opts = bundle["options"]
    return RunOptions(seed=int(bundle["seed"]), time_scale=opts.get("timeScale"),
                      op_timeout=float(opts.get("opTimeout") or 30.0),
                      scenario_timeout=float(opts.get("scenarioTimeout") or 180.0))


def make_bank(transport: str) -> BankHandle:
    if transport == "responses":
        from harness.playback.bank import ResponsesBank

        return ResponsesBank()
    if transport != "loopback":
        raise InputError("options.transport", f"unknown transport {transport!r}",
                         "use loopback or responses")
    return LocalBank()


def rerun(bundle: dict[str, Any], scenario: Scenario, make_driver: DriverFactory,
          identity: Identity) -> RunResult:
    """The bundle's run again: same scenario, version, seed, options and transport."""
    bank = make_bank(bundle["options"].get("transport") or "loopback")
    try:
        return run_scenario(scenario, bundle["version"], bank, make_driver, identity,
                            bundle_options(bundle))
    finally:
        bank.close()


@dataclass(frozen=True)
class Comparison:
    """How a replay compares with its bundle; ``differences`` empty means identical."""

    differences: tuple[str, ...]

    @property
    def identical(self) -> bool:
        return not self.differences


def normalised_journal(journal: list[dict[str, Any]]) -> list[dict[str, Any]]:
    entries = []
    for entry in journal:
        entry = stable_entry(entry)
        headers = entry.get("request_headers")
        if isinstance(headers, dict):
            entry["request_headers"] = {k: v for k, v in headers.items()
                                        if k.lower() not in ENVIRONMENT_HEADERS}
        entries.append(entry)
    # keep_masked=False renames bundle pseudonyms and replay originals alike, in order seen.
    renamed: list[dict[str, Any]] = Redactor(keep_masked=False).value(entries)
    return renamed


def finding_keys(findings: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return sorted({(f["oracle"], f.get("step")) for f in findings}, key=str)


def compare(bundle: dict[str, Any], result: RunResult) -> Comparison:
    """Verdict, the oracles that objected (by step), then the journal entry by entry."""
    differences: list[str] = []
    if bundle["verdict"] != result.verdict:
        differences.append(f"verdict: bundle {bundle['verdict']}, replay {result.verdict}")
    before = finding_keys(bundle.get("findings") or [])
    after = finding_keys([f.to_dict() for f in result.findings])
    if before != after:
        differences.append(f"findings: bundle {_keys(before)}, replay {_keys(after)}")
    first = first_journal_difference(normalised_journal(bundle["journal"]),
                                     normalised_journal(result.journal))
    if first is not None:
        differences.append(first)
    return Comparison(tuple(differences))


def _keys(keys: list[tuple[str, str | None]]) -> str:
    return ", ".join(f"{o}@{s}" if s else o for o, s in keys) or "none"


def first_journal_difference(before: list[dict[str, Any]],
                             after: list[dict[str, Any]]) -> str | None:
    """The first differing journal entry and field, readable; None when equal."""
    for index, (a, b) in enumerate(zip(before, after, strict=False)):
        if a == b:
            continue
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return (f"journal #{index + 1} ({_describe(a)}) {key}: bundle "
                        f"{_short(a.get(key))}, replay {_short(b.get(key))}")
    if len(before) != len(after):
        longer, name = (before, "bundle") if len(before) > len(after) else (after, "replay")
        extra = longer[min(len(before), len(after))]
        return (f"journal: bundle has {len(before)} entries, replay {len(after)}; first extra "
                f"in the {name}: #{min(len(before), len(after)) + 1} ({_describe(extra)})")
    return None


def _describe(entry: dict[str, Any]) -> str:
    if entry.get("kind") == "exchange":
        return f"{entry.get('method')} {entry.get('path')} at {entry.get('at')}"
    return f"{entry.get('kind')} {entry.get('note') or ''} at {entry.get('at')}".strip()


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 160 else text[:157] + "..."


def replay_path(path: Path, make_driver: DriverFactory,
                identity: Identity) -> tuple[dict[str, Any], RunResult, Comparison]:
    from harness.bundles.bundle import read_bundle

    bundle = read_bundle(path)
    scenario = bundle_scenario(bundle, str(path))
    result = rerun(bundle, scenario, make_driver, identity)
    return bundle, result, compare(bundle, result)
