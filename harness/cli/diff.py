"""``drawbridge diff OLD NEW``: what changed between two contract versions, and whom it breaks.

Exit codes: 0 no change at or above ``--fail-on``; 1 there is one; 2 bad input (one line).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from harness.cli.options import emit_report
from harness.contracts import Severity, load_contract
from harness.contracts.document import compare_contracts
from harness.contracts.renderers import RENDERERS
from harness.contracts.renderers.summary import headline

_FAIL_ON = {"breaking": Severity.BREAKING, "potential": Severity.POTENTIAL, "none": None}


@click.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text",
              show_default=True, help="Report format.")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE (a one-line summary still goes to stdout).")
@click.option("--fail-on", type=click.Choice(list(_FAIL_ON)), default="breaking",
              show_default=True, help="Exit 1 when a change this severe or worse exists.")
@click.option("--expand", is_flag=True,
              help="List every place a finding reaches (default: the first and a count).")
@click.option("--emit-scenarios", "emit_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Write into DIR one scenario per operation that client-breaking "
                   "changes reach.")
def diff(old: Path, new: Path, fmt: str, output: Path | None, fail_on: str, expand: bool,
         emit_dir: Path | None) -> None:
    """Compare two OpenAPI 3.0/3.1 or Swagger 2.0 documents (YAML or JSON) by meaning.

    Each change carries a rule id, its location, whom it breaks (clients, providers, both,
    nobody) and how surely (breaking, potentially-breaking, safe). With --emit-scenarios, the
    changes that break clients also become scenario files, one per operation they reach.
    See docs/contract-diff.md.
    """
    old_contract, new_contract = load_contract(old), load_contract(new)
    changes = compare_contracts(old_contract, new_contract)
    if emit_dir is not None:
        # imported here: scenario writing pulls in the scenario loader, only this option needs it
        from harness.contracts.emit import emit_scenarios

        written, skipped = emit_scenarios(changes, old_contract, new_contract, emit_dir)
        # stderr: stdout carries the report, which may be JSON or JUnit
        click.echo(f"emitted {len(written)} scenario(s) to {emit_dir}; skipped "
                   f"{len(skipped)} client-breaking change(s) no scenario operation reaches",
                   err=True)
        for item in skipped:
            click.echo(f"  skipped {item}", err=True)
    emit_report(RENDERERS[fmt](changes, str(old), str(new), expand), output,
                f"{old} -> {new}: {headline(changes)}")
    threshold = _FAIL_ON[fail_on]
    if threshold is not None and any(c.severity <= threshold for c in changes):
        sys.exit(1)
