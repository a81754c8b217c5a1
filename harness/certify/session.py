"""Certify one or more connectors: run the work, build the certificate (its reports are written
by :func:`harness.reporting.formats.write_reports`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console

from fake_core_bank import cores
from fake_core_bank.errors import InputError
from harness.bundles import BundleReporter
from harness.certify.baseline import Waiver
from harness.certify.document import build_certificate
from harness.certify.profiles import Profile
from harness.drivers import driver_factory
from harness.engine.bank import BankHandle
from harness.engine.events import Reporter
from harness.engine.runner import RunOptions
from harness.engine.session import plan, run_plan, shard
from harness.evidence import RunResult
from harness.reporting.console import ConsoleReporter
from harness.scenarios.model import Scenario


@dataclass(frozen=True)
class CertifyRequest:
    connectors: tuple[str, ...]
    versions: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
    profile: Profile | None
    waivers: tuple[Waiver, ...] = ()
    fail_on: str = "must"
    seed: int = 0
    jobs: int = 1
    shard: str | None = None
    as_of: date = date(1970, 1, 1)
    options: RunOptions = field(default_factory=RunOptions)
    #: run the fake bank from this image (testcontainers) instead of in this process
    bank_image: str | None = None
    #: --connector-path: where python connectors are imported from (default: the working dir)
    connector_path: Path | None = None
    #: write a reproduction bundle per failed run here (a folder per connector when several)
    bundles: Path | None = None


def run_certification(request: CertifyRequest, console: Console | None = None, *,
                      progress: bool = False) -> tuple[dict[str, Any], bool]:
    """Run every connector through the plan; the certificate and whether it was interrupted."""
    results: list[RunResult] = []
    interrupted = False
    scenarios = list(request.scenarios)
    if request.profile is not None:
        wanted = set(request.profile.must) | set(request.profile.should)
        scenarios = [s for s in scenarios if s.id in wanted]
    items = shard(plan(scenarios, request.versions), request.shard)
    for spec in request.connectors:
        make_driver, identity = driver_factory(spec, request.connector_path)
        reporters: list[Reporter] = \
            [ConsoleReporter(console, connector_spec=spec, progress=progress)] if console else []
        if request.bundles is not None:
            reporters.append(bundle_reporter(request, identity.label, scenarios, console))
        found, interrupted = run_plan(items, make_driver, identity, request.options,
                                      jobs=request.jobs, reporters=reporters,
                                      bank_factory=container_bank(request.bank_image))
        results.extend(found)
        if interrupted:
            break
    document = build_certificate(results, profile=request.profile, waivers=request.waivers,
                                 fail_on=request.fail_on, as_of=request.as_of,
                                 seed=request.seed, interrupted=interrupted)
    return document, interrupted


def bundle_reporter(request: CertifyRequest, label: str, scenarios: list[Scenario],
                    console: Console | None) -> BundleReporter:
    """Bundles of the failed runs of one connector: ``bundles/`` for one connector, else
    ``bundles/<name@version>/`` (the same scenario fails for several)."""
    assert request.bundles is not None
    directory = request.bundles if len(request.connectors) == 1 else request.bundles / label

    def echo(line: str) -> None:
        if console is not None:
            console.print(line, markup=False, highlight=False, soft_wrap=True)

    return BundleReporter(directory, scenarios, request.options, echo=echo)


def container_bank(image: str | None) -> Callable[[], BankHandle] | None:
    """A factory of fake banks in containers of ``image``, or None for the in-process bank."""
    if image is None:
        return None

    def start() -> BankHandle:
        from harness.engine.containers import FakeCoreBankContainer

        try:
            return FakeCoreBankContainer(image).start()
        except Exception as exc:
            detail = " ".join(str(exc).split())[:300]
            raise InputError("--bank-image", f"cannot start the fake bank from {image!r}: "
                             f"{detail}", "check `docker info` answers and the image exists "
                             "(docker/fake-bank.Dockerfile builds it)") from exc

    return start


def merge_documents(documents: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One certificate from several (CI shards): results and matrix cells united, the gate
    recomputed over them, a new digest. Shards must share format, harness, core, profile and
    seed."""
    from harness.certify.document import FORMAT, document_digest, gate_line

    first = documents[0]
    for other in documents[1:]:
        for key in ("format", "harness", "core", "profile", "seed", "asOf", "mutation"):
            if other.get(key) != first.get(key):
                raise ValueError(f"cannot merge: documents differ in {key!r} "
                                 f"({first.get(key)!r} vs {other.get(key)!r})")
    if first.get("format") != FORMAT:
        raise ValueError(f"cannot merge: format {first.get('format')!r} is not {FORMAT!r}")
    cells: dict[tuple[str, str, str], tuple[dict[str, Any], dict[str, Any]]] = {}
    expired: list[str] = []
    for document in documents:
        for cell, result in zip(document["matrix"], document["results"], strict=True):
            cells[(cell["connector"], cell["scenario"], cell["version"])] = (cell, result)
        expired += [r for r in document["gate"]["reasons"] if r.startswith("waiver for")]
    ordered = [cells[k] for k in sorted(cells)]
    gated = ("must",) if first["gate"]["failOn"] == "must" else ("must", "should")
    reasons = sorted(set(expired)) + [
        gate_line(c["level"], c["scenario"], c["version"], c["verdict"], c["connector"], r)
        for c, r in ordered if c["verdict"] in ("fail", "error") and c["level"] in gated]
    inputs: dict[str, dict[str, str]] = {"contracts": {}, "scenarios": {}}
    connectors: dict[str, dict[str, Any]] = {}
    for document in documents:
        for kind in inputs:
            inputs[kind].update(document["inputs"][kind])
        for c in document["connectors"]:
            connectors[f"{c['name']}@{c['version']}"] = c
    shared: dict[str, Any] = {k: first[k] for k in ("format", "harness", "core", "profile",
                                                    "seed", "asOf") if k in first}
    merged: dict[str, Any] = {**shared,
              "inputs": {k: dict(sorted(v.items())) for k, v in inputs.items()},
              "connectors": [connectors[k] for k in sorted(connectors)],
              "versions": cores.active().sorted({c["version"] for c, _ in ordered}),
              "matrix": [c for c, _ in ordered],
              "gate": {"failOn": first["gate"]["failOn"], "passed": not reasons,
                       "reasons": reasons},
              "results": [r for _, r in ordered]}
    if "mutation" in first:  # certify --mutation-report: every shard carries the same one
        merged["mutation"] = first["mutation"]
    merged["digest"] = document_digest(merged)
    return merged
