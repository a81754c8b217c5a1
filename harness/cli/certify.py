"""``drawbridge certify``: a connector through a certification profile, with a certificate."""

from __future__ import annotations

import sqlite3
import sys
from datetime import date
from pathlib import Path

import click
from rich.console import Console

from fake_core_bank.errors import InputError
from harness.certify.baseline import load_baseline
from harness.certify.profiles import load_profile, resolve_profile
from harness.certify.session import CertifyRequest, run_certification, write_reports
from harness.cli.options import gating_options, prepare_out_dir
from harness.cli.signals import exit_interrupted, handles_signals
from harness.engine.runner import RunOptions
from harness.paths import scenarios_root
from harness.scenarios.library import load_library


def finish(document: dict[str, object], out_dir: Path, history_path: Path | None,
           interrupted: bool) -> None:
    try:
        paths = write_reports(document, out_dir, history_path)
    except sqlite3.DatabaseError as exc:
        raise InputError(str(history_path), f"not a results history: {exc}",
                         "pass a new file name or one that certify --history wrote") from exc
    gate = document["gate"]
    assert isinstance(gate, dict)
    click.echo("written: " + ", ".join(str(p) for p in paths))
    click.echo(f"digest: {document['digest']}")
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
@click.option("--connector", "connectors", required=True, multiple=True, metavar="SPEC",
              help="The connector (repeat for several versions of it).")
@click.option("--profile", "profile_name", required=True,
              help="A profile id (v1, v2, v3: scenarios/profiles/) or a profile file.")
@click.option("--bank-image", default=None, metavar="IMAGE",
              help="Run the fake bank from this container image (default: in process).")
@gating_options
@handles_signals
def certify(connectors: tuple[str, ...], profile_name: str, bank_image: str | None,
            fail_on: str,
            baseline: Path | None, history_path: Path | None, as_of: date, seed: int,
            jobs: int, shard: str | None, out_dir: Path) -> None:
    """Certify connectors against a profile: certificate.json, report.html, summary.md."""
    prepare_out_dir(out_dir)
    library = load_library([scenarios_root()])
    profile = load_profile(resolve_profile(profile_name), library)
    waivers = tuple(load_baseline(baseline)) if baseline else ()
    request = CertifyRequest(connectors=connectors, versions=(profile.version,),
                             scenarios=tuple(library), profile=profile, waivers=waivers,
                             fail_on=fail_on, seed=seed, jobs=jobs, shard=shard, as_of=as_of,
                             options=RunOptions(seed=seed), bank_image=bank_image)
    document, interrupted = run_certification(request, Console())
    finish(document, out_dir, history_path, interrupted)
