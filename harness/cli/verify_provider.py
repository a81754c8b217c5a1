"""``drawbridge verify-provider``: check that a server honours a contract version.

Exit codes: 0 no drift; 1 drift (or a part of the contract could not be tested); 2 bad input
(unknown contract, unreachable URL), reported on one line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import click
from rich.console import Console

from fake_core_bank.errors import InputError
from harness.cli.options import core_option, emit_report, progress_option
from harness.contracts.verify import verify_provider as run_verification
from harness.contracts.verify_report import RENDERERS, headline
from harness.reporting.progress import ItemProgress


@click.command("verify-provider")
@core_option
@click.option("--base-url", required=True,
              help="The provider's root URL; the contract's server path (/v2) is appended.")
@click.option("--contract", required=True, help="v1, v2, v3 or the path of an OpenAPI document.")
@click.option("--max-examples", type=int, default=20, show_default=True,
              help="Generated examples per operation and phase.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Seed of the generator: same seed, same requests.")
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text",
              show_default=True, help="Report format.")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE (a one-line summary still goes to stdout).")
@progress_option
def verify_provider(base_url: str, contract: str, max_examples: int, seed: int, fmt: str,
                    output: Path | None, no_progress: bool) -> None:
    """Property-based and stateful checks of a provider (e.g. a bank's sandbox) against a
    contract: status codes, content types, response bodies and headers. See
    docs/verify-provider.md.
    """
    try:
        urlsplit(base_url)
    except ValueError as exc:  # e.g. an unclosed IPv6 bracket
        raise InputError("--base-url", f"{base_url!r} is not a URL: {exc}",
                         "pass the provider's root, e.g. http://127.0.0.1:8000") from None
    # progress on stderr: stdout is the report itself when no --output is given
    with ItemProgress(Console(stderr=True), total=None, description="verifying",
                      enabled=not no_progress) as progress:
        result = run_verification(base_url, contract, max_examples=max_examples, seed=seed,
                                  on_scenario=progress.advance)
    emit_report(RENDERERS[fmt](result), output, headline(result))
    if not result.ok:
        sys.exit(1)
