"""The built snippet in Chromium on the real WordPress in server render mode.

The plugin decides the slots while the page renders and prints them with their decision id, arm and
items; the snippet (loaded in server mode by default) must not decide them again, but must report the
page's view, the slots' impressions and clicks with the server's decision id, through the plugin's REST
proxy into the sidecar's store. With "require consent" and no consent, nothing leaves the browser.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.wordpress.harness import wait_for_events

pytestmark = [pytest.mark.slow, pytest.mark.wordpress, pytest.mark.browser]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
SLOTS = ("hero", "recs", "cta")
# Network listeners do not see sendBeacon calls: the page lists each beacon and fetch it makes in __sent.
RECORD = """(() => {
  const sent = (window.__sent = []);
  const rec = (u) => sent.push(String(u));
  const beacon = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (u, b) => (rec(u), beacon(u, b));
  const f = window.fetch;
  window.fetch = (u, o) => (rec(u), f(u, o));
})();"""


def _open(browser, url: str):
    """A fresh visitor on the page; its requests recorded (and, by the page, its beacons and fetches)."""
    context = browser.new_context()
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    context.add_init_script(RECORD)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("() => window.pertinent && window.pertinent.loaded", timeout=15_000)
    return context, page, requested


def test_server_rendered_page_reports_impressions_and_clicks_without_a_second_decision(healthy, sidecar):
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import launch

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    url = healthy.url + "/three-slots/?utm_campaign=spring"
    with sync_playwright() as p:
        browser = launch(p)
        try:
            context, page, requested = _open(browser, url)
            # Rendered by the server, all three under one decision.
            decisions = set()
            for name in SLOTS:
                slot = page.locator(f"[data-pertinent-slot='{name}']")
                assert slot.get_attribute("data-pertinent-rendered") == "server"
                decisions.add(slot.get_attribute("data-pertinent-decision"))
            assert len(decisions) == 1 and next(iter(decisions)), decisions
            decision = decisions.pop()
            arm = page.locator("[data-pertinent-slot='hero']").get_attribute("data-pertinent-arm")
            assert page.locator("[data-pertinent-slot='hero'] .spring-banner").count() == 1
            items = page.locator("[data-pertinent-slot='recs'] li[data-pertinent-content-id]")
            assert items.count() > 0
            recs_ids = [items.nth(i).get_attribute("data-pertinent-content-id") for i in range(items.count())]
            vids = [c["value"] for c in context.cookies() if c["name"] == "pertinent_vid"]
            assert vids, "server mode gives a consenting visitor an id (shared with the snippet)"
            visitor_id = vids[0]

            for name in SLOTS:  # each slot on screen for over a second: an impression
                page.locator(f"[data-pertinent-slot='{name}']").scroll_into_view_if_needed()
                page.wait_for_timeout(1300)
            page.screenshot(path=str(ARTIFACTS / "wordpress-server-mode.png"), full_page=True)
            page.evaluate("pertinent('flush')")  # the view and impressions, now
            beacons = page.evaluate("window.__sent")
            to_proxy = all(u.startswith(healthy.url) and "pertinent/v1/events" in u for u in beacons)
            assert beacons and to_proxy, (
                "events go to the site's own proxy, decide requests nowhere", beacons)
            clicked = items.nth(1 if len(recs_ids) > 1 else 0)
            clicked_id = clicked.get_attribute("data-pertinent-content-id")
            clicked.locator("a").click()  # follows the link: leaving the page sends the queued events
            page.wait_for_load_state()

            def complete(ev):
                slots = {e.get("slot") for e in ev if e["type"] == "impression"}
                return set(SLOTS) <= slots and any(e["type"] == "click" for e in ev)

            events = wait_for_events(sidecar, visitor_id, complete)
            impressions = [e for e in events if e["type"] == "impression"]
            assert {e["decision_id"] for e in impressions} == {decision}, impressions
            assert {e["arm"] for e in impressions} == {arm}, impressions
            hero = [e for e in impressions if e["slot"] == "hero"]
            assert [e["content_id"] for e in hero] == [str(healthy.seed["banner"])]
            assert sorted(e["content_id"] for e in impressions if e["slot"] == "recs") == sorted(recs_ids)
            clicks = [e for e in events if e["type"] == "click"]
            assert len(clicks) == 1, clicks
            assert (clicks[0]["slot"], clicks[0]["content_id"], clicks[0]["decision_id"]) == (
                "recs", clicked_id, decision)
            views = [e for e in events if e["type"] == "view"]
            assert any(e.get("content_id") == str(healthy.seed["page"]) for e in views), views

            assert not [u for u in requested if "/decide" in u], "the browser asked for no decision"
            assert not any(u.startswith(sidecar.url) for u in requested)
            context.close()
        finally:
            browser.close()


def test_server_rendered_page_sends_nothing_before_consent(healthy, sidecar):
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import launch

    healthy.configure(consent_mode="require")
    try:
        with sync_playwright() as p:
            browser = launch(p)
            try:
                context, page, requested = _open(browser, healthy.url + "/three-slots/?utm_campaign=spring")
                tag = page.locator("script[data-endpoint]")
                assert tag.get_attribute("data-require-consent") == "1"
                for name in SLOTS:
                    page.locator(f"[data-pertinent-slot='{name}']").scroll_into_view_if_needed()
                page.wait_for_timeout(1300)
                page.locator("[data-pertinent-slot='hero']").click()
                page.evaluate("pertinent('flush')")  # would send anything queued
                assert page.evaluate("window.__sent") == []
                page.goto(healthy.url + "/")
                assert not [u for u in requested if "/decide" in u or "/events" in u], requested
                assert not [c for c in context.cookies() if c["name"] == "pertinent_vid"]
                assert page.evaluate("localStorage.getItem('pertinent_vid')") is None
                context.close()
            finally:
                browser.close()
    finally:
        healthy.configure(consent_mode="none")


def test_events_carry_the_visitor_id_the_server_decided_with(healthy, sidecar):
    """A browser that kept an id in localStorage from an earlier (browser-mode) visit still reports under
    the id the server decided with: the cookie wins, so decisions and events join on one visitor."""
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import launch

    with sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context()
            context.add_init_script("localStorage.getItem('pertinent_vid') || "
                                    "localStorage.setItem('pertinent_vid', 'an-older-browser-id')")
            page = context.new_page()
            page.goto(healthy.url + "/three-slots/")
            page.wait_for_function("() => window.pertinent && window.pertinent.loaded", timeout=15_000)
            server_id = next(c["value"] for c in context.cookies() if c["name"] == "pertinent_vid")
            assert server_id != "an-older-browser-id"
            page.evaluate("pertinent('flush')")
            events = wait_for_events(sidecar, server_id, lambda ev: any(e["type"] == "view" for e in ev))
            assert events
            older = sidecar.request("GET", "/v1/visitors/an-older-browser-id").json().get("events", [])
            assert older == []
            context.close()
        finally:
            browser.close()
