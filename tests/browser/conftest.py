"""Fixtures for the snippet in a real browser: Chromium, the fixture site, and a real sidecar behind it."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.chromium import launch
from tests.browser.servers import FixtureSite
from tests.sdk.sidecar import running_sidecar

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


@pytest.fixture(scope="module")
def browser():
    # Module scope: other suites (WordPress) may drive their own Playwright; only one may run at a time.
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site():
    s = FixtureSite()
    yield s
    s.close()


@pytest.fixture(scope="module")
def sidecar(site, tmp_path_factory):
    """The real sidecar (gunicorn, 2 workers); the fixture site's origin may call it with the site key."""
    with running_sidecar(tmp_path_factory.mktemp("browser-sidecar"), allowed_origins=(site.origin,)) as s:
        yield s


@pytest.fixture
def page(browser):
    """A fresh visitor (new context: empty storage); console messages and page errors are collected."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    pg = context.new_page()
    pg.console_messages = []
    pg.page_errors = []
    pg.on("console", lambda m: pg.console_messages.append(m))
    pg.on("pageerror", lambda e: pg.page_errors.append(e))
    yield pg
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
