"""Entry point of the ``drawbridge`` command.

Commands live one per module and are imported only when invoked, so ``drawbridge --help`` and
``drawbridge serve`` start fast. Register a command by adding it to ``COMMANDS``.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from fake_core_bank import __version__
from fake_core_bank.errors import InputError

#: command name -> "module:attribute" of a click.Command
COMMANDS: dict[str, str] = {
    "diff": "harness.cli.diff:diff",
    "serve": "harness.cli.serve:serve",
    "verify-provider": "harness.cli.verify_provider:verify_provider",
    "run": "harness.cli.run:run",
    "certify": "harness.cli.certify:certify",
    "matrix": "harness.cli.matrix:matrix",
    "mutate": "harness.cli.mutate:mutate",
    "can-release": "harness.cli.can_release:can_release",
    "merge": "harness.cli.merge:merge",
    "validate": "harness.cli.validate:validate",
    "replay": "harness.cli.replay:replay",
    "record": "harness.cli.record:record",
    "scenario": "harness.cli.scenario_cmd:scenario",
    "shrink": "harness.cli.shrink:shrink",
    "explore": "harness.cli.explore:explore",
    "init": "harness.cli.init:init",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attr)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            err = InputError.for_unknown_name("", "command", name, COMMANDS)
            raise click.UsageError(err.one_line(), ctx)
        return super().resolve_command(ctx, args)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="drawbridge")
def cli() -> None:
    """Drawbridge: integration compatibility tests for enterprise-banking connectors."""


def main(argv: list[str] | None = None) -> Any:
    """Run the CLI; input errors become one line on stderr and exit code 2, never a traceback."""
    try:
        return cli.main(args=argv, prog_name="drawbridge", standalone_mode=False)
    except click.exceptions.Abort as exc:  # click's word for KeyboardInterrupt
        click.echo("interrupted", err=True)
        sys.exit(getattr(exc.__cause__, "exit_code", 130))  # 143 for SIGTERM (cli/signals.py)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"drawbridge: {exc.format_message()}", err=True)
        sys.exit(2)
    except InputError as exc:
        click.echo(f"drawbridge: {exc.one_line()}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except OSError as exc:
        if exc.filename is None:
            raise
        # A path the user chose cannot be read or written: name it, never a traceback.
        click.echo(f"drawbridge: {exc.filename}: {exc.strerror}; fix: check the path and its "
                   "permissions", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
