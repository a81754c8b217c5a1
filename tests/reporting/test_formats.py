"""The one report pipeline (harness/reporting/formats.py): one render per format, one table."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from fake_core_bank.errors import InputError
from harness.engine.events import RunFinished, RunStarted
from harness.evidence import RunResult
from harness.reporting.formats import FORMATS, ReportsReporter, file_names, render, write_reports


def test_a_run_and_a_certificate_are_written_in_every_format(
        tmp_path: Path, legacy_run: dict[str, Any], certificate: dict[str, Any]) -> None:
    run_files = write_reports(legacy_run, tmp_path / "run")
    cert_files = write_reports(certificate, tmp_path / "cert")
    assert [p.name for p in run_files] == ["results.json", "report.html", "summary.md",
                                           "junit.xml"]
    assert [p.name for p in cert_files] == ["certificate.json", "report.html", "summary.md",
                                            "junit.xml"]
    for document, paths in ((legacy_run, run_files), (certificate, cert_files)):
        for name, path in zip(FORMATS, paths, strict=True):
            assert path.read_bytes() == render(name, document)
    assert file_names(certificate, ["junit"]) == ["junit.xml"]


def test_the_run_reporter_writes_what_write_reports_writes(
        tmp_path: Path, legacy_results: list[RunResult], legacy_run: dict[str, Any]) -> None:
    reporter = ReportsReporter(tmp_path / "events")
    reporter.handle(RunStarted(len(legacy_results), legacy_results[0].connector,
                               legacy_run["seed"], ("v2",)))
    reporter.handle(RunFinished(tuple(legacy_results), False))
    expected = write_reports(legacy_run, tmp_path / "direct")
    assert [p.name for p in reporter.written] == [p.name for p in expected]
    for written, direct in zip(reporter.written, expected, strict=True):
        assert written.read_bytes() == direct.read_bytes(), written.name


def test_junit_says_each_finding_as_the_console_does(
        legacy_results: list[RunResult], legacy_run: dict[str, Any]) -> None:
    """From the document alone, a failure's body is the findings as str(Finding) prints them
    (journal entries included) and the reproduce command: what the live run said before."""
    cases = ET.fromstring(render("junit", legacy_run)).findall("testcase")
    assert len(cases) == len(legacy_results)
    failed = [r for r in legacy_results if r.findings]
    assert failed, "the legacy connector fails some scenarios"
    for result in failed:
        case = next(c for c in cases if c.get("name") == f"{result.scenario_id}[{result.version}]")
        element = case.find("failure")
        assert element is not None
        body = "\n\n".join(str(f) for f in result.findings)
        reproduce = result.reproduce_command(result.connector.spec)
        assert element.text == f"{body}\n\nreproduce: {reproduce}"
        assert "journal entries: #" in (element.text or "")


def test_an_unknown_format_is_one_line_with_the_known_ones(legacy_run: dict[str, Any],
                                                           tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^report format: unknown report format 'jsn'; fix: "
                                         r"did you mean 'json'\? valid report formats: html, "
                                         r"json, junit, markdown$"):
        render("jsn", legacy_run)
    with pytest.raises(InputError, match="unknown report format 'pdf'"):
        ReportsReporter(tmp_path, ["html", "pdf"])
