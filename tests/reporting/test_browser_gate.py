"""Without Chromium the browser tests skip and say why; CI turns that skip into a failure."""

from __future__ import annotations

import pytest

from tests.reporting import browser


def test_missing_chromium_skips_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    monkeypatch.delenv("DRAWBRIDGE_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no chromium on PATH"):
        browser.require_browser()


def test_missing_chromium_fails_when_ci_requires_the_browser(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    monkeypatch.setenv("DRAWBRIDGE_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="DRAWBRIDGE_REQUIRE_BROWSER=1 but no chromium"):
        browser.require_browser()
