"""JUnit XML: one testcase per change; breaking changes are failures, CI shows them red."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from harness.contracts.model import Change, Severity


def render_junit(changes: Sequence[Change], old: str, new: str) -> str:
    """A ``<testsuite>`` named after the two documents."""
    ordered = sorted(changes)
    failures = sum(1 for c in ordered if c.severity is Severity.BREAKING)
    suite = ET.Element("testsuite", {
        "name": f"contract diff {old} -> {new}",
        "tests": str(len(ordered)),
        "failures": str(failures),
        "errors": "0",
        "skipped": "0",
    })
    for change in ordered:
        case = ET.SubElement(suite, "testcase", {
            "classname": change.operation or "document",
            "name": f"{change.rule} {change.location}",
        })
        text = f"{change.message} (breaks {change.audience.value}, {change.severity.label})"
        if change.severity is Severity.BREAKING:
            ET.SubElement(case, "failure", {"type": change.rule, "message": change.message}
                          ).text = text
        else:
            ET.SubElement(case, "system-out").text = text
    ET.indent(suite)
    body = ET.tostring(suite, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
