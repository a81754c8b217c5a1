"""JUnit XML: one testcase per scenario run, each finding in its failure message.

Rendered from a run or certification document (``render_junit``), like every other report
format (:mod:`harness.reporting.formats`): a ``<failure>`` says its first finding in one line
(expected and observed) and, in its body, every finding as the console says it and the command
that reproduces the run.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from harness.evidence import Finding
from harness.reporting.finding_text import headline


def render_junit(document: dict[str, Any]) -> bytes:
    """One ``<testsuite>`` with a ``<testcase>`` per result of ``document``, as UTF-8 bytes."""
    results = document["results"]
    suite = ET.Element("testsuite", name="drawbridge", tests=str(len(results)),
                       failures=str(sum(r["verdict"] == "fail" for r in results)),
                       errors=str(sum(r["verdict"] == "error" for r in results)))
    for result in results:
        scenario, version = result["scenario"], result["version"]
        case = ET.SubElement(suite, "testcase", classname=f"{result['cause']}.{scenario}",
                             name=f"{scenario}[{version}]", file=result["source"])
        if result["verdict"] == "pass":
            continue
        tag = "failure" if result["verdict"] == "fail" else "error"
        findings = result["findings"]
        first = headline(findings[0]) if findings else (result["error"] or "")
        element = ET.SubElement(case, tag, message=first, type=tag)
        # str(Finding): the text the console prints, journal entries included
        body = "\n\n".join(str(Finding(**f)) for f in findings)
        element.text = f"{body}\n\nreproduce: {result['reproduce']}"
    ET.indent(suite)
    # typeshed types tostring() as Any for an encoding other than "unicode"; it is bytes.
    xml: bytes = ET.tostring(suite, encoding="utf-8", xml_declaration=True)
    return xml + b"\n"
