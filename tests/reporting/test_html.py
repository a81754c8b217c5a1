"""render_html on documents from real runs: deterministic, escaped, one cell per combination."""

from __future__ import annotations

import copy
import hashlib
import itertools
from typing import Any

import pytest

from fake_core_bank.errors import InputError
from harness.reporting.html import render_html
from harness.reporting.json_report import dumps
from tests.reporting.documents import with_hostile_text
from tests.reporting.pages import Elements


def test_same_document_same_bytes(certificate: dict[str, Any],
                                  legacy_run: dict[str, Any]) -> None:
    for document in (certificate, legacy_run):
        first = render_html(document)
        assert render_html(copy.deepcopy(document)) == first


def test_certificate_matrix_has_one_cell_per_scenario_version_connector(
        certificate: dict[str, Any]) -> None:
    page = Elements(render_html(certificate))
    cells = page.having("td", "data-cell")
    labels = [f"{c['name']}@{c['version']}" for c in certificate["connectors"]]
    scenarios = {m["scenario"] for m in certificate["matrix"]}
    expected = {f"{s}@{v}@{c}" for s, v, c in
                itertools.product(scenarios, certificate["versions"], labels)}
    keys = [c["data-cell"] for c in cells]
    assert len(keys) == len(set(keys)) == len(expected)
    assert set(keys) == expected
    verdicts = {c["data-cell"]: c["data-verdict"] for c in cells}
    for entry in certificate["matrix"]:
        key = f"{entry['scenario']}@{entry['version']}@{entry['connector']}"
        assert verdicts.pop(key) == entry["verdict"]
    # What no matrix entry covers (legacy-v1 never ran at v3) says so, not "pass".
    assert set(verdicts.values()) == {"none"}
    assert {k for k in verdicts if "legacy-v1" in k} == \
        {f"{s}@v3@legacy-v1@0.9.3" for s in scenarios}


def test_every_failed_errored_or_waived_cell_opens_its_own_explanation(
        certificate: dict[str, Any]) -> None:
    html = render_html(certificate)
    page = Elements(html)
    explained = {f"{m['scenario']}@{m['version']}@{m['connector']}" for m in certificate["matrix"]
                 if m["verdict"] in ("fail", "error", "waived")}
    panels = {p["data-explains"]: p["id"] for p in page.having("details", "data-explains")}
    assert set(panels) == explained
    links = {a["data-opens"] for a in page.having("a", "data-opens")}
    assert links == set(panels.values())
    assert "Waived by <strong>张伟 &lt;ops@example.com&gt;</strong> until 2026-06-30" in html


def test_explanation_holds_findings_reproduce_diagram_and_journal(
        certificate: dict[str, Any]) -> None:
    html = render_html(certificate)
    result = next(r for r in certificate["results"]
                  if r["scenario"] == "full-outage-retry-after" and r["verdict"] == "fail")
    start = html.index('data-explains="full-outage-retry-after@v2@legacy-v1@0.9.3"')
    panel = html[start:html.index("</details>", start)]
    for finding in result["findings"]:
        assert finding["oracle"] in panel
    assert result["reproduce"].replace("'", "&#39;") in panel
    assert panel.count('<svg class="sequence"') == 1
    assert 'class="band maintenance full"' in panel
    table_rows = Elements(panel).having("tr", "id")
    assert [r["id"].rsplit("-", 1)[1] for r in table_rows] == \
        [str(e["seq"]) for e in result["journal"]]
    for seq in result["findings"][0]["journal"]:
        assert f'href="#x-full-outage-retry-after_v2_legacy-v1_0_9_3-j-{seq}"' in panel


def test_markup_from_the_document_is_escaped(certificate: dict[str, Any]) -> None:
    html = render_html(with_hostile_text(certificate))
    assert "<script>window.__pwned" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt; 标题" in html
    assert "<img" not in html and "<svg onload" not in html
    assert "&lt;/details&gt;&lt;script&gt;window.__pwned = 3" in html
    assert sum(tag == "script" for tag, _ in Elements(html).tags) == 1  # our own, inline


def test_page_is_self_contained_utf8(reference_run: dict[str, Any],
                                     certificate: dict[str, Any]) -> None:
    for html, explanations in ((render_html(reference_run), 0),
                               (render_html(certificate), 4)):
        page = Elements(html)
        assert len(page.having("details", "data-explains")) == explanations
        assert ("meta", {"charset": "utf-8"}) in page.tags
        assert not [t for t, a in page.tags if t in ("link", "img", "iframe", "object")]
        assert not [a for _, a in page.tags if a.get("src")]
        hrefs = [a["href"] for _, a in page.tags if a.get("href")]
        assert len(hrefs) >= explanations and all(h.startswith("#") for h in hrefs)
        assert "核心" in html  # Chinese titles verbatim, not as escapes


def test_plain_run_document_renders_as_informational_matrix(legacy_run: dict[str, Any]) -> None:
    html = render_html(legacy_run)
    cells = Elements(html).having("td", "data-cell")
    assert len(cells) == len(legacy_run["results"])
    assert {c["data-level"] for c in cells} == {"info"}
    assert [c["data-verdict"] for c in cells] == \
        [r["verdict"] for r in sorted(legacy_run["results"], key=lambda r: r["scenario"])]
    assert "no gate: a plain run" in html
    # The digest a reader can check against the file drawbridge run wrote.
    assert "sha256:" + hashlib.sha256(dumps(legacy_run)).hexdigest() in html


def test_errored_run_shows_its_error(legacy_run: dict[str, Any]) -> None:
    document = copy.deepcopy(legacy_run)
    result = document["results"][0]
    result.update(verdict="error", error="ConnectorCrashed: exit code 3 <stderr: 连接失败>",
                  findings=[{"oracle": "harness-error", "message": "ConnectorCrashed",
                             "step": None, "expected": None, "observed": None, "journal": []}])
    html = render_html(document)
    assert f'data-explains="{result["scenario"]}@' in html
    assert "ConnectorCrashed: exit code 3 &lt;stderr: 连接失败&gt;" in html
    assert 'data-verdict="error"' in html


@pytest.mark.parametrize(("document", "message"), [
    ({"format": "drawbridge/nope@1"}, "format: unknown format 'drawbridge/nope@1'"),
    ({"format": "drawbridge/results@1", "results": {}}, "results: expected a list, found dict"),
    ([], "expected a JSON object, found list"),
])
def test_bad_documents_are_input_errors(document: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        render_html(document)


def test_reporter_writes_the_page_of_the_run(tmp_path: Any, legacy_results: list[Any],
                                             legacy_run: dict[str, Any]) -> None:
    from harness.engine.events import RunFinished, RunStarted
    from harness.reporting.formats import ReportsReporter

    reporter = ReportsReporter(tmp_path / "out", ["html"])
    reporter.handle(RunStarted(len(legacy_results), legacy_results[0].connector,
                               legacy_run["seed"], ("v2",)))
    reporter.handle(RunFinished(tuple(legacy_results), False))
    assert (tmp_path / "out" / "report.html").read_text(encoding="utf-8") == \
        render_html(legacy_run)
