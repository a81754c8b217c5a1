"""``drawbridge record``: a recording reverse proxy in front of a bank (sandbox or fake)."""

from __future__ import annotations

from pathlib import Path

import click

from fake_core_bank.errors import InputError
from harness.cli.header_options import header_options
from harness.cli.options import core_option
from harness.recording.proxy import RecordingServer
from harness.recording.redact import RedactionRules, Redactor


@click.command()
@core_option
@header_options
@click.option("--upstream", required=True, metavar="URL",
              help="The bank to forward to, e.g. https://sandbox.bank.example.")
@click.option("--out", "out_path", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Recording to write (JSON lines, one exchange per line, flushed).")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: a free one, printed at start).")
@click.option("--redact-rule", "redact_rules", multiple=True, metavar="RULE",
              help="More redaction: header:NAME, field:REGEX, pattern:REGEX or rules.yaml "
                   "(repeatable).")
@click.option("--no-redact", is_flag=True,
              help="Record verbatim (credentials included): only for data you may keep.")
def record(upstream: str, out_path: Path, port: int, redact_rules: tuple[str, ...],
           no_redact: bool) -> None:
    """Forward every request to UPSTREAM and record the exchanges until Ctrl-C."""
    if not upstream.startswith(("http://", "https://")):
        raise click.BadParameter(f"{upstream!r} is not an http(s) URL; write e.g. "
                                 "http://127.0.0.1:8080", param_hint="--upstream")
    rules = RedactionRules()
    for spec in redact_rules:
        rules = rules.with_rule(spec)
    try:
        server = RecordingServer(upstream, out_path, port=port, redactor=Redactor(rules),
                                 redact=not no_redact)
    except OSError as exc:
        if exc.filename is not None:
            raise  # --out cannot be written: main names the file
        raise InputError("--port", f"cannot listen on 127.0.0.1:{port}: {exc.strerror}",
                         "pick another port, or --port 0 for a free one") from exc
    server.stop_on_signals()  # before the address is printed: a caller may signal at once
    click.echo(f"recording: point the connector at {server.base_url} (forwards to {upstream});"
               f" writing {out_path}; Ctrl-C to stop", err=True)
    server.serve_forever()
    click.echo(f"recording stopped: {out_path}", err=True)
