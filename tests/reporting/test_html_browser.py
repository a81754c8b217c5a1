"""The HTML report in a real headless Chromium: the matrix renders and a failure explains itself.

Screenshots land in the test's tmp dir (``--basetemp`` to keep them): look at them when the
page's layout changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.reporting.html import render_html
from tests.reporting.browser import chromium, require_browser
from tests.reporting.documents import with_hostile_text

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium for the module; each test loads its own page."""
    require_browser()
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as session:
        yield session


def open_page(driver: Any, path: Path, document: dict[str, Any]) -> None:
    path.write_text(render_html(document), encoding="utf-8")
    driver.get(path.as_uri())


def cell_key(scenario: str, version: str, connector: str) -> str:
    return f"{scenario}@{version}@{connector}"


def open_cell(driver: Any, key: str) -> Any:
    """Click a matrix cell and return the explanation it opened."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    link = driver.find_element(By.CSS_SELECTOR, f'td[data-cell="{key}"] a.cell-link')
    assert link.is_displayed()
    link.click()
    panel = driver.find_element(By.CSS_SELECTOR, f'details[data-explains="{key}"]')
    WebDriverWait(driver, 5).until(lambda _: panel.get_attribute("open") is not None)
    assert link.get_attribute("aria-expanded") == "true"
    return panel


def test_matrix_renders_one_visible_cell_per_scenario_version_connector(
        driver: Any, tmp_path: Path, certificate: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    open_page(driver, tmp_path / "certificate.html", certificate)
    cells = driver.find_elements(By.CSS_SELECTOR, "table.matrix td[data-cell]")
    scenarios = {m["scenario"] for m in certificate["matrix"]}
    columns = len(certificate["connectors"]) * len(certificate["versions"])
    assert len(cells) == len(scenarios) * columns
    assert all(cell.is_displayed() for cell in cells)
    verdicts = [cell.get_attribute("data-verdict") for cell in cells]
    for verdict in ("pass", "fail", "waived"):
        expected = sum(m["verdict"] == verdict for m in certificate["matrix"])
        assert verdicts.count(verdict) == expected, verdict
    # Not colour alone: every run cell says its verdict in words.
    for cell in cells:
        assert cell.text.split()[-1] in ("pass", "fail", "waived", "error", "run")
    gate = driver.find_element(By.ID, "gate")
    assert "GATE FAILED" in gate.text
    assert certificate["digest"] in driver.find_element(By.ID, "digest").text
    # ... and a colour: failures and passes do not look alike.
    colour = {c.get_attribute("data-verdict"): c.value_of_css_property("background-color")
              for c in cells}
    assert len({colour["pass"], colour["fail"], colour["waived"], colour["none"]}) == 4
    # Explanations stay closed until asked for.
    panels = driver.find_elements(By.CSS_SELECTOR, "details.explanation")
    assert panels and all(p.get_attribute("open") is None for p in panels)
    driver.save_screenshot(str(tmp_path / "matrix.png"))
    # The filter leaves the scenarios that failed somewhere.
    driver.find_element(By.ID, "only-problems").click()
    shown = {row.get_attribute("data-scenario") for row in
             driver.find_elements(By.CSS_SELECTOR, "table.matrix tbody tr") if row.is_displayed()}
    assert shown == {m["scenario"] for m in certificate["matrix"] if m["verdict"] == "fail"}


def test_clicking_a_maintenance_failure_shows_findings_and_sequence_diagram(
        driver: Any, tmp_path: Path, certificate: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    key = cell_key("full-outage-retry-after", "v2", "legacy-v1@0.9.3")
    open_page(driver, tmp_path / "certificate.html", certificate)
    panel = open_cell(driver, key)
    assert panel.is_displayed()
    findings = panel.find_element(By.CSS_SELECTOR, "table.findings")
    assert "no-double-disbursement" in findings.text
    assert "was disbursed" in findings.text
    assert "drawbridge run scenarios/maintenance/full-outage-retry-after.yaml" in \
        panel.find_element(By.CSS_SELECTOR, "pre.reproduce").text
    svg = panel.find_element(By.CSS_SELECTOR, "svg.sequence")
    assert svg.is_displayed() and svg.size["height"] > 200
    requests = svg.find_elements(By.CSS_SELECTOR, "line.arrow.request")
    assert len(requests) == 3 and all(r.size["width"] > 100 for r in requests)
    band = svg.find_element(By.CSS_SELECTOR, "rect.band.maintenance")
    assert band.size["height"] > 20  # covers the 503 answered inside the window
    assert "maintenance FULL 10:00-10:30" in svg.text
    # The two bookings the finding points at are highlighted, in diagram and table.
    highlighted = {g.get_attribute("data-seq") for g in svg.find_elements(By.CSS_SELECTOR,
                                                                          "g.hl")}
    assert highlighted == {"7", "11"}
    link = panel.find_element(By.CSS_SELECTOR, "table.findings a.jlink")
    link.click()
    row = driver.find_element(By.ID, link.get_attribute("href").split("#")[1])
    assert "hl" in row.get_attribute("class").split() and row.is_displayed()
    driver.execute_script("arguments[0].scrollIntoView()",
                          panel.find_element(By.CSS_SELECTOR, "summary"))
    driver.save_screenshot(str(tmp_path / "maintenance-failure.png"))


def test_dropped_connection_and_version_switch_are_drawn(
        driver: Any, tmp_path: Path, certificate: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    open_page(driver, tmp_path / "certificate.html", certificate)
    lost = open_cell(driver, cell_key("lost-response-after-commit", "v2", "legacy-v1@0.9.3"))
    svg = lost.find_element(By.CSS_SELECTOR, "svg.sequence")
    assert svg.find_elements(By.CSS_SELECTOR, "line.arrow.response.broken")
    assert svg.find_elements(By.CSS_SELECTOR, "path.cut")
    assert "connection dropped (fault lost-response#1)" in svg.text
    assert not svg.find_elements(By.CSS_SELECTOR, "rect.band")  # no window in this one
    driver.save_screenshot(str(tmp_path / "dropped.png"))
    upgrade = open_cell(driver, cell_key("upgrade-retires-v1", "v2", "legacy-v1@0.9.3"))
    svg = upgrade.find_element(By.CSS_SELECTOR, "svg.sequence")
    switch = svg.find_element(By.CSS_SELECTOR, "g.switch")
    assert "upgrade \u2192 v2, retire v1" in switch.text
    assert svg.find_elements(By.CSS_SELECTOR, "line.arrow.response.error")


def test_markup_in_the_document_stays_text(driver: Any, tmp_path: Path,
                                          certificate: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    hostile = with_hostile_text(certificate)
    failing = next(r for r in hostile["results"] if r["verdict"] == "fail")
    key = cell_key(failing["scenario"], failing["version"], failing["connectorLabel"])
    open_page(driver, tmp_path / "hostile.html", hostile)
    panel = open_cell(driver, key)
    assert driver.execute_script("return window.__pwned === undefined")
    assert "<script>window.__pwned = 1</script> 标题" in driver.find_element(
        By.CSS_SELECTOR, f'tr[data-scenario="{failing["scenario"]}"] th').text
    assert "</details><script>" in panel.find_element(By.CSS_SELECTOR, "ul.notes").text
    assert not driver.find_elements(By.CSS_SELECTOR, "img[src=x]")


def test_plain_run_page_shows_connector_columns_and_opens_from_the_url(
        driver: Any, tmp_path: Path, legacy_run: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    page = tmp_path / "run.html"
    page.write_text(render_html(legacy_run), encoding="utf-8")
    driver.get(page.as_uri())
    cells = driver.find_elements(By.CSS_SELECTOR, "td[data-cell]")
    assert len(cells) == len(legacy_run["results"])
    anchor = driver.find_element(By.CSS_SELECTOR, 'td[data-verdict="fail"] a') \
        .get_attribute("data-opens")
    driver.get(f"{page.as_uri()}#{anchor}")  # a link from the job summary, say
    panel = driver.find_element(By.ID, anchor)
    assert panel.get_attribute("open") is not None
    assert panel.find_element(By.CSS_SELECTOR, "svg.sequence").is_displayed()


def test_journal_shows_redacted_headers_and_readable_json_bodies(
        driver: Any, tmp_path: Path, certificate: dict[str, Any]) -> None:
    # Issue 16.3: headers are the root cause of a double disbursement (no or a changing
    # Idempotency-Key); bodies got 15% of the width and wrapped every 25 characters.
    from selenium.webdriver.common.by import By

    open_page(driver, tmp_path / "certificate.html", certificate)
    panel = open_cell(driver, cell_key("full-outage-retry-after", "v2", "legacy-v1@0.9.3"))
    table = panel.find_element(By.CSS_SELECTOR, "table.journal")
    booking = table.find_element(By.CSS_SELECTOR, "tr.hl td.body")
    names = [dt.text for dt in booking.find_elements(By.CSS_SELECTOR, "dl.headers dt")]
    assert "user-agent" in names and "content-type" in names  # request and response sides
    assert booking.size["width"] >= 0.3 * table.size["width"]  # was 15%
    body = booking.find_element(By.CSS_SELECTOR, "div.request pre")
    assert body.text.startswith("{\n  \"")  # JSON indented, one field per line
    lines = body.text.count("\n") + 1
    boxes = driver.execute_script(
        "const r = document.createRange(); r.selectNodeContents(arguments[0]);"
        "return new Set(Array.from(r.getClientRects()).map(b => Math.round(b.top))).size;",
        body)
    assert boxes == lines  # no line of the JSON wrapped
    driver.execute_script("arguments[0].scrollIntoView()", booking)
    driver.save_screenshot(str(tmp_path / "journal.png"))
