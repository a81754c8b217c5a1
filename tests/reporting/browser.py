"""Headless Chromium for the HTML report test, through selenium and the system chromedriver.

Debian's ``chromium`` and ``chromium-driver`` packages (``.ci/run`` installs them). Without them
the browser tests skip and say why -- unless ``DRAWBRIDGE_REQUIRE_BROWSER=1`` (set in CI), where
a missing browser is a failure, so CI can never go green by skipping.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
CHROMEDRIVER = ("chromedriver",)


def _which(names: tuple[str, ...]) -> str | None:
    return next((found for name in names if (found := shutil.which(name))), None)


def missing() -> str | None:
    """Why no browser test can run here, or None when it can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    if _which(CHROMIUM) is None:
        return "no chromium on PATH (apt-get install chromium chromium-driver)"
    if _which(CHROMEDRIVER) is None:
        return "no chromedriver on PATH (apt-get install chromium-driver)"
    return None


def require_browser() -> None:
    reason = missing()
    if reason is None:
        return
    if os.environ.get("DRAWBRIDGE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"DRAWBRIDGE_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@contextmanager
def chromium(profile_dir: Path, *, width: int = 1500, height: int = 1400) -> Iterator[Any]:
    """A headless Chromium session; the caller owns ``profile_dir`` (a fresh temp dir)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(_which(CHROMIUM))
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile_dir}",
                 f"--window-size={width},{height}", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    # An explicit driver path: selenium never looks for (or downloads) a driver itself.
    driver = webdriver.Chrome(service=Service(executable_path=str(_which(CHROMEDRIVER))),
                              options=options)
    try:
        yield driver
    finally:
        driver.quit()
