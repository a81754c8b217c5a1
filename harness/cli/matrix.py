"""``drawbridge matrix FILE``: several connectors x several core versions in one run.

    format: drawbridge/matrix@1
    connectors: [python:pkg.v1:Conn, python:pkg.v2:Conn]
    versions: [v1, v2, v3]
    scenarios: [scenarios/]        # optional: the library
    profile: v2                    # optional: levels from a profile (else every scenario MUST)
    baseline: known-issues.yaml    # optional
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from rich.console import Console

from fake_core_bank import cores
from fake_core_bank.errors import InputError
from harness.certify.baseline import load_baseline
from harness.certify.config import ConfigFile
from harness.certify.profiles import load_profile, resolve_profile
from harness.certify.session import CertifyRequest, run_certification
from harness.cli.certify import finish, history_target
from harness.cli.header_options import header_options
from harness.cli.options import (
    connector_path_option,
    core_option,
    gating_options,
    prepare_out_dir,
    progress_option,
)
from harness.engine.runner import RunOptions
from harness.paths import default_library
from harness.scenarios.library import load_library


@click.command()
@core_option
@header_options
@click.argument("matrix_file", type=click.Path(dir_okay=False, path_type=Path))
@connector_path_option
@gating_options
@progress_option
def matrix(matrix_file: Path, connector_path: Path | None, fail_on: str,
           baseline: Path | None, history_path: Path | None, no_history: bool,
           as_of: date, seed: int, jobs: int, shard: str | None, out_dir: Path,
           no_progress: bool) -> None:
    """Run the connectors and versions a matrix file lists; same reports as certify."""
    target = history_target(history_path, no_history, as_of)
    cfg = ConfigFile(matrix_file, "drawbridge/matrix@1",
                     ("connectors", "versions", "scenarios", "profile", "baseline"))
    data = cfg.doc.data
    connectors = cfg.strings(data, (), "connectors")
    if not connectors:
        raise InputError(cfg.where(("connectors",)), "no connector listed",
                         "list at least one connector spec")
    versions = cfg.strings(data, (), "versions")
    for i, version in enumerate(versions):
        cores.active().check_version(cfg.where(("versions", i)), version)
    base = matrix_file.parent
    paths = [base / p for p in cfg.strings(data, (), "scenarios", required=False)]
    prepare_out_dir(out_dir)
    library = load_library(paths or default_library())
    profile_name = cfg.get(data, (), "profile", str, required=False)
    profile = None
    if profile_name:
        try:
            profile_path = resolve_profile(profile_name)
        except InputError as exc:  # name the matrix file's line, not a --profile option
            raise InputError(cfg.where(("profile",)), exc.problem, exc.fix) from None
        profile = load_profile(profile_path, library)
    baseline_name = cfg.get(data, (), "baseline", str, required=False)
    if baseline is None and baseline_name:
        baseline = base / baseline_name
    waivers = tuple(load_baseline(baseline, as_of=as_of)) if baseline else ()
    request = CertifyRequest(
        connectors=tuple(connectors), versions=tuple(versions), scenarios=tuple(library),
        profile=profile, waivers=waivers, fail_on=fail_on, seed=seed, jobs=jobs, shard=shard,
        as_of=as_of, options=RunOptions(seed=seed), bundles=out_dir / "bundles",
        connector_path=connector_path)
    document, interrupted = run_certification(request, Console(), progress=not no_progress)
    finish(document, out_dir, target, interrupted)
