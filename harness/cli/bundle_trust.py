"""Which connector a bundle command runs: a bundle is data, but its connector spec executes.

Issue 15 item 9: ``replay`` and ``shrink`` ran the ``command:`` stored in a bundle with no
warning, so a bundle from a ticket or a colleague could run anything. A stored spec that starts
a process (``command:``, ``container:``) is shown and run only with ``--trust-bundle``;
``--connector SPEC`` names the connector instead. Other stored specs (``python:`` a module
already on this machine, ``http://`` a URL) are shown and run as before.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from fake_core_bank.errors import InputError

F = TypeVar("F", bound=Callable[..., Any])
#: Spec kinds that start a process of the bundle's choosing.
EXECUTABLE = ("command", "container")


def trust_option(fn: F) -> F:
    return click.option(
        "--trust-bundle", is_flag=True,
        help="Run the command:/container: connector the bundle names (shown first); without "
             "it, such a bundle needs --connector.")(fn)


def connector_to_run(bundle: dict[str, Any], bundle_path: Path, connector_spec: str | None,
                     trust: bool) -> str:
    """The connector spec to run; refuses an executable stored spec unless trusted."""
    if connector_spec:
        return connector_spec
    connector = bundle.get("connector")
    spec = str(connector.get("spec") or "") if isinstance(connector, dict) else ""
    if not spec or "[redacted]" in spec:
        raise click.UsageError(f"{bundle_path}: the bundle's connector spec is "
                               f"{spec or 'missing'!r}; pass --connector SPEC")
    shown = spec if len(spec) <= 300 else spec[:300] + "..."
    click.echo(f"the bundle names the connector {shown!r}", err=True)
    if spec.partition(":")[0] in EXECUTABLE and not trust:
        raise InputError(
            f"{bundle_path}", f"the bundle would run {shown!r} on this machine",
            "read the command, then pass --trust-bundle to run it, or --connector SPEC to "
            "run a connector you chose")
    return spec
