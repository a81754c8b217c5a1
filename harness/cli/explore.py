"""``drawbridge explore``: random timelines against a connector; distinct failures, shrunk."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click
from rich.console import Console

from fake_core_bank import cores
from harness.cli.header_options import header_options
from harness.cli.options import connector_path_option, core_option, progress_option, run_line
from harness.drivers import driver_factory
from harness.drivers.spec import SPEC_FORMS, is_python_spec
from harness.engine.bank import BankHandle, LocalBank
from harness.engine.runner import RunOptions
from harness.explore import Judge
from harness.explore import explore as explore_connector
from harness.reporting.progress import ItemProgress


@click.command()
@core_option
@header_options
@click.option("--connector", "connector_spec", required=True, metavar="SPEC",
              help=f"{SPEC_FORMS}.")
@connector_path_option
@click.option("--budget", type=click.IntRange(min=1), default=50, show_default=True,
              help="How many random scenarios to run.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Same seed and budget, same scenarios and findings.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("reports/explore"), show_default=True,
              help="Directory for one minimal scenario per distinct failure.")
@click.option("--version", "version", default=None,
              help="Core version to explore at (default: the connector's newest contract).")
@click.option("--transport", type=click.Choice(["auto", "loopback", "responses"]),
              default="auto", show_default=True,
              help="responses: in process, for python connectors on requests (auto picks it "
                   "for python: and python-in-process: specs).")
@click.option("--max-steps", type=click.IntRange(min=1, max=30), default=6, show_default=True)
@progress_option
def explore(connector_spec: str, connector_path: Path | None, budget: int, seed: int,
            out_dir: Path, version: str | None,
            transport: str, max_steps: int, no_progress: bool) -> None:
    """Explore random timelines; exit 0 when nothing failed, 1 when failures were written."""
    make_driver, identity = driver_factory(connector_spec, connector_path)
    model = cores.active()
    declared = [v for v in model.versions if v in identity.contracts]
    chosen = model.check_version("--version", version) if version else \
        (declared[-1] if declared else model.versions[-1])
    if transport == "auto":
        transport = "responses" if is_python_spec(connector_spec) else "loopback"
    if transport == "responses" and not is_python_spec(connector_spec):
        raise click.UsageError("--transport responses reaches only python: and "
                               "python-in-process: connectors (in this process); use loopback")
    factory: Callable[[], BankHandle] = LocalBank
    if transport == "responses":
        from harness.playback import ResponsesBank

        factory = ResponsesBank
    click.echo(f"exploring {identity.label} at {chosen}: {budget} scenarios, seed {seed}, "
               f"{transport}")
    progress = ItemProgress(Console(), total=None, description="exploring",
                            enabled=not no_progress)
    with progress, Judge(chosen, make_driver, identity, RunOptions(seed=seed),
                         bank_factory=factory, on_run=run_line(progress)) as judge:
        found = explore_connector(judge, budget=budget, seed=seed, out=out_dir,
                                  max_steps=max_steps, echo=click.echo)
        runs = judge.runs
    for discovery in found:
        click.echo(f"{discovery.oracle} on {discovery.kind}: {len(discovery.scenario.timeline)} "
                   f"step(s), wrote {discovery.path}")
    click.echo(f"{len(found)} distinct failure(s) in {runs} runs")
    sys.exit(1 if found else 0)
