"""``drawbridge can-release``: the deploy gate, answered from recorded results."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click

from fake_core_bank.domain.versions import KNOWN_VERSIONS
from fake_core_bank.errors import InputError
from harness.certify.history import can_release as ask


@click.command("can-release")
@click.option("--connector", required=True, metavar="NAME@VERSION")
@click.option("--core", required=True, metavar="VERSION", help="The core version to release "
              "against (v1, v2, v3).")
@click.option("--history", "history_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("reports/history.sqlite"), show_default=True)
def can_release(connector: str, core: str, history_path: Path) -> None:
    """Answer yes (exit 0) or no (exit 1), with the reason, from the results history."""
    if "@" not in connector:
        raise InputError("--connector", f"{connector!r} has no version",
                         "write NAME@VERSION, e.g. legacy-v1@0.9.3")
    if core not in KNOWN_VERSIONS:
        raise InputError.for_unknown_name("--core", "version", core, KNOWN_VERSIONS)
    try:
        answer = ask(history_path, connector, core)
    except sqlite3.DatabaseError as exc:
        raise InputError(str(history_path), f"not a results history: {exc}",
                         "pass the SQLite file that certify --history wrote") from exc
    click.echo(f"{'yes' if answer.release else 'no'}: {answer.reason}")
    sys.exit(0 if answer.release else 1)
