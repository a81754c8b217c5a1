"""The HTML report: one self-contained page (inline CSS, JS and SVG; nothing fetched).

It shows the compatibility matrix (scenario x connector x contract version) and, for every cell
that failed, errored or was waived, an explanation: findings, the reproduce command, connector
notes, a sequence diagram of the exchanges on the virtual timeline and the journal excerpt.
How to read it: docs/reports.md.

    >>> page = render_html(run_document(results, seed=0))
    >>> page.startswith("<!DOCTYPE html>")
    True
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import orjson
from jinja2 import Environment, PackageLoader

from harness.reporting.mutation_view import mutation_view
from harness.reporting.report_view import ReportView, build_view
from harness.reporting.sequence import Gap, excerpt, layout

#: Request and response bodies in the journal table are cut here; the JSON document has them all.
BODY_CHARS = 600


def render_html(document: dict[str, Any]) -> str:
    """The page for a certification or run document; same document, same string."""
    view = build_view(document)
    diagrams, journals, focus = {}, {}, {}
    for cell in view.explanations:
        if cell.result is None:
            continue
        seqs = {n for f in cell.result.get("findings") or [] for n in f.get("journal") or []}
        focus[cell.anchor] = seqs
        diagrams[cell.anchor] = layout(cell.result, prefix=cell.anchor)
        journals[cell.anchor] = excerpt(list(cell.result.get("journal") or []), seqs)
    return _environment().get_template("report.html.j2").render(
        view=view, title=_title(view), diagrams=diagrams, journals=journals, focus=focus,
        mutation=mutation_view(document),
        connector_labels=list(dict.fromkeys(c.connector for c in view.columns)),
        cell_count=sum(len(row.cells) for row in view.rows))



def _title(view: ReportView) -> str:
    if view.profile:
        return f"Drawbridge certification: {view.profile.get('title') or view.profile.get('id')}"
    return "Drawbridge compatibility report"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # autoescape everywhere: scenario titles, bank answers and connector notes are untrusted.
    env = Environment(loader=PackageLoader("harness.reporting", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["n"] = _number
    env.filters["compact"] = _compact_json
    env.filters["pretty"] = _pretty_json
    env.tests["gap"] = lambda value: isinstance(value, Gap)
    return env


def _number(value: float) -> str:
    """SVG coordinates without float noise (``12.0`` -> ``12``), so output is stable."""
    return f"{round(float(value), 1):g}"


def _pretty_json(value: Any) -> str:
    """A journal body as a person reads it: JSON indented, keys sorted, cut at BODY_CHARS
    characters of content (indentation not counted), text bodies as sent."""
    if isinstance(value, str):
        return _cut(value)
    text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2).decode()
    kept, content = [], 0
    for line in text.splitlines():
        content += len(line.lstrip())
        if content > BODY_CHARS:
            kept.append(line[: len(line) - (content - BODY_CHARS)] + "\u2026")
            break
        kept.append(line)
    return "\n".join(kept)


def _cut(text: str) -> str:
    return text if len(text) <= BODY_CHARS else text[: BODY_CHARS - 1] + "\u2026"


def _compact_json(value: Any) -> str:
    # A body the journal kept as text (not JSON) is shown as sent, not re-quoted.
    text = value if isinstance(value, str) else \
        orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    return _cut(text)
