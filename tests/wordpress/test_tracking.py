"""Every public page tracked: the snippet's tracker in Chromium on the real WordPress.

A visitor who reads ordinary posts (no slot on them) leaves a view per post, with the post's catalog id,
under the first-party visitor id; the plugin's own decide call on a page with slots (server mode) carries
that same id, so the server's decisions and the browser's events join on one visitor. Home, archive and
search pages send a view without a content id; without consent where it is required nothing is stored.
"""
from __future__ import annotations

import time

import pytest

from tests.wordpress.harness import RecordingProxy, wait_for_events

pytestmark = [pytest.mark.slow, pytest.mark.wordpress, pytest.mark.browser]

TRACKER = "assets/js/pertinent.min.js"
SLOTS_PART = "assets/js/pertinent-slots.min.js"


@pytest.fixture
def recorded(healthy, sidecar):
    """The site talking to the sidecar through a proxy that records what WordPress sent it."""
    proxy = RecordingProxy(sidecar.url)
    healthy.configure(sidecar_url=proxy.url)
    yield proxy
    healthy.configure(sidecar_url=sidecar.url, consent_mode="none")
    proxy.close()


def _permalinks(site, ids) -> list[str]:
    return site.php(f"return array_map('get_permalink', array({', '.join(str(int(i)) for i in ids)}));")


def _visitor(context) -> str | None:
    """The first-party visitor id: the cookie both the server and the snippet read first."""
    return next((c["value"] for c in context.cookies() if c["name"] == "pertinent_vid"), None)


