"""``drawbridge scenario ...``: scenario tools (``from-recording``)."""

from __future__ import annotations

import re
from pathlib import Path

import click

from harness.paths import write_atomic
from harness.recording.infer import scenario_from_recording
from harness.recording.store import read_recording
from harness.scenarios import dump_scenario


@click.group()
def scenario() -> None:
    """Write scenarios from other material."""


@scenario.command("from-recording")
@click.argument("recording", type=click.Path(path_type=Path))
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Scenario file to write (default: print it).")
@click.option("--id", "scenario_id", default=None,
              help="Scenario id (default: from the recording's file name).")
def from_recording(recording: Path, out_path: Path | None, scenario_id: str | None) -> None:
    """Turn a recording (drawbridge record, or a HAR export) into a scenario."""
    exchanges = read_recording(recording)
    default_id = re.sub(r"[^a-z0-9-]+", "-", recording.stem.lower()).strip("-")
    chosen = scenario_id or (default_id if len(default_id) >= 3 else "recorded")
    made = scenario_from_recording(exchanges, scenario_id=chosen[:64], where=str(recording))
    text = dump_scenario(made)
    if out_path is None:
        click.echo(text, nl=False)
        return
    write_atomic(out_path, text)
    click.echo(f"wrote {out_path}: {len(made.operations)} operations, {len(made.events)} "
               f"events, {len(made.given.lines)} line(s) from {len(exchanges)} exchanges",
               err=True)
