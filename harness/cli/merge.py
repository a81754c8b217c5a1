"""``drawbridge merge``: combine the certificates of CI shards into one, with its reports."""

from __future__ import annotations

from pathlib import Path

import click
import orjson

from fake_core_bank.errors import InputError
from harness.certify.session import merge_documents
from harness.cli.certify import finish, history_target
from harness.cli.options import core_option, history_options


@click.command()
@core_option
@click.argument("documents", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("reports/merged"), show_default=True)
@history_options
def merge(documents: tuple[Path, ...], out_dir: Path, history_path: Path | None,
          no_history: bool) -> None:
    """Merge certificate.json files of shards (same profile and seed) and record the verdicts.

    Shards that certify already recorded are recorded again as one run: the history judges per
    scenario by the latest verdict, so the same verdicts twice change nothing."""
    loaded = []
    for path in documents:
        try:
            loaded.append(orjson.loads(path.read_bytes()))
        except FileNotFoundError as exc:
            raise InputError(str(path), "no such file", "pass the shards' certificate.json") \
                from exc
        except orjson.JSONDecodeError as exc:
            raise InputError(str(path), f"not JSON: {exc}",
                             "pass the certificate.json a shard wrote") from exc
        if not isinstance(loaded[-1], dict):
            raise InputError(str(path), f"not a certificate: the top level is a "
                             f"{type(loaded[-1]).__name__}, not an object",
                             "pass the certificate.json a shard wrote")
    try:
        merged = merge_documents(loaded)
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(", ".join(map(str, documents)), str(exc),
                         "merge shards of one certification run") from exc
    finish(merged, out_dir, history_target(history_path, no_history), False)
