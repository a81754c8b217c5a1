"""Reproduction bundles: one self-contained file per failed scenario run.

A bundle (``drawbridge/bundle@1``, JSON, optionally gzipped) holds everything needed to run the
failure again and to read it without the repository: the scenario's YAML text (includes merged,
via ``dump_scenario``), the seed, core version and run options, the fault schedule, the fake
bank's state at the start and at the end, the journal, the connector's identity and spec, the
operations and the findings. Secrets are redacted and account numbers and credit codes replaced
by consistent pseudonyms (:mod:`harness.recording.redact`) before anything is written.

>>> bundle = build_bundle(scenario, result, options)                 # doctest: +SKIP
>>> read_bundle(write_bundle(bundle, Path("b")))["scenario"]["id"]    # doctest: +SKIP
'lost-response-after-commit'
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import orjson

from fake_core_bank.errors import InputError
from fake_core_bank.fake import FakeBank
from harness.engine.runner import RunOptions, bank_config, run_seed
from harness.engine.world import initial_state
from harness.evidence import RunResult, stable_entry
from harness.paths import write_atomic
from harness.recording.redact import RedactionRules, Redactor
from harness.scenarios import dump_scenario
from harness.scenarios.dump import scenario_data
from harness.scenarios.model import Event, Scenario

FORMAT = "drawbridge/bundle@1"


def start_snapshot(scenario: Scenario, version: str, options: RunOptions) -> dict[str, Any]:
    """The bank's state before the first step: the runner's reset and load, on a fresh bank."""
    bank = FakeBank(bank_config(scenario, version, options))
    bank.load_state(initial_state(scenario.given, run_seed(scenario, options)))
    return bank.snapshot()


def fault_schedule(scenario: Scenario) -> list[dict[str, Any]]:
    """The timeline's fault events, in file layout (at, kind, match, times, ...)."""
    data = scenario_data(scenario)["timeline"]
    return [item for step, item in zip(scenario.timeline, data, strict=True)
            if isinstance(step, Event) and step.kind == "fault"]


def build_bundle(scenario: Scenario, result: RunResult, options: RunOptions, *,
                 transport: str = "loopback",
                 rules: RedactionRules | None = None) -> dict[str, Any]:
    """The bundle of one run, redacted. Wall-clock figures are left out (see evidence.py)."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "scenario": {"id": scenario.id, "source": result.source,
                     "yaml": dump_scenario(scenario)},
        "version": result.version,
        "seed": result.seed,
        "options": {"timeScale": options.time_scale, "opTimeout": options.op_timeout,
                    "scenarioTimeout": options.scenario_timeout, "transport": transport},
        "connector": result.connector.to_dict(),
        "verdict": result.verdict,
        "error": result.error,
        "findings": [f.to_dict() for f in result.findings],
        "faults": fault_schedule(scenario),
        "operations": [o.to_dict() for o in result.operations],
        "state": {"start": start_snapshot(scenario, result.version, options),
                  "end": result.snapshot},
        "journal": [stable_entry(e) for e in result.journal],
        "notes": result.notes,
    }
    redacted: dict[str, Any] = Redactor(rules).value(document)
    redacted["format"] = FORMAT  # never rewritten, whatever the rules say
    return redacted


def bundle_name(bundle: dict[str, Any]) -> str:
    return f"{bundle['scenario']['id']}@{bundle['version']}.bundle.json"


def write_bundle(bundle: dict[str, Any], directory: Path, *, compress: bool = False) -> Path:
    """Write ``bundle`` into ``directory`` (created); ``compress`` adds gzip (``.json.gz``)."""
    directory.mkdir(parents=True, exist_ok=True)
    data = orjson.dumps(bundle, option=orjson.OPT_INDENT_2) + b"\n"
    path = directory / bundle_name(bundle)
    if compress:
        path = path.with_name(path.name + ".gz")
        # mtime=0: the same run gives the same bytes.
        data = gzip.compress(data, mtime=0)
    write_atomic(path, data)
    return path


def read_bundle(path: Path) -> dict[str, Any]:
    """A bundle file (plain or gzipped JSON); one-line InputError when it is not one."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "file not found",
                         "name a bundle written by `drawbridge run` (see its --bundles)") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}", "check the path") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise InputError(str(path), f"broken gzip data ({exc})",
                             "write the bundle again") from None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InputError(str(path), f"not JSON ({exc})", "name a .bundle.json file") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise InputError(f"{path} format", f"expected {FORMAT!r}, found {found!r}",
                         "name a bundle written by `drawbridge run --bundles DIR`")
    for key in ("scenario", "version", "seed", "options", "connector", "journal", "verdict"):
        if key not in data:
            raise InputError(f"{path} {key}", "missing", "the bundle is incomplete; write it "
                             "again with drawbridge run")
    return data
