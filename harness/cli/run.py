"""``drawbridge run``: the scenario library (or some scenarios) against one connector."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fake_core_bank import cores
from fake_core_bank.errors import InputError
from harness.bundles import BundleReporter
from harness.certify.session import container_bank
from harness.cli.header_options import header_options
from harness.cli.options import (
    JOBS_HELP,
    check_time_scale,
    connector_path_option,
    core_option,
    prepare_out_dir,
    progress_option,
)
from harness.cli.serve import parse_versions
from harness.cli.signals import exit_interrupted, handles_signals
from harness.drivers import driver_factory
from harness.drivers.spec import SPEC_FORMS, is_python_spec
from harness.engine.events import Reporter
from harness.engine.runner import RunOptions
from harness.engine.session import plan, run_plan, shard
from harness.paths import default_library
from harness.reporting.console import ConsoleReporter
from harness.reporting.formats import ReportsReporter, file_names
from harness.reporting.report_view import RESULTS_FORMAT
from harness.scenarios.library import load_library


@click.command()
@core_option
@header_options
@click.argument("scenarios", nargs=-1, type=click.Path(path_type=Path))
@click.option("--connector", "connector_spec", required=True, metavar="SPEC",
              help=f"{SPEC_FORMS}.")
@connector_path_option
@click.option("--versions", default=None,
              help="Core versions to run at, comma-separated (default: the versions the "
                   "connector declares, else all).")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--jobs", "-j", type=click.IntRange(min=1, max=64), default=1, show_default=True,
              help=JOBS_HELP)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("reports"), show_default=True,
              help=f"Directory for the reports ({', '.join(file_names({'format': RESULTS_FORMAT}))}"
                   "; docs/reports.md).")
@click.option("--op-timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds one connector operation may take.")
@click.option("--scenario-timeout", type=click.FloatRange(min=1), default=180.0,
              show_default=True, help="Wall seconds one scenario run may take.")
@click.option("--time-scale", type=float, callback=check_time_scale, default=None,
              help="Virtual seconds per wall second during operations (default 3600).")
@click.option("--shard", "shard_spec", default=None, metavar="I/N",
              help="Run only shard I of N of the plan (CI matrix jobs).")
@click.option("--transport", type=click.Choice(["loopback", "responses"]), default="loopback",
              show_default=True,
              help="responses: serve the bank in process through the `responses` library (no "
                   "sockets; python connectors built on requests; one job).")
@click.option("--bank-image", default=None, metavar="IMAGE",
              help="Run the fake bank from this container image (default: in process).")
@progress_option
@click.option("--bundles", "bundles_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Directory for a reproduction bundle per failure "
                                 "(default <out>/bundles).")
@handles_signals
def run(scenarios: tuple[Path, ...], connector_spec: str, connector_path: Path | None,
        versions: str | None, seed: int,
        jobs: int, out_dir: Path, op_timeout: float, scenario_timeout: float,
        time_scale: float | None, shard_spec: str | None, transport: str,
        bank_image: str | None, no_progress: bool, bundles_dir: Path | None) -> None:
    """Run scenarios against a connector; exit 0 all pass, 1 incompatibilities, 2 bad input."""
    prepare_out_dir(out_dir)
    library = load_library(list(scenarios) or default_library())
    make_driver, identity = driver_factory(connector_spec, connector_path)
    if versions is not None:
        chosen = parse_versions(versions)
    elif identity.contracts:
        chosen = tuple(v for v in cores.active().versions if v in identity.contracts)
    else:
        chosen = cores.active().versions
    items = shard(plan(library, cores.active().sorted(chosen)), shard_spec)
    if not items:
        raise click.UsageError(f"no scenario applies to versions {', '.join(chosen)}; "
                               "pick other --versions or scenarios")
    options = RunOptions(seed=seed, time_scale=time_scale, op_timeout=op_timeout,
                         scenario_timeout=scenario_timeout)
    reporters: list[Reporter] = [
        ConsoleReporter(connector_spec=connector_spec, progress=not no_progress),
        ReportsReporter(out_dir),
        BundleReporter(bundles_dir or out_dir / "bundles", library, options, echo=click.echo),
    ]
    bank_factory = container_bank(bank_image)
    if transport == "responses":
        if bank_image is not None:
            raise InputError("--bank-image", "a bank in a container is reached over loopback",
                             "drop --transport responses or --bank-image")
        if not is_python_spec(connector_spec):
            raise InputError("--transport", "responses mode serves python connectors only",
                             "use --transport loopback for command, http and container ones")
        if jobs != 1:
            raise InputError("--jobs", "responses mode patches requests for the whole process",
                             "run it with --jobs 1")
        from harness.playback.bank import ResponsesBank

        bank_factory = ResponsesBank
    results, interrupted = run_plan(items, make_driver, identity, options, jobs=jobs,
                                    reporters=reporters, bank_factory=bank_factory)
    click.echo(f"reports: {out_dir}/" + ", ".join(file_names({"format": RESULTS_FORMAT})))
    if interrupted:
        exit_interrupted()  # 130 for SIGINT, 143 for SIGTERM
    sys.exit(0 if all(r.passed for r in results) else 1)
