"""``--keep-header`` / ``--redact-header``: adjust which header values artefacts keep.

Every header value is masked in results, bundles, certificates, recordings and journals unless
the header is on the harmless list (:data:`fake_core_bank.domain.secrets.HARMLESS_HEADERS`).
These options move names on or off that list for one command; a name given to both is masked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import click

from fake_core_bank.domain.secrets import HeaderPolicy
from harness.redaction import set_header_policy

F = TypeVar("F", bound=Callable[..., Any])
_TOKEN = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")  # RFC 9110 field-name


def _adjust(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    for name in value:
        if not _TOKEN.match(name):
            raise click.BadParameter(f"{name!r} is not a header name; write e.g. x-trace-id",
                                     ctx, param)
    chosen = ctx.meta.setdefault("drawbridge.headers", {})
    chosen[param.name] = value
    policy = HeaderPolicy().adjusted(keep=chosen.get("keep_headers", ()),
                                     redact=chosen.get("redact_headers", ()))
    ctx.meta["drawbridge.header_policy"] = policy
    set_header_policy(policy)
    return value


def header_options(fn: F) -> F:
    """Add ``--keep-header`` and ``--redact-header`` (both repeatable, expose_value=False)."""
    fn = click.option("--redact-header", "redact_headers", multiple=True, metavar="NAME",
                      callback=_adjust, expose_value=False,
                      help="Mask this header's value in every artefact even if it is on the "
                           "harmless list (repeatable).")(fn)
    fn = click.option("--keep-header", "keep_headers", multiple=True, metavar="NAME",
                      callback=_adjust, expose_value=False,
                      help="Keep this header's value in artefacts (all headers but a short "
                           "harmless list are masked; repeatable).")(fn)
    return fn


def chosen_policy() -> HeaderPolicy:
    """The policy the current command's options chose (the default outside a command)."""
    ctx = click.get_current_context(silent=True)
    found = ctx.meta.get("drawbridge.header_policy") if ctx is not None else None
    return found if isinstance(found, HeaderPolicy) else HeaderPolicy()
