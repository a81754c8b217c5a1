"""The Markdown summary: fit for a GitHub job summary (``$GITHUB_STEP_SUMMARY``).

The gate verdict line, one table per connector (contract version x must/should/info pass
counts), then every failure: scenario@version, level, the first finding with what was expected
and what was observed, and the command that reproduces it. Kept under ``MAX_BYTES`` (GitHub
refuses summaries over 1 MiB and truncates long ones badly): failures past the budget are
counted in a closing note instead of listed.

    >>> print(render_markdown(run_document(results, seed=0)).splitlines()[2])
    **❌ 11 of 23 runs failed** (no gate: a plain run)
"""

from __future__ import annotations

import re
from typing import Any

from harness.reporting.finding_text import headline
from harness.reporting.mutation_view import mutation_view
from harness.reporting.report_view import LEVELS, Cell, ReportView, build_view

MAX_BYTES = 60_000
#: Room kept for the truncation note when the budget runs out.
RESERVE = 400
ICON = {"pass": "\u2705", "fail": "\u274c", "error": "\u26a0\ufe0f", "waived": "\u2298"}
#: Characters that would start Markdown or HTML inside a line of text.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def render_markdown(document: dict[str, Any]) -> str:
    """The summary of a certification or run document; same document, same string."""
    view = build_view(document)
    head = _header(view) + _tables(view) + _versions(view) + _mutation(document)
    failures = sorted((c for row in view.rows for c in row.cells
                       if c.verdict in ("fail", "error")),
                      key=lambda c: (LEVELS.index(c.level) if c.level in LEVELS else 9,
                                     c.connector, c.scenario, c.version))
    waived = [c for row in view.rows for c in row.cells if c.verdict == "waived"]
    lines = list(head)
    if failures:
        lines += ["", f"### Failures ({len(failures)})", ""]
    size = _size(lines) + _size(_waivers(waived))
    shown = 0
    for cell in failures:
        item = _failure(cell)
        if size + _size(item) + RESERVE > MAX_BYTES:
            break
        lines += item
        size += _size(item)
        shown += 1
    if shown < len(failures):
        lines += ["", f"_{len(failures) - shown} more failures not listed: this summary stays "
                      f"under {MAX_BYTES // 1000} KB. The HTML report and the JSON document "
                      f"have them all._"]
    lines += _waivers(waived)
    return "\n".join(lines).rstrip("\n") + "\n"



def _header(view: ReportView) -> list[str]:
    if view.profile:
        title = f"Drawbridge certification: {_md(str(view.profile.get('title') or ''))} " \
                f"({_md(str(view.profile.get('id')))})"
    else:
        title = "Drawbridge compatibility run"
    runs = sum(view.counts.values())
    bad = view.counts["fail"] + view.counts["error"]
    if view.gate is not None:
        word = f"{ICON['pass']} Gate passed" if view.passed else f"{ICON['fail']} Gate failed"
        verdict = f"**{word}** (fails on {_md(str(view.gate.get('failOn')))}): {bad} of " \
                  f"{runs} runs failed or errored, {view.counts['waived']} waived"
    elif view.passed:
        verdict = f"**{ICON['pass']} all {runs} runs passed** (no gate: a plain run)"
    else:
        verdict = f"**{ICON['fail']} {bad} of {runs} runs failed** (no gate: a plain run)"
    lines = [f"## {title}", "", verdict]
    reasons = (view.gate or {}).get("reasons") or []
    lines += [""] * bool(reasons) + [f"- {_md(str(r))}" for r in reasons]
    if view.interrupted:
        lines += ["", "**The run was interrupted: some scenarios did not run.**"]
    facts = [f"harness {_md(str(view.harness.get('version', '?')))}", f"seed {view.seed}",
             f"versions {', '.join(view.versions)}", f"{view.digest_label} {_code(view.digest)}"]
    return [*lines, "", " \u00b7 ".join(facts)]


def _tables(view: ReportView) -> list[str]:
    lines: list[str] = []
    counts = view.connector_counts()
    for connector in dict.fromkeys(c.connector for c in counts):
        lines += ["", f"### {_md(connector)}", "",
                  "| version | must | should | info | waived |", "|---|---|---|---|---|"]
        for entry in (c for c in counts if c.connector == connector):
            cells = [f"{entry.passed[level]}/{entry.total[level]}" if entry.total[level]
                     else "\u2013" for level in LEVELS]
            lines.append(f"| {entry.version} | {' | '.join(cells)} | {entry.waived} |")
    return lines


def _versions(view: ReportView) -> list[str]:
    """Per connector and core version, which contract versions it used in which scenarios."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for row in view.rows:
        for cell in row.cells:
            if cell.versions_note:
                groups.setdefault((cell.connector, cell.version, cell.versions_note),
                                  []).append(cell.scenario)
    if not groups:
        return []
    lines = ["", "### Contract versions declared and used", "",
             "| connector | core | contract versions | scenarios |", "|---|---|---|---|"]
    for (connector, version, note), scenarios in sorted(groups.items()):
        lines.append(f"| {_md(connector)} | {version} | {_md(note)} | "
                     f"{_md(', '.join(sorted(scenarios)))} |")
    return lines


def _mutation(document: dict[str, Any]) -> list[str]:
    """The certificate's mutation score (docs/mutation.md), when it carries one."""
    mutation = mutation_view(document)
    if mutation is None:
        return []
    lines = ["", "### Mutation score", "", f"**{_md(mutation.headline)}.** Operator catalogue "
             f"{_code(mutation.catalogue)}.", ""]
    lines += [f"- {name}: {', '.join(_code(i) for i in ids)}" for name, ids in mutation.lists]
    if not mutation.lists:
        lines.append("- every applicable operator is killed by a MUST scenario")
    return lines


def _failure(cell: Cell) -> list[str]:
    result = cell.result or {}
    findings = result.get("findings") or []
    if result.get("error"):
        first = str(result["error"])
    elif findings:
        first = f"[{findings[0].get('oracle')}] {headline(findings[0])}"
    else:
        first = "no finding recorded"
    more = f" (+{len(findings) - 1} more)" if len(findings) > 1 else ""
    used = f" (connector {_md(cell.versions_note)})" if cell.versions_note else ""
    lines = [f"- {ICON[cell.verdict]} **{_md(cell.scenario)}@{_md(cell.version)}** \u00b7 "
             f"{cell.level} \u00b7 {_md(cell.connector)}{used}: {_md(_clip(first))}{more}"]
    if result.get("reproduce"):
        lines.append(f"  {_code(str(result['reproduce']))}")
    return lines


def _waivers(waived: list[Cell]) -> list[str]:
    if not waived:
        return []
    lines = ["", f"### Waived ({len(waived)})", ""]
    for cell in waived:
        waiver = cell.waiver or {}
        lines.append(f"- {ICON['waived']} **{_md(cell.scenario)}@{_md(cell.version)}** \u00b7 "
                     f"{_md(cell.connector)}: {_md(str(waiver.get('reason', '')))} "
                     f"({_md(str(waiver.get('owner', '?')))}, until "
                     f"{_md(str(waiver.get('expires', '?')))})")
    return lines


def _md(text: str) -> str:
    """Text that renders as itself: Markdown and HTML specials escaped, one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _code(text: str) -> str:
    """An inline code span that holds any text, backticks included (CommonMark 6.1)."""
    text = " ".join(text.split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _clip(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _size(lines: list[str]) -> int:
    return sum(len(line.encode()) + 1 for line in lines)
