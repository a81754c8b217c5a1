"""``drawbridge validate``: check scenario files, profiles and the gate policy without running
anything.

Exit 0 when all hold; 2 on bad input (the first error, one line naming file, line and fix); 1
when the files read but the gate policy does not hold: a rule lacks a MUST scenario at a version
where it applies (one line per gap, docs/certification.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from harness.certify.gate_policy import gaps, load_gate_policy, policy_path
from harness.certify.profiles import load_profile
from harness.cli.options import core_option
from harness.paths import default_library, profile_folders
from harness.scenarios.library import load_library


@click.command()
@core_option
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--gate-policy", "policy", type=click.Path(path_type=Path), default=None,
              help="Gate policy to check against the profiles (default: the library's, "
                   "scenarios/profiles/rules/gate-policy.yaml; checked when no PATHS are given "
                   "or this option is).")
def validate(paths: tuple[Path, ...], policy: Path | None) -> None:
    """Load scenarios (default: the library), the profiles and the gate policy; exit 2 on the
    first error, 1 when a rule of the gate policy lacks a MUST scenario."""
    library = load_library(list(paths) or default_library())
    files = sorted(f for folder in profile_folders() for f in folder.glob("*.yaml")) \
        if not paths or policy else []
    profiles = {p.version: p for p in (load_profile(f, library) for f in files)}
    checked = f"ok: {len(library)} scenarios" + (f", {len(files)} profiles" if files else "")
    if paths and policy is None:
        click.echo(checked)
        return
    where = policy or policy_path()
    if where is None:  # a core model without a gate policy of its own
        click.echo(checked)
        return
    rules = load_gate_policy(where, library)
    problems = gaps(rules, profiles)
    for problem in problems:
        click.echo(f"{where}: {problem}", err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{checked}, gate policy {where.name} ({len(rules)} rules) holds")
