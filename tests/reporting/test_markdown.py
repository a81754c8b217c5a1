"""render_markdown: the job summary's gate line, per-connector tables, failures, size budget."""

from __future__ import annotations

import copy
import re
from typing import Any

from harness.reporting.finding_text import headline
from harness.reporting.markdown import MAX_BYTES, render_markdown
from tests.reporting.documents import with_hostile_text


def test_gate_line_tables_and_failures_of_a_certificate(certificate: dict[str, Any]) -> None:
    text = render_markdown(certificate)
    lines = text.splitlines()
    assert lines[0] == "## Drawbridge certification: Core-banking lending API v2 (v2)"
    assert lines[2] == ("**\u274c Gate failed** (fails on must): 3 of 17 runs failed or "
                        "errored, 1 waived")
    for reason in certificate["gate"]["reasons"]:
        assert f"- {reason}" in lines
    assert certificate["digest"] in text
    # One table per connector, version x level, counted from the matrix.
    for label in ("legacy-v1@0.9.3", "reference-python@1.0.0"):
        assert f"### {label}" in lines
        for version in certificate["versions"]:
            entries = [m for m in certificate["matrix"]
                       if (m["connector"], m["version"]) == (label, version)]
            cells = []
            for level in ("must", "should", "info"):
                at = [m for m in entries if m["level"] == level]
                passed = sum(m["verdict"] == "pass" for m in at)
                cells.append(f"{passed}/{len(at)}" if at else "\u2013")
            waived = sum(m["verdict"] == "waived" for m in entries)
            assert f"| {version} | {' | '.join(cells)} | {waived} |" in text
    failing = [r for r in certificate["results"] for m in certificate["matrix"]
               if m["verdict"] == "fail" and (m["scenario"], m["version"], m["connector"]) ==
               (r["scenario"], r["version"], r["connectorLabel"])]
    assert f"### Failures ({len(failing)})" in lines
    for result in failing:
        assert f"**{result['scenario']}@{result['version']}** \u00b7 {result['level']}" in text
        assert f"`{result['reproduce']}`" in text
        said = headline(result["findings"][0])  # the message, expected and observed
        assert re.sub(r"([\\`*_\[\]<>|~&])", r"\\\1", said)[:200] in text
    assert "### Waived (1)" in lines
    # MUST failures come before SHOULD ones.
    order = [m.group(1) for m in re.finditer(r"^- \S+ \*\*(\S+)\*\* \u00b7 (must|should)", text,
                                             re.M)]
    assert order.index("upgrade-retires-v1@v2") > order.index("full-outage-retry-after@v2")


def test_plain_runs_say_passed_or_failed_without_a_gate(legacy_run: dict[str, Any],
                                                        reference_run: dict[str, Any]) -> None:
    failed = sum(r["verdict"] == "fail" for r in legacy_run["results"])
    total = len(legacy_run["results"])
    assert render_markdown(legacy_run).splitlines()[2] == \
        f"**\u274c {failed} of {total} runs failed** (no gate: a plain run)"
    passing = render_markdown(reference_run)
    assert passing.splitlines()[2] == \
        f"**\u2705 all {len(reference_run['results'])} runs passed** (no gate: a plain run)"
    assert "### Failures" not in passing


def test_same_document_same_text(certificate: dict[str, Any]) -> None:
    assert render_markdown(certificate) == render_markdown(copy.deepcopy(certificate))


def test_markup_is_escaped(certificate: dict[str, Any]) -> None:
    text = render_markdown(with_hostile_text(certificate))
    assert not re.search(r"(?<!\\)<", text)  # every < escaped: GitHub renders raw HTML
    assert r'\<img src=x onerror="window.\_\_pwned = 2"\>' in text


def test_big_runs_stay_under_the_budget_and_say_what_was_left_out(
        legacy_run: dict[str, Any]) -> None:
    document = copy.deepcopy(legacy_run)
    failing = [r for r in document["results"] if r["verdict"] == "fail"]
    document["results"] = [{**r, "scenario": f"{r['scenario']}-{n:04d}"}
                           for n in range(120) for r in failing]
    text = render_markdown(document)
    assert len(text.encode()) < MAX_BYTES
    listed = len(re.findall(r"^- \u274c ", text, re.M))
    left_out = int(re.search(r"^_(\d+) more failures not listed", text, re.M).group(1))
    # dozens listed (each carries expected and observed), the rest counted
    assert listed > 50 and listed + left_out == len(document["results"])
    assert text.endswith("have them all._\n")


def test_reporter_writes_the_summary_of_the_run(tmp_path: Any, legacy_results: list[Any],
                                                legacy_run: dict[str, Any]) -> None:
    from harness.engine.events import RunFinished, RunStarted
    from harness.reporting.formats import ReportsReporter

    reporter = ReportsReporter(tmp_path, ["markdown"])
    reporter.handle(RunStarted(len(legacy_results), legacy_results[0].connector,
                               legacy_run["seed"], ("v2",)))
    reporter.handle(RunFinished(tuple(legacy_results), False))
    assert (tmp_path / "summary.md").read_text(encoding="utf-8") == render_markdown(legacy_run)
