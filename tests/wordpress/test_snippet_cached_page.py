"""The built snippet in Chromium on the real WordPress in browser (cached-page) mode.

The page's HTML holds only the defaults and the variants as inert templates (what a page cache stores);
the snippet asks the plugin's same-origin REST proxy and swaps the slots, and its events reach the
sidecar's store through the proxy. Owned by the snippet's engineer; uses the WordPress suite's fixtures.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.wordpress.harness import wait_for_events

pytestmark = [pytest.mark.slow, pytest.mark.wordpress, pytest.mark.browser]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


def test_cached_page_mode_swaps_slots_through_the_rest_proxy(healthy, sidecar):
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import launch

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    healthy.configure(render_mode="browser")
    url = healthy.url + "/three-slots/?utm_campaign=spring"
    with sync_playwright() as p:
        browser = launch(p)
        try:
            # What the cached HTML shows by itself (no script): the editor's defaults.
            plain = browser.new_context(java_script_enabled=False).new_page()
            plain.goto(url)
            assert plain.locator(".default-hero").is_visible()
            plain.screenshot(path=str(ARTIFACTS / "wordpress-before-cached-html.png"), full_page=True)
            plain.context.close()

            context = browser.new_context()
            page = context.new_page()
            requested: list[str] = []
            page.on("request", lambda r: requested.append(r.url))
            page.goto(url)
            page.wait_for_selector("[data-pertinent-slot='hero'] .spring-banner", timeout=15_000)
            page.wait_for_selector("[data-pertinent-slot='cta'] .newsletter-cta", timeout=15_000)
            assert page.locator("[data-pertinent-slot='hero'] .default-hero").count() == 0
            assert page.locator("[data-pertinent-slot='cta'] .default-cta").count() == 0
            page.screenshot(path=str(ARTIFACTS / "wordpress-after-snippet.png"), full_page=True)

            decide = [u for u in requested if "/decide" in u]
            assert len(decide) == 1, requested
            assert decide[0].startswith(healthy.url), "the browser talks to the site's own proxy only"
            assert not any(u.startswith(sidecar.url) for u in requested)

            visitor_id = page.evaluate("localStorage.getItem('pertinent_vid')")
            page.wait_for_timeout(1500)  # slots on screen for a second: impressions
            page.goto(healthy.url + "/")  # leaving sends the queued events, through the proxy
            events = wait_for_events(sidecar, visitor_id,
                                     lambda ev: any(e["type"] == "impression" for e in ev))
            hero = [e for e in events if e["type"] == "impression" and e.get("slot") == "hero"]
            assert hero and hero[0]["content_id"] == str(healthy.seed["banner"])
            assert hero[0]["decision_id"], "impressions carry the decision id"
            context.close()
        finally:
            browser.close()
