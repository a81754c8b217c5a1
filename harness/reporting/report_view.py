"""One view of a run or certification document, shared by the HTML and Markdown renderers.

Both renderers accept either document Drawbridge writes:

- a certification document (``drawbridge/certificate@1``: profile, matrix with levels and
  waivers, gate, digest), or
- a plain run document (``drawbridge/results@1`` from ``json_report.run_document``): no profile
  and no matrix, so the matrix is derived from its results with level ``info``, there is no gate,
  and the digest shown is the sha256 of the document as ``results.json`` holds it.

The view puts everything in a fixed order (levels, then the document's own order; versions by
number), so the same document always renders to the same bytes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from fake_core_bank.errors import InputError
from harness.reporting.json_report import dumps

CERTIFICATE_FORMAT = "drawbridge/certificate@1"
RESULTS_FORMAT = "drawbridge/results@1"
LEVELS = ("must", "should", "info")
VERDICTS = ("pass", "fail", "error", "waived")
#: Cells a reader can open: why it failed, errored or was waived.
EXPLAINED = frozenset({"fail", "error", "waived"})


@dataclass(frozen=True)
class Column:
    """One matrix column: a connector at one core contract version."""

    connector: str
    version: str


@dataclass
class Cell:
    """One (scenario, version, connector) verdict and the run result behind it."""

    scenario: str
    version: str
    connector: str
    verdict: str  # pass | fail | error | waived | none (not run)
    level: str
    waiver: dict[str, Any] | None = None
    result: dict[str, Any] | None = None
    anchor: str = ""  # HTML id of the explanation, unique in the page

    @property
    def key(self) -> str:
        return f"{self.scenario}@{self.version}@{self.connector}"

    @property
    def explained(self) -> bool:
        return self.verdict in EXPLAINED

    @property
    def versions_note(self) -> str:
        """The contract versions the connector declared and used in this run ("" unknown)."""
        result = self.result or {}
        declared, used = result.get("versionsDeclared"), result.get("versionsUsed")
        if declared is None and used is None:
            return ""
        return (f"declares {', '.join(declared or []) or 'nothing'}; "
                f"used {', '.join(used or []) or 'none'}")


@dataclass
class Row:
    scenario: str
    title: str
    cause: str
    level: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def has_problem(self) -> bool:
        return any(c.verdict in ("fail", "error") for c in self.cells)


@dataclass
class ConnectorCounts:
    """Pass counts for one connector at one version, per level (for the Markdown tables)."""

    connector: str
    version: str
    passed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    waived: int = 0


@dataclass
class ReportView:
    kind: str  # "certificate" | "run"
    harness: dict[str, Any]
    profile: dict[str, Any] | None
    seed: Any
    connectors: list[dict[str, Any]]
    versions: list[str]
    columns: list[Column]
    rows: list[Row]
    gate: dict[str, Any] | None
    digest: str
    digest_label: str
    inputs: dict[str, dict[str, str]]
    interrupted: bool
    counts: dict[str, int]

    @property
    def passed(self) -> bool:
        """The gate's verdict; without a gate (a plain run), whether nothing failed."""
        if self.gate is not None:
            return bool(self.gate.get("passed"))
        return self.counts["fail"] == 0 and self.counts["error"] == 0 and not self.interrupted

    @property
    def explanations(self) -> list[Cell]:
        return [c for row in self.rows for c in row.cells if c.explained]

    def connector_counts(self) -> list[ConnectorCounts]:
        table = {(col.connector, col.version): ConnectorCounts(col.connector, col.version)
                 for col in self.columns}
        for row in self.rows:
            for cell in row.cells:
                if cell.verdict == "none":
                    continue
                entry = table[(cell.connector, cell.version)]
                entry.total[cell.level] += 1
                entry.passed[cell.level] += cell.verdict == "pass"
                entry.waived += cell.verdict == "waived"
        return [table[(col.connector, col.version)] for col in self.columns]


def build_view(document: dict[str, Any]) -> ReportView:
    """The view of a certification or run document; bad documents raise ``InputError``."""
    if not isinstance(document, dict):
        raise InputError("report document", f"expected a JSON object, found "
                         f"{type(document).__name__}", "pass a results.json or certificate")
    fmt = document.get("format")
    if fmt == CERTIFICATE_FORMAT:
        return _certificate_view(document)
    if fmt == RESULTS_FORMAT:
        return _run_view(document)
    raise InputError("report document: format", f"unknown format {fmt!r}",
                     f"expected {CERTIFICATE_FORMAT!r} or {RESULTS_FORMAT!r}")


def connector_label(result: dict[str, Any]) -> str:
    """The ``name@version`` of the connector behind a result (certificates carry it)."""
    label = result.get("connectorLabel")
    if isinstance(label, str):
        return label
    identity = _field(result, "connector", dict, "results[]")
    return f"{identity.get('name', '?')}@{identity.get('version', 'unknown')}"


def version_order(version: str) -> tuple[int, str]:
    digits = version.lstrip("v")
    return (int(digits), version) if digits.isdigit() else (1 << 30, version)