def _until(check, timeout: float = 15.0):
    """check()'s first truthy answer, polled."""
    deadline = time.monotonic() + timeout
    while not (found := check()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert found, "never happened"
    return found


def _read(page, url: str, requested: list[str]) -> None:
    """Opens a page and waits until the tracker runs; the next navigation sends its queued events."""
    requested.clear()
    page.goto(url)
    page.wait_for_function("() => window.pertinent && window.pertinent.loaded", timeout=15_000)


# Server mode: the plugin decides in PHP (and gives the visitor its id). Browser mode (cached pages): the
# snippet creates the id and asks the plugin's REST proxy. Either way the decide call carries the reader's id.
@pytest.mark.parametrize("mode", ["server", "browser"])
def test_six_posts_without_slots_leave_six_views_under_the_id_the_server_decides_with(healthy, sidecar,
                                                                                     recorded, mode):
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import launch

    healthy.configure(render_mode=mode)

    posts = [str(i) for i in healthy.seed["posts"]]
    urls = _permalinks(healthy, healthy.seed["posts"])
    assert len(posts) == 6
    with sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context()
            page = context.new_page()
            requested: list[str] = []
            page.on("request", lambda r: requested.append(r.url))
            for post_id, url in zip(posts, urls, strict=True):
                _read(page, url, requested)
                assert page.locator("[data-pertinent-slot]").count() == 0, "an ordinary post, no slot"
                tag = page.locator(f"script[src*='{TRACKER}']")
                assert tag.get_attribute("data-content-id") == post_id, "the id the catalog sync uses"
                assert not [u for u in requested if SLOTS_PART in u or "/decide" in u], requested
                page.wait_for_timeout(300)  # some dwell
            visitor_id = _visitor(context)
            assert visitor_id, "one first-party id, in the cookie the server reads"

            # A page with slots: decided by PHP in server mode, through the REST proxy in browser mode.
            _read(page, healthy.url + "/three-slots/", requested)
            if mode == "server":
                assert not [u for u in requested if "/decide" in u], "the server already decided"
            _until(lambda: recorded.bodies("/v1/decide"))
            page.goto(healthy.url + "/")  # leaving sends the slot page's view

            def read_all(events):
                viewed = [e.get("content_id") for e in events if e["type"] == "view"]
                return set(posts) | {str(healthy.seed["page"])} <= set(viewed)

            events = wait_for_events(sidecar, visitor_id, read_all)
            views = [e for e in events if e["type"] == "view" and e.get("content_id") in posts]
            assert sorted(e["content_id"] for e in views) == sorted(posts), views
            paths = [u.replace(healthy.url, "") for u in urls]
            assert [e["url_path"] for e in views] == paths, "in reading order"
            assert len({e["session_id"] for e in views}) == 1
            dwells = {e["content_id"] for e in events if e["type"] == "dwell"}
            assert set(posts) <= dwells, "each post's dwell is sent when the visitor leaves it"

            decides = recorded.bodies("/v1/decide")
            assert decides, "the slot page was decided by the server"
            assert {d.get("visitor_id") for d in decides} == {visitor_id}, "decided for the visitor who read"
            assert decides[-1]["context"]["content_id"] == str(healthy.seed["page"])
            batches = recorded.bodies("/v1/events")
            assert {e["visitor_id"] for b in batches for e in b["events"]} == {visitor_id}
            context.close()
        finally:
            browser.close()


def test_home_archive_and_search_pages_send_a_view_without_a_content_id(healthy, sidecar, recorded):
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import launch

    pages = ["/", "/category/uncategorized/", "/?s=Gardening"]
    with sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context()
            page = context.new_page()
            requested: list[str] = []
            for path in pages:
                _read(page, healthy.url + path, requested)
                tag = page.locator(f"script[src*='{TRACKER}']")
                assert tag.get_attribute("data-content-id") is None, path
            page.evaluate("pertinent('flush')")
            visitor_id = _visitor(context)
            events = wait_for_events(sidecar, visitor_id,
                                     lambda ev: len([e for e in ev if e["type"] == "view"]) >= 3)
            views = [e for e in events if e["type"] == "view"]
            assert [e["url_path"] for e in views] == ["/", "/category/uncategorized/", "/"], views
            assert all(e["content_id"] is None for e in views), views
            context.close()
        finally:
            browser.close()


def test_posts_store_nothing_without_consent_where_it_is_required(healthy, sidecar, recorded):
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import launch

    healthy.configure(consent_mode="require")
    urls = _permalinks(healthy, healthy.seed["posts"][:3])
    with sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context()
            page = context.new_page()
            requested: list[str] = []
            page.on("request", lambda r: requested.append(r.url))
            for url in urls:
                page.goto(url)
                page.wait_for_function("() => window.pertinent && window.pertinent.loaded", timeout=15_000)
                assert page.locator("script[data-require-consent='1']").count() == 1
                page.evaluate("pertinent('flush')")
            page.goto(healthy.url + "/")
            assert not [u for u in requested if "/events" in u], requested
            assert not [c for c in context.cookies() if c["name"] == "pertinent_vid"]
            assert page.evaluate("localStorage.getItem('pertinent_vid')") is None
            assert recorded.bodies("/v1/events") == []

            # The visitor agrees (a consent banner calls this): from then on the post they read counts.
            page.evaluate("pertinent('consent', true)")
            page.goto(urls[0])
            page.wait_for_function("() => window.pertinent && window.pertinent.loaded", timeout=15_000)
            page.goto(healthy.url + "/")
            visitor_id = _visitor(context)
            events = wait_for_events(sidecar, visitor_id, lambda ev: any(e["type"] == "view" for e in ev))
            first = [e["content_id"] for e in events if e["type"] == "view"][0]
            assert first == str(healthy.seed["posts"][0])
            context.close()
        finally:
            browser.close()


@pytest.mark.parametrize("path", ["/feed/", "/wp-json/", "/no-such-page-here/", "/wp-login.php"])
def test_the_tracker_is_not_loaded_where_there_is_no_public_page(healthy, path):
    resp = healthy.get(path)
    assert TRACKER not in resp.text, path


def test_the_tracker_is_loaded_on_a_post_with_its_content_id(healthy):
    post = healthy.seed["posts"][1]
    html = healthy.get(f"/?p={post}").text
    assert TRACKER in html and f'data-content-id="{post}"' in html
    assert SLOTS_PART not in html, "no slot on the post: the slots part is not printed"
    page = healthy.get("/three-slots/").text
    assert page.index(TRACKER) < page.index(SLOTS_PART), "both parts on a slot page, the tracker first"
