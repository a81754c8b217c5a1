"""JUnit XML: one testcase per scenario run, each finding in its failure message."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from harness.engine.events import Event, RunFinished
from harness.reporting.json_report import write_atomic


def junit_xml(results: tuple, connector_spec: str = "") -> bytes:  # type: ignore[type-arg]
    suite = ET.Element("testsuite", name="drawbridge", tests=str(len(results)),
                       failures=str(sum(r.verdict == "fail" for r in results)),
                       errors=str(sum(r.verdict == "error" for r in results)))
    for result in results:
        case = ET.SubElement(suite, "testcase", classname=f"{result.cause}.{result.scenario_id}",
                             name=f"{result.scenario_id}[{result.version}]",
                             file=result.source)
        if result.verdict == "pass":
            continue
        tag = "failure" if result.verdict == "fail" else "error"
        first = result.findings[0].message if result.findings else (result.error or "")
        element = ET.SubElement(case, tag, message=first, type=tag)
        body = "\n\n".join(str(f) for f in result.findings)
        element.text = f"{body}\n\nreproduce: {result.reproduce_command(connector_spec)}"
    ET.indent(suite)
    return ET.tostring(suite, encoding="utf-8", xml_declaration=True) + b"\n"


class JUnitReporter:
    def __init__(self, path: Path, connector_spec: str = "") -> None:
        self.path = path
        self.connector_spec = connector_spec

    def handle(self, event: Event) -> None:
        if isinstance(event, RunFinished):
            write_atomic(self.path, junit_xml(event.results, self.connector_spec))
