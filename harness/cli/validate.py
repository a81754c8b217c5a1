"""``drawbridge validate``: check scenario files and profiles without running anything."""

from __future__ import annotations

from pathlib import Path

import click

from harness.certify.profiles import load_profile
from harness.paths import profiles_root, scenarios_root
from harness.scenarios.library import load_library


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Load scenarios (default: the library) and the profiles; exit 2 on the first error."""
    library = load_library(list(paths) or [scenarios_root()])
    profiles = sorted(profiles_root().glob("*.yaml")) if not paths else []
    for profile in profiles:
        load_profile(profile, library)
    click.echo(f"ok: {len(library)} scenarios" + (f", {len(profiles)} profiles"
                                                  if profiles else ""))
