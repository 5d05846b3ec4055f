"""Debian's chromium, driven by Playwright (which downloads no browser of its own)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

CHROMIUM = os.environ.get("JUPYTER_FORMAT_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def require_chromium(*, module: bool = False) -> None:
    """Skip the test (or *module*) without Chromium, unless CI demands it.

    CI sets JUPYTER_FORMAT_REQUIRE_BROWSER, so that a missing browser fails.
    """
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("JUPYTER_FORMAT_REQUIRE_BROWSER"):
        raise RuntimeError(f"JUPYTER_FORMAT_REQUIRE_BROWSER is set, but {CHROMIUM} is missing")
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=module)


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()
