"""``drawbridge can-release``: the deploy gate, answered from the whole results history."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from fake_core_bank import cores
from fake_core_bank.errors import InputError
from harness.certify import history
from harness.certify.profiles import load_profile, resolve_profile
from harness.certify.release import can_release as ask
from harness.cli.options import core_option, parse_date
from harness.paths import default_library
from harness.scenarios.library import load_library


@click.command("can-release")
@core_option
@click.option("--connector", required=True, metavar="NAME@VERSION")
@click.option("--core-version", "core", required=True, metavar="VERSION",
              help="The version of the core to release against (v1, v2, v3 for the built-in "
              "core).")
@click.option("--profile", "profile_name", default=None, metavar="PROFILE",
              help="The profile whose MUST list decides (default: the one named like "
                   "--core-version).")
@click.option("--history", "history_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, metavar="PATH", help="The results history (default: "
              "$DRAWBRIDGE_HISTORY or reports/history.sqlite, where certify records).")
@click.option("--scenarios", "scenario_paths", multiple=True, metavar="PATH",
              type=click.Path(exists=True, path_type=Path),
              help="The scenario library the certification ran (default: the built-in one); "
              "its files' current digests decide which evidence still counts.")
@click.option("--as-of", callback=parse_date, default=None,
              help="Date waivers are judged at (default: today, UTC; never earlier than the "
              "newest recorded run).")
def can_release(connector: str, core: str, profile_name: str | None, history_path: Path | None,
                scenario_paths: tuple[Path, ...], as_of: date) -> None:
    """Answer yes (exit 0) or no (exit 1), scenario by scenario, from the results history."""
    if "@" not in connector:
        raise InputError("--connector", f"{connector!r} has no version",
                         "write NAME@VERSION, e.g. legacy-v1@0.9.3")
    cores.active().check_version("--core-version", core)
    path = history_path if history_path is not None else history.default_path()
    library = load_library(list(scenario_paths) or default_library())
    profile = load_profile(resolve_profile(profile_name or core), library)
    if profile.version != core:
        raise InputError("--profile", f"profile {profile.id} is for core {profile.version}, "
                         f"not {core}", f"pass --core-version {profile.version} or another profile")
    answer = ask(path, connector, core, profile=profile, library=library, as_of=as_of)
    click.echo(f"{'yes' if answer.release else 'no'}: {answer.reason}")
    for line in answer.details:
        click.echo(f"  {line}")
    click.echo(f"history: {path}")
    sys.exit(0 if answer.release else 1)
