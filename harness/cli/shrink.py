"""``drawbridge shrink BUNDLE``: the smallest scenario that still fails the bundle's oracle."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click
from rich.console import Console

from harness.bundles.bundle import read_bundle
from harness.bundles.replay import bundle_options, bundle_scenario, make_bank
from harness.cli.bundle_trust import connector_to_run, trust_option
from harness.cli.header_options import header_options
from harness.cli.options import (
    bundle_connector_path,
    connector_path_option,
    core_option,
    progress_option,
    run_line,
)
from harness.drivers import driver_factory
from harness.explore.judge import Judge, primary_oracle
from harness.oracles import ORACLES
from harness.paths import write_atomic
from harness.reporting.progress import ItemProgress
from harness.scenarios import dump_scenario
from harness.shrink import shrink as shrink_scenario


@click.command()
@core_option
@header_options
@trust_option
@click.argument("bundle_path", metavar="BUNDLE", type=click.Path(path_type=Path))
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Scenario file to write (default: next to the bundle, "
                                 "<scenario>.min.yaml).")
@click.option("--oracle", type=click.Choice(sorted(ORACLES)), default=None,
              help="The oracle that must keep failing (default: the bundle's first finding).")
@click.option("--connector", "connector_spec", default=None, metavar="SPEC",
              help="Run against this connector instead of the one the bundle names.")
@connector_path_option
@click.option("--max-runs", type=click.IntRange(min=1), default=300, show_default=True,
              help="Give up refining after this many scenario runs.")
@progress_option
def shrink(bundle_path: Path, out_path: Path | None, oracle: str | None,
           connector_spec: str | None, connector_path: Path | None, max_runs: int,
           no_progress: bool, trust_bundle: bool) -> None:
    """Delta-debug a bundle's scenario; exit 0 written, 1 when the failure does not reproduce."""
    bundle = read_bundle(bundle_path)
    scenario = bundle_scenario(bundle, str(bundle_path))
    target = oracle or primary_oracle([f["oracle"] for f in bundle.get("findings") or []])
    if target is None:
        raise click.UsageError(f"{bundle_path}: no oracle finding to shrink for (verdict "
                               f"{bundle['verdict']}); pass --oracle NAME")
    spec = connector_to_run(bundle, bundle_path, connector_spec, trust_bundle)
    make_driver, identity = driver_factory(spec, bundle_connector_path(bundle, connector_path))
    transport = bundle["options"].get("transport") or "loopback"
    progress = ItemProgress(Console(), total=None, description="shrinking",
                            enabled=not no_progress)
    with progress, Judge(bundle["version"], make_driver, identity, bundle_options(bundle),
                         bank_factory=lambda: make_bank(transport),
                         on_run=run_line(progress)) as judge:
        fails = judge.fails(target)
        if not fails(scenario):
            click.echo(f"{scenario.id}@{bundle['version']} no longer fails {target}: nothing to "
                       "shrink (check with drawbridge replay)")
            sys.exit(1)
        result = shrink_scenario(scenario, fails, max_runs=max_runs)
    note = (f"Shrunk by `drawbridge shrink` from {bundle['scenario'].get('source')}: still "
            f"fails {target} against {identity.label} at {bundle['version']}.")
    small = replace(result.scenario, seed=bundle["seed"] if scenario.seed is None
                    else scenario.seed, versions=(bundle["version"],),
                    description=note + ("\n\n" + scenario.description
                                        if scenario.description else ""))
    out = out_path or bundle_path.with_name(f"{scenario.id}.min.yaml")
    write_atomic(out, dump_scenario(small))
    click.echo(f"{scenario.id}: {len(scenario.timeline)} steps -> {len(small.timeline)} "
               f"(still fails {target}; {result.runs} runs); wrote {out}")
