"""``drawbridge init connector DIR``: a connector project to start from (harness.scaffold)."""

from __future__ import annotations

from pathlib import Path

import click

from harness.scaffold import LANGUAGES, write_connector


@click.group()
def init() -> None:
    """Start a project."""


@init.command("connector")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--language", type=click.Choice(LANGUAGES), required=True,
              help="The connector's language.")
@click.option("--name", default=None,
              help="The connector's name, e.g. acme-erp (default: from DIRECTORY).")
def connector(directory: Path, language: str, name: str | None) -> None:
    """Write a connector that passes the v2 profile as generated, its README, a pytest file
    and a GitHub workflow gating releases on can-release."""
    project, written = write_connector(directory, language, name)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"next: cd {directory} && drawbridge certify --connector '{project.spec}' "
               "--profile v2")
