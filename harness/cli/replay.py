"""``drawbridge replay BUNDLE``: run a failure again from its bundle and compare."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from harness.bundles.bundle import read_bundle
from harness.bundles.replay import bundle_scenario, compare, rerun
from harness.cli.bundle_trust import connector_to_run, trust_option
from harness.cli.header_options import header_options
from harness.cli.options import bundle_connector_path, connector_path_option, core_option
from harness.drivers import driver_factory


@click.command()
@core_option
@header_options
@trust_option
@click.argument("bundle_path", metavar="BUNDLE", type=click.Path(path_type=Path))
@click.option("--connector", "connector_spec", default=None, metavar="SPEC",
              help="Run against this connector instead of the one the bundle names.")
@connector_path_option
def replay(bundle_path: Path, connector_spec: str | None, connector_path: Path | None,
           trust_bundle: bool) -> None:
    """Re-run a bundle's scenario; exit 0 when it reproduced identically, 1 when it differs."""
    bundle = read_bundle(bundle_path)
    scenario = bundle_scenario(bundle, str(bundle_path))
    spec = connector_to_run(bundle, bundle_path, connector_spec, trust_bundle)
    make_driver, identity = driver_factory(spec, bundle_connector_path(bundle, connector_path))
    click.echo(f"replaying {scenario.id}@{bundle['version']} (seed {bundle['seed']}) against "
               f"{identity.label}")
    result = rerun(bundle, scenario, make_driver, identity)
    comparison = compare(bundle, result)
    if comparison.identical:
        click.echo(f"reproduced identically: {result.verdict}, "
                   f"{len(result.findings)} finding(s), {len(result.journal)} journal entries")
        sys.exit(0)
    click.echo(f"differs from the bundle ({bundle['verdict']} -> {result.verdict}):")
    for difference in comparison.differences:
        click.echo(f"  {difference}")
    sys.exit(1)
