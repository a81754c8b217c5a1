"""Options and output handling shared by several commands (certify, matrix, diff, ...)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from fake_core_bank.errors import InputError
from harness.paths import write_atomic

F = TypeVar("F", bound=Callable[..., Any])


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date; write e.g. 2026-12-31") from exc


def prepare_out_dir(path: Path, option: str = "--out") -> None:
    """Create the output directory before any work, so a bad path fails in one line at once
    instead of after a whole run (the reports are written at the end)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(option, f"cannot create {path}: {exc.strerror}",
                         "choose a writable directory") from exc


def emit_report(report: str, output: Path | None, summary: str) -> None:
    """``report`` on stdout, or into ``--output`` with ``summary`` and where it went on stdout
    (a path that cannot be written is bad input, one line)."""
    if output is None:
        click.echo(report, nl=False)
        return
    try:
        write_atomic(output, report)
    except OSError as exc:
        raise InputError(str(output), f"cannot write the report: {exc.strerror}",
                         "choose a writable path for --output") from None
    click.echo(f"{summary}; report written to {output}")


def gating_options(fn: F) -> F:
    for option in reversed([
        click.option("--fail-on", type=click.Choice(["must", "should"]), default="must",
                     show_default=True, help="Which failing level fails the gate."),
        click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path),
                     default=None, help="Waivers of known incompatibilities (YAML)."),
        click.option("--history", "history_path", type=click.Path(dir_okay=False,
                     path_type=Path), default=None,
                     help="Record the verdicts in this SQLite file (for can-release)."),
        click.option("--as-of", callback=parse_date, default=None,
                     help="Date waivers are judged at (default: today, UTC)."),
        click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True),
        click.option("--jobs", "-j", type=click.IntRange(min=1, max=64), default=1,
                     show_default=True),
        click.option("--shard", default=None, metavar="I/N",
                     help="Run only shard I of N (CI matrix jobs); combine with merge."),
        click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                     default=Path("reports/certification"), show_default=True),
    ]):
        fn = option(fn)
    return fn



def check_time_scale(_ctx: click.Context, _param: click.Parameter,
                     value: float | None) -> float | None:
    """``--time-scale``: a finite number in (0, MAX_TIME_SCALE], not inf, nan or 1e308."""
    from fake_core_bank.domain.limits import scale_problem

    problem = None if value is None else scale_problem(value)
    if problem is not None:
        raise click.BadParameter(f"{problem}; write e.g. 3600 (one wall second is one bank "
                                 "hour)")
    return value
