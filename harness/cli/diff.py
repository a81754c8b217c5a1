"""``drawbridge diff OLD NEW`` and ``drawbridge diff --base REF [PATHS...]``.

What changed between two contract versions, and whom it breaks. Exit codes: 0 no change at
or above ``--fail-on``; 1 there is one; 2 bad input (one line), including, with
``--strict``, a problem found when validating either document.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fake_core_bank.errors import InputError
from harness.cli.options import emit_report
from harness.contracts import Change, Severity
from harness.contracts.document import compare_contracts
from harness.contracts.normalise import Contract, Structure, load_contract
from harness.contracts.refs import RefResolver
from harness.contracts.renderers import RENDERERS, render_many
from harness.contracts.renderers.summary import headline
from harness.contracts.validate import validate

_FAIL_ON = {"breaking": Severity.BREAKING, "potential": Severity.POTENTIAL, "none": None}


def _checked(contract: Contract, strict: bool) -> None:
    """Warn on stderr about each of the document's problems; with ``strict`` the first is
    bad input (one line; the others are listed by a run without --strict)."""
    problems = validate(contract)
    if strict and problems:
        first = problems[0]
        more = (f" (and {len(problems) - 1} more: run without --strict to list them)"
                if len(problems) > 1 else "")
        raise InputError(" ".join(p for p in (first.at, first.path) if p),
                         f"{first.message}{more}; --strict refuses invalid documents",
                         first.fix)
    for problem in problems:
        click.echo(f"drawbridge: warning: {problem}", err=True)


def _pair(old: Path, new: Path, strict: bool, old_resolver: RefResolver | None = None,
          new_resolver: RefResolver | None = None) -> tuple[Contract, Contract, list[Change]]:
    structure: Structure = "keep" if strict else "when-unreadable"
    old_contract = load_contract(old, old_resolver, structure=structure)
    new_contract = load_contract(new, new_resolver, structure=structure)
    _checked(old_contract, strict)
    _checked(new_contract, strict)
    return old_contract, new_contract, compare_contracts(old_contract, new_contract)


def _against_base(ref: str, paths: tuple[Path, ...], fmt: str, expand: bool,
                  strict: bool) -> tuple[str, list[Change], str]:
    """Every document under ``paths`` against its version at ``ref``: report, changes, line."""
    from harness.contracts.gitbase import display, pairs_at  # only --base needs git

    documents: list[tuple[list[Change], str, str]] = []
    with pairs_at(ref, paths) as pairs:
        for pair in pairs:
            if pair.old is None:
                click.echo(f"drawbridge: {pair.name} is new since {ref}: nothing to compare",
                           err=True)
                continue
            try:
                _, _, changes = _pair(pair.old, pair.new, strict,
                                      RefResolver(display(pair.old_root, f"{ref}:")),
                                      RefResolver(display(pair.new_root)))
            except InputError as exc:  # name the file at REF, not its temporary copy
                raise InputError(exc.where.replace(f"{pair.old_root}/", f"{ref}:"),
                                 exc.problem, exc.fix) from None
            documents.append((changes, f"{ref}:{pair.name}", pair.name))
    every = [c for changes, _, _ in documents for c in changes]
    summary = f"{len(documents)} document(s) against {ref}: {headline(every)}"
    if not documents and fmt == "text":
        return summary + "\n", every, summary  # say so rather than print nothing
    return render_many(fmt, documents, expand, ref), every, summary


@click.command("diff")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--base", "base", metavar="REF",
              help="Compare each OpenAPI document under PATHS (default: the current folder) "
                   "with its version at this git ref, as CI does on a pull request.")
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text",
              show_default=True, help="Report format (github: workflow annotations).")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE (a one-line summary still goes to stdout).")
@click.option("--fail-on", type=click.Choice(list(_FAIL_ON)), default="breaking",
              show_default=True, help="Exit 1 when a change this severe or worse exists.")
@click.option("--expand", is_flag=True,
              help="List every place a finding reaches (default: the first and a count).")
@click.option("--strict", is_flag=True,
              help="A problem found when validating a document is bad input (exit 2), "
                   "not a warning.")
@click.option("--emit-scenarios", "emit_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Write into DIR one scenario per operation that client-breaking "
                   "changes reach.")
def diff(paths: tuple[Path, ...], base: str | None, fmt: str, output: Path | None,
         fail_on: str, expand: bool, strict: bool, emit_dir: Path | None) -> None:
    """Compare two OpenAPI 3.0/3.1 or Swagger 2.0 documents (YAML or JSON) by meaning.

    drawbridge diff OLD NEW compares two files; drawbridge diff --base REF [PATHS...]
    compares each spec with its version at a git ref. Each finding carries a rule id, where
    it is written in both documents (file:line:column), whom it breaks (clients, providers,
    both, nobody), how surely (breaking, potentially-breaking, safe) and why; one edit
    reached from many places is one finding with its places. Both documents are validated
    first. With --emit-scenarios, the changes that break clients also become scenario files,
    one per operation they reach. See docs/contract-diff.md.
    """
    if base is not None:
        if emit_dir is not None:
            raise InputError("--emit-scenarios", "needs two named versions, not --base",
                             "run drawbridge diff OLD NEW --emit-scenarios DIR")
        report, changes, summary = _against_base(base, paths, fmt, expand, strict)
        emit_report(report, output, summary)
        _exit(changes, fail_on)
        return
    if len(paths) != 2:
        raise InputError("drawbridge diff", f"expected OLD and NEW, got {len(paths)} path(s)",
                         "drawbridge diff OLD NEW, or drawbridge diff --base REF [PATHS...]")
    old, new = paths
    old_contract, new_contract, changes = _pair(old, new, strict)
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
    _exit(changes, fail_on)


def _exit(changes: list[Change], fail_on: str) -> None:
    threshold = _FAIL_ON[fail_on]
    if threshold is not None and any(c.severity <= threshold for c in changes):
        sys.exit(1)
