"""JUnit XML: one testcase per finding; breaking ones are failures, CI shows them red."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from harness.contracts.grouping import group, place_lines
from harness.contracts.model import Change, Severity


def render_junit(changes: Sequence[Change], old: str, new: str, expand: bool = False) -> str:
    """A ``<testsuite>`` named after the two documents."""
    return document(suite(changes, old, new, expand))


def document(root: ET.Element) -> str:
    """The XML text of ``root``, indented, with its declaration."""
    ET.indent(root)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{ET.tostring(root, encoding="unicode")}\n'


def suite(changes: Sequence[Change], old: str, new: str, expand: bool) -> ET.Element:
    """One ``<testsuite>``: a testcase per finding."""
    findings = group(changes)
    failures = sum(1 for f in findings if f.first.severity is Severity.BREAKING)
    testsuite = ET.Element("testsuite", {
        "name": f"contract diff {old} -> {new}",
        "tests": str(len(findings)),
        "failures": str(failures),
        "errors": "0",
        "skipped": "0",
    })
    for finding in findings:
        change = finding.first
        case = ET.SubElement(testsuite, "testcase", {
            "classname": change.operation or "document",
            "name": f"{change.rule} {change.location}",
        })
        text = "\n".join([
            f"{change.message} (breaks {change.audience.value}, {change.severity.label})",
            *([f"why: {change.why}"] if change.why else []),
            *([f"old: {change.old_at}"] if change.old_at else []),
            *([f"new: {change.new_at}"] if change.new_at else []),
            *(f"at: {place}" for place in place_lines(finding, expand)),
        ])
        if change.severity is Severity.BREAKING:
            ET.SubElement(case, "failure", {"type": change.rule, "message": change.message}
                          ).text = text
        else:
            ET.SubElement(case, "system-out").text = text
    return testsuite