def _certificate_view(doc: dict[str, Any]) -> ReportView:
    matrix = _field(doc, "matrix", list, "certificate")
    results = {(r.get("scenario"), r.get("version"), connector_label(r)): r
               for r in _field(doc, "results", list, "certificate")}
    connectors = _field(doc, "connectors", list, "certificate")
    labels = [f"{c.get('name', '?')}@{c.get('version', 'unknown')}" for c in connectors]
    labels += [m["connector"] for m in matrix if m.get("connector") not in labels]
    versions = list(doc.get("versions") or sorted({m["version"] for m in matrix},
                                                  key=version_order))
    cells = [Cell(scenario=str(m["scenario"]), version=str(m["version"]),
                  connector=str(m["connector"]), verdict=str(m["verdict"]),
                  level=str(m.get("level") or "info"), waiver=m.get("waiver"),
                  result=results.get((m["scenario"], m["version"], m["connector"])))
             for m in matrix]
    titles = {str(m["scenario"]): (str(m.get("title", "")), str(m.get("cause", "")))
              for m in matrix}
    gate = doc.get("gate")
    return _assemble(
        kind="certificate", doc=doc, cells=cells, titles=titles, labels=_unique(labels),
        versions=versions, connectors=connectors, gate=gate if isinstance(gate, dict) else None,
        digest=str(doc.get("digest") or ""), digest_label="certificate digest")


def _run_view(doc: dict[str, Any]) -> ReportView:
    results = _field(doc, "results", list, "results document")
    cells = [Cell(scenario=str(r["scenario"]), version=str(r["version"]),
                  connector=connector_label(r), verdict=str(r["verdict"]), level="info",
                  result=r) for r in results]
    titles = {str(r["scenario"]): (str(r.get("title", "")), str(r.get("cause", "")))
              for r in results}
    connectors = list(doc.get("connectors") or [])
    labels = [f"{c.get('name', '?')}@{c.get('version', 'unknown')}" for c in connectors]
    labels += [c.connector for c in cells]
    # The digest a reader can check with `sha256sum results.json`.
    digest = "sha256:" + hashlib.sha256(dumps(doc)).hexdigest()
    return _assemble(
        kind="run", doc=doc, cells=cells, titles=titles, labels=_unique(labels),
        versions=sorted({c.version for c in cells}, key=version_order),
        connectors=connectors, gate=None, digest=digest, digest_label="sha256 of results.json")


def _assemble(*, kind: str, doc: dict[str, Any], cells: list[Cell],
              titles: dict[str, tuple[str, str]], labels: list[str], versions: list[str],
              connectors: list[dict[str, Any]], gate: dict[str, Any] | None, digest: str,
              digest_label: str) -> ReportView:
    columns = [Column(label, version) for label in labels for version in versions]
    by_key = {}
    for cell in cells:
        if cell.verdict not in VERDICTS:
            raise InputError(f"report document: {cell.key} verdict",
                             f"unknown verdict {cell.verdict!r}",
                             f"use one of {', '.join(VERDICTS)}")
        by_key[(cell.scenario, cell.version, cell.connector)] = cell
    # A scenario's level is its strongest level in any cell (profiles are per version).
    levels: dict[str, str] = {}
    for cell in cells:
        current = levels.get(cell.scenario, "info")
        levels[cell.scenario] = min(current, cell.level, key=_level_rank)
    order = list(dict.fromkeys(c.scenario for c in cells))
    order.sort(key=lambda s: _level_rank(levels[s]))
    rows = []
    anchors: set[str] = set()
    for scenario in order:
        title, cause = titles[scenario]
        row = Row(scenario, title, cause, levels[scenario])
        for col in columns:
            cell = by_key.get((scenario, col.version, col.connector)) or \
                Cell(scenario, col.version, col.connector, "none", levels[scenario])
            cell.anchor = _anchor(cell.key, anchors)
            row.cells.append(cell)
        rows.append(row)
    counts = dict.fromkeys(VERDICTS, 0)
    for cell in cells:
        counts[cell.verdict] += 1
    inputs = doc.get("inputs") if isinstance(doc.get("inputs"), dict) else {}
    profile = doc.get("profile")
    return ReportView(
        kind=kind, harness=dict(doc.get("harness") or {}),
        profile=profile if isinstance(profile, dict) else None, seed=doc.get("seed"),
        connectors=connectors, versions=versions, columns=columns, rows=rows, gate=gate,
        digest=digest, digest_label=digest_label,
        inputs={k: dict(sorted(v.items())) for k, v in sorted((inputs or {}).items())
                if isinstance(v, dict)},
        interrupted=bool(doc.get("interrupted")), counts=counts)


def _level_rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def _anchor(key: str, taken: set[str]) -> str:
    base = "x-" + re.sub(r"[^A-Za-z0-9_-]+", "_", key)
    anchor, n = base, 1
    while anchor in taken:  # two keys that differ only in punctuation
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _field(data: dict[str, Any], name: str, kind: type, where: str) -> Any:
    value = data.get(name)
    if not isinstance(value, kind):
        raise InputError(f"{where}: {name}", f"expected a {kind.__name__}, found "
                         f"{type(value).__name__}", "pass a document written by drawbridge")
    return value
