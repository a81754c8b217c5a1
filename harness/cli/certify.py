"""``drawbridge certify``: a connector through a certification profile, with a certificate."""

from __future__ import annotations

import shlex
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from fake_core_bank.errors import InputError
from harness.certify import history
from harness.certify.baseline import load_baseline
from harness.certify.mutation import load_mutation_report, with_mutation
from harness.certify.profiles import load_profile, resolve_profile
from harness.certify.session import CertifyRequest, run_certification
from harness.cli.header_options import header_options
from harness.cli.options import (
    connector_path_option,
    core_option,
    gating_options,
    prepare_out_dir,
    progress_option,
)
from harness.cli.signals import exit_interrupted, handles_signals
from harness.engine.runner import RunOptions
from harness.paths import default_library
from harness.reporting.formats import write_reports
from harness.scenarios.library import load_library


def history_target(history_path: Path | None, no_history: bool,
                   as_of: date | None = None) -> Path | None:
    """The results history a recording command writes to: --history, else the shared default;
    None with --no-history. Given the run's ``as_of``, refused at once (before any work) when it
    is earlier than the history's newest run."""
    if no_history:
        return None
    target = history_path if history_path is not None else history.default_path()
    if as_of is not None:
        history.refuse_earlier(target, as_of.isoformat())
    return target


def finish(document: dict[str, Any], out_dir: Path, history_path: Path | None,
           interrupted: bool) -> None:
    """Write the reports first, then record the verdicts, then print the gate and exit with it
    (a busy or foreign history is bad input after the reports are safely written)."""
    paths = write_reports(document, out_dir)
    gate = document["gate"]
    click.echo("written: " + ", ".join(str(p) for p in paths))
    click.echo(f"digest: {document['digest']}")
    if history_path is None:
        click.echo("history: not recorded (--no-history)")
    else:
        try:
            run_id = history.record(history_path, document)
        except InputError as exc:
            certificate = shlex.quote(str(out_dir / "certificate.json"))
            raise InputError(exc.where, exc.problem,
                             f"{exc.fix}; the reports in {out_dir} are kept: record them later "
                             f"with drawbridge merge {certificate} --out "
                             f"{shlex.quote(str(out_dir))}") from exc
        click.echo(f"history: {history_path} (run #{run_id} recorded; ask it with drawbridge "
                   "can-release)")
    if gate["passed"]:
        click.echo("gate: PASSED")
    else:
        click.echo("gate: FAILED")
        for reason in gate["reasons"]:
            click.echo(f"  - {reason}")
    if interrupted:
        exit_interrupted()  # 130 for SIGINT, 143 for SIGTERM
    sys.exit(0 if gate["passed"] else 1)


@click.command()
@core_option
@header_options
@click.option("--connector", "connectors", required=True, multiple=True, metavar="SPEC",
              help="The connector (repeat for several versions of it).")
@connector_path_option
@click.option("--profile", "profile_name", required=True,
              help="A profile id (v1, v2, v3: scenarios/profiles/) or a profile file.")
@click.option("--bank-image", default=None, metavar="IMAGE",
              help="Run the fake bank from this container image (default: in process).")
@click.option("--mutation-report", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="A `drawbridge mutate` mutation.json of this profile: the "
                                 "certificate carries its score (docs/mutation.md).")
@gating_options
@progress_option
@handles_signals
def certify(connectors: tuple[str, ...], connector_path: Path | None, profile_name: str,
            bank_image: str | None, mutation_report: Path | None, fail_on: str,
            baseline: Path | None, history_path: Path | None, no_history: bool, as_of: date,
            seed: int, jobs: int, shard: str | None, out_dir: Path, no_progress: bool) -> None:
    """Certify connectors against a profile: certificate.json, report.html, summary.md, and the
    verdicts recorded in the results history."""
    prepare_out_dir(out_dir)
    target = history_target(history_path, no_history, as_of)
    library = load_library(default_library())
    profile = load_profile(resolve_profile(profile_name), library)
    waivers = tuple(load_baseline(baseline, as_of=as_of)) if baseline else ()
    mutation = None if mutation_report is None else \
        load_mutation_report(mutation_report, profile.id, profile.version)
    request = CertifyRequest(connectors=connectors, versions=(profile.version,),
                             scenarios=tuple(library), profile=profile, waivers=waivers,
                             fail_on=fail_on, seed=seed, jobs=jobs, shard=shard, as_of=as_of,
                             options=RunOptions(seed=seed), bank_image=bank_image,
                             bundles=out_dir / "bundles",
                             connector_path=connector_path)
    document, interrupted = run_certification(request, Console(), progress=not no_progress)
    if mutation is not None:
        document = with_mutation(document, mutation)
    finish(document, out_dir, target, interrupted)
