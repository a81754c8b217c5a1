"""Options and output handling shared by several commands (certify, matrix, diff, ...)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from fake_core_bank.errors import InputError
from harness.paths import write_atomic

if TYPE_CHECKING:  # options load with every command; keep them light
    from harness.evidence import RunResult
    from harness.reporting.progress import ItemProgress

F = TypeVar("F", bound=Callable[..., Any])

#: --jobs of the commands that run a plan (run, certify)
JOBS_HELP = ("Parallel jobs, each with its own fake bank; from 2 up, runs that mostly wait "
             "(a maintenance window's Retry-After, a latency fault) also get lanes of their "
             "own beside the jobs, at most as many as the jobs.")


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


def _activate_core(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    from fake_core_bank import cores

    cores.activate(cores.load(value or cores.DEFAULT))


def core_option(fn: F) -> F:
    """``--core``: the core model whose API the bank speaks (docs/core-models.md); loaded
    before every other option, which may name its versions."""
    return click.option(
        "--core", "core_model", callback=_activate_core, expose_value=False, is_eager=True,
        envvar="DRAWBRIDGE_CORE", metavar="MODULE:ATTR",
        help="Core model to fake: module:attribute of a fake_core_bank.cores.CoreModel, or the "
             "name of an installed one (entry point group drawbridge.cores); default: the "
             "built-in lending core.")(fn)


def history_options(fn: F) -> F:
    """--history PATH and --no-history: where the verdicts are recorded for can-release."""
    fn = click.option("--no-history", is_flag=True,
                      help="Do not record the verdicts in the results history.")(fn)
    return click.option("--history", "history_path", type=click.Path(dir_okay=False,
                        path_type=Path), default=None, metavar="PATH",
                        help="The results history to record in (default: $DRAWBRIDGE_HISTORY "
                        "or reports/history.sqlite; can-release reads the same).")(fn)


def gating_options(fn: F) -> F:
    fn = history_options(fn)
    for option in reversed([
        click.option("--fail-on", type=click.Choice(["must", "should"]), default="must",
                     show_default=True, help="Which failing level fails the gate."),
        click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path),
                     default=None, help="Waivers of known incompatibilities (YAML)."),
        click.option("--as-of", callback=parse_date, default=None,
                     help="Date waivers are judged at (default: today, UTC)."),
        click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True),
        click.option("--jobs", "-j", type=click.IntRange(min=1, max=64), default=1,
                     show_default=True, help=JOBS_HELP),
        click.option("--shard", default=None, metavar="I/N",
                     help="Run only shard I of N (CI matrix jobs); combine with merge."),
        click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                     default=Path("reports/certification"), show_default=True),
    ]):
        fn = option(fn)
    return fn


def connector_path_option(fn: F) -> F:
    """``--connector-path DIR``: where python connectors are imported from (default: the
    working directory); reproduce commands and bundles carry it as an absolute path."""
    return click.option(
        "--connector-path", type=click.Path(file_okay=False, path_type=Path), default=None,
        metavar="DIR", help="Import python: connectors from DIR (default: the current "
                            "directory); carried into reproduce commands and bundles.")(fn)


def bundle_connector_path(bundle: dict[str, Any], given: Path | None) -> Path | None:
    """``--connector-path`` when given, else the one the bundle's run used (if any)."""
    if given is not None:
        return given
    recorded = bundle["connector"].get("path")
    return Path(recorded) if isinstance(recorded, str) and recorded else None


def progress_option(fn: F) -> F:
    """``--no-progress``: the same switch on every long command (harness.reporting.progress)."""
    return click.option(
        "--no-progress", is_flag=True,
        help="No progress: no bar on a terminal, no line per finished item otherwise.")(fn)


def run_line(progress: ItemProgress) -> Callable[[RunResult], None]:
    """A Judge's ``on_run``: one progress item per scenario run (explore, shrink)."""
    def advance(result: RunResult) -> None:
        findings = sorted({f.oracle for f in result.findings})
        progress.advance(result.key, result.verdict + (f" ({', '.join(findings)})"
                                                       if findings else ""))
    return advance


def check_time_scale(_ctx: click.Context, _param: click.Parameter,
                     value: float | None) -> float | None:
    """``--time-scale``: a finite number in (0, MAX_TIME_SCALE], not inf, nan or 1e308."""
    from fake_core_bank.domain.limits import scale_problem

    problem = None if value is None else scale_problem(value)
    if problem is not None:
        raise click.BadParameter(f"{problem}; write e.g. 3600 (one wall second is one bank "
                                 "hour)")
    return value
