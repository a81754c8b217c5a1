"""GitHub workflow commands: one annotation per finding, shown on the line it is about.

``::error file=F,line=L,col=C,title=RULE::MESSAGE`` for breaking findings, ``::warning`` for
potentially-breaking ones and ``::notice`` for safe ones. The annotation sits where the
finding is written in the new document (the one the pull request changes); a finding that
exists only in the old document (a removed path) points at the old one.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.contracts.grouping import group, place_lines, split_at
from harness.contracts.model import Change, Severity

_COMMAND = {Severity.BREAKING: "error", Severity.POTENTIAL: "warning", Severity.SAFE: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(changes: Sequence[Change], old: str, new: str, expand: bool = False) -> str:
    """One workflow command per finding (nothing when there are no changes)."""
    lines = []
    for finding in group(changes):
        change = finding.first
        props = []
        at = split_at(change.new_at) or split_at(change.old_at)
        if at is not None:
            props += [f"file={_property(at[0])}", f"line={at[1]}", f"col={at[2]}"]
        props.append(f"title={_property(f'{change.rule} [breaks {change.audience.value}]')}")
        places = place_lines(finding, expand)
        message = "\n".join([f"{change.message}: {change.why}" if change.why else
                             change.message, *places])
        lines.append(f"::{_COMMAND[change.severity]} {','.join(props)}::{_data(message)}")
    return "".join(line + "\n" for line in lines)
