"""JUnit XML: one testcase per scenario run, each finding in its failure message."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol
from xml.etree import ElementTree as ET

from harness.engine.events import Event, RunFinished
from harness.reporting.finding_text import headline
from harness.reporting.json_report import write_atomic


class JUnitFinding(Protocol):
    """What a testcase's failure reads of a finding: its message, expected and observed (the
    failure's message attribute says all three) and its full text."""

    @property
    def message(self) -> str: ...
    @property
    def expected(self) -> str | None: ...
    @property
    def observed(self) -> str | None: ...


class JUnitResult(Protocol):
    """What junit_xml reads of a result: a live RunResult or a certificate's result dict
    seen through attributes (harness.certify.session), so both render the same XML."""

    @property
    def verdict(self) -> str: ...
    @property
    def cause(self) -> str: ...
    @property
    def scenario_id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def error(self) -> str | None: ...
    @property
    def findings(self) -> Sequence[JUnitFinding]: ...
    def reproduce_command(self, connector_spec: str, /) -> str: ...


def junit_xml(results: Sequence[JUnitResult], connector_spec: str = "") -> bytes:
    """One ``<testsuite>`` with a ``<testcase>`` per result, as UTF-8 bytes."""
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
        first = _headline(result.findings[0]) if result.findings else (result.error or "")
        element = ET.SubElement(case, tag, message=first, type=tag)
        body = "\n\n".join(str(f) for f in result.findings)
        element.text = f"{body}\n\nreproduce: {result.reproduce_command(connector_spec)}"
    ET.indent(suite)
    # typeshed types tostring() as Any for an encoding other than "unicode"; it is bytes.
    xml: bytes = ET.tostring(suite, encoding="utf-8", xml_declaration=True)
    return xml + b"\n"


def _headline(finding: JUnitFinding) -> str:
    return headline({"message": finding.message, "expected": finding.expected,
                     "observed": finding.observed})


class JUnitReporter:
    def __init__(self, path: Path, connector_spec: str = "") -> None:
        self.path = path
        self.connector_spec = connector_spec

    def handle(self, event: Event) -> None:
        if isinstance(event, RunFinished):
            write_atomic(self.path, junit_xml(event.results, self.connector_spec))
