"""The one report pipeline: a ``render(document) -> bytes`` per format, and the one table of them.

Every command that reports a run writes its files here, from one document: ``drawbridge run``
(and the demo's runs) a run document (``drawbridge/results@1``, :func:`run_document`) when the
run finishes (:class:`ReportsReporter`); ``certify``, ``matrix``, ``merge`` and the demo's
certification a certificate (``drawbridge/certificate@1``) through :func:`write_reports`.
A new format is a renderer and one row of :data:`FORMATS` (docs/reports.md lists them; a test
ties that list to this table). The console is not a format: it prints while the run goes
(:mod:`harness.reporting.console`).

    >>> [f.name for f in FORMATS.values()]
    ['json', 'html', 'markdown', 'junit']
    >>> FORMATS["json"].file_name({"format": "drawbridge/certificate@1"})
    'certificate.json'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fake_core_bank.errors import InputError
from harness.engine.events import Event, RunFinished, RunStarted
from harness.paths import write_atomic
from harness.reporting.html import render_html
from harness.reporting.json_report import dumps, run_document
from harness.reporting.junit import render_junit
from harness.reporting.markdown import render_markdown
from harness.reporting.report_view import CERTIFICATE_FORMAT

Renderer = Callable[[dict[str, Any]], bytes]


@dataclass(frozen=True)
class ReportFormat:
    """A report format: its name, its renderer and the file it is written to."""

    name: str
    render: Renderer
    #: the file name in the output folder
    file: str
    #: what a reader finds in it (docs/reports.md)
    summary: str
    #: the file name when the document is a certificate, when it differs
    certificate_file: str | None = None

    def file_name(self, document: dict[str, Any]) -> str:
        if document.get("format") == CERTIFICATE_FORMAT and self.certificate_file:
            return self.certificate_file
        return self.file


def _text(render: Callable[[dict[str, Any]], str]) -> Renderer:
    return lambda document: render(document).encode("utf-8")


#: format name -> its renderer and file, in the order the files are written and listed
FORMATS: dict[str, ReportFormat] = {f.name: f for f in (
    ReportFormat("json", dumps, "results.json",
                 "the document itself: every result with its evidence (sorted keys)",
                 certificate_file="certificate.json"),
    ReportFormat("html", _text(render_html), "report.html",
                 "one self-contained page: the compatibility matrix and every failure explained"),
    ReportFormat("markdown", _text(render_markdown), "summary.md",
                 "the gate and the failures, fit for a GitHub job summary"),
    ReportFormat("junit", render_junit, "junit.xml",
                 "one testcase per scenario run, for CI test tabs"),
)}


def render(name: str, document: dict[str, Any]) -> bytes:
    """The bytes of ``document`` in format ``name``; same document, same bytes."""
    if name not in FORMATS:
        raise InputError.for_unknown_name("report format", "report format", name, FORMATS)
    return FORMATS[name].render(document)


def file_names(document: dict[str, Any], names: Iterable[str] = FORMATS) -> list[str]:
    """The files the formats ``names`` write for ``document``, in writing order."""
    return [FORMATS[name].file_name(document) for name in names]


def write_reports(document: dict[str, Any], out_dir: Path,
                  names: Iterable[str] = FORMATS) -> list[Path]:
    """Each format's file of ``document`` in ``out_dir``, each written atomically; their paths."""
    written = []
    for name in names:
        path = out_dir / FORMATS[name].file_name(document)
        write_atomic(path, render(name, document))
        written.append(path)
    return written


class ReportsReporter:
    """The engine-event consumer that writes a run's reports when it finishes: the run document
    (it remembers the seed from RunStarted; RunFinished does not carry it), in every format of
    ``names`` (default: all), to ``out_dir``."""

    def __init__(self, out_dir: Path, names: Iterable[str] = FORMATS) -> None:
        self.out_dir = out_dir
        self.names = tuple(names)
        for name in self.names:
            if name not in FORMATS:
                raise InputError.for_unknown_name("report format", "report format", name,
                                                  FORMATS)
        self.seed = 0
        self.written: list[Path] = []

    def handle(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self.seed = event.seed
        elif isinstance(event, RunFinished):
            document = run_document(event.results, seed=self.seed,
                                    interrupted=event.interrupted)
            self.written = write_reports(document, self.out_dir, self.names)
