"""``drawbridge mutate``: how strong is a profile? Wire mutants of a correct connector."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from harness.certify.profiles import load_profile, resolve_profile
from harness.cli.options import core_option, prepare_out_dir
from harness.drivers import driver_factory
from harness.engine.runner import RunOptions
from harness.mutate.catalogue import select
from harness.mutate.docs import replace_section
from harness.mutate.report import (
    dumps,
    render_catalogue,
    render_console,
    render_markdown,
    to_document,
)
from harness.mutate.session import mutate_profile
from harness.paths import default_library
from harness.reporting.json_report import write_atomic
from harness.scenarios.library import load_library


@click.command()
@core_option
@click.option("--connector", "connector_spec", required=True, metavar="SPEC",
              help="A correct connector: python:module:Class, command:<cmd> or http://host:port.")
@click.option("--profile", "profile_name", required=True,
              help="A profile id (v1, v2, v3: scenarios/profiles/) or a profile file.")
@click.option("--operators", default=None, metavar="IDS",
              help="Comma-separated operator ids (default: the whole catalogue).")
@click.option("--jobs", "-j", type=click.IntRange(min=1, max=64), default=1, show_default=True,
              help="Parallel jobs, each with its own fake bank.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("reports/mutation"), show_default=True,
              help="Directory for mutation.json and mutation.md.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None,
              help="Exit 1 when the score (killed / non-control mutants) is below this.")
@click.option("--min-applicable", type=click.IntRange(min=0), default=None, metavar="N",
              help="Exit 1 when fewer than N non-control operators apply (change some "
                   "scenario's traffic): a profile cannot raise its score by dropping the "
                   "scenarios its mutants needed.")
@click.option("--markdown", "markdown_page", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also write the report into this page's generated section "
                                 "for the profile (docs/mutation.md).")
def mutate(connector_spec: str, profile_name: str, operators: str | None, jobs: int, seed: int,
           out_dir: Path, min_score: float | None, min_applicable: int | None,
           markdown_page: Path | None) -> None:
    """Run the profile clean, then once per operator; exit 1 below --min-score or
    --min-applicable or when a control is killed, 2 on bad input or a failing clean run."""
    chosen = select(operators)
    prepare_out_dir(out_dir)
    library = load_library(default_library())
    profile = load_profile(resolve_profile(profile_name), library)
    make_driver, identity = driver_factory(connector_spec)
    run = mutate_profile(profile, library, chosen, make_driver, identity,
                         RunOptions(seed=seed), jobs=jobs,
                         progress=lambda text: click.echo(text, err=True))
    document = to_document(run)
    markdown = render_markdown(document)
    write_atomic(out_dir / "mutation.json", dumps(document))
    write_atomic(out_dir / "mutation.md", markdown.encode("utf-8"))
    if markdown_page is not None:
        page = markdown_page.read_text(encoding="utf-8") if markdown_page.exists() else ""
        page = replace_section(page, "catalogue", render_catalogue(document))
        page = replace_section(page, f"profile-{profile.id}", render_markdown(document, "###"))
        write_atomic(markdown_page, page.encode("utf-8"))
    click.echo(render_console(document), nl=False)
    click.echo(f"reports: {out_dir}/mutation.json, mutation.md")
    if document["proxyBugs"]:
        sys.exit(1)
    failed = False
    if min_score is not None and run.score < min_score:
        click.echo(f"score {run.score:.4f} is below --min-score {min_score:g}", err=True)
        failed = True
    if min_applicable is not None and len(run.scored) < min_applicable:
        idle = ", ".join(m.operator.id for m in run.not_applicable)
        click.echo(f"{len(run.scored)} operators applied, below --min-applicable "
                   f"{min_applicable} (not applicable: {idle}); a scenario that made them "
                   "apply has left the profile", err=True)
        failed = True
    if failed:
        sys.exit(1)
