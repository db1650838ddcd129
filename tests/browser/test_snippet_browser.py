"""The built snippet in headless Chromium, against the real sidecar (and fakes for the failure cases).

The fixture site and the sidecar listen on different ports, so every call is cross-origin and CORS is
real: the fixture's origin is in PERTINENT_ALLOWED_ORIGINS and the tag carries the public site key.
"""
from __future__ import annotations

import json
import time
import uuid

import pytest

from tests.browser.servers import FakeSidecar
from tests.support.net import SilentServer, free_port

pytestmark = [pytest.mark.slow, pytest.mark.browser]

HOSTILE_TITLE_IMG = "<img src=x onerror=\"window.__pwned='title-img'\">"
HOSTILE_TITLE_SCRIPT = "<script>window.__pwned='title-script'</script>"


@pytest.fixture(scope="module")
def catalog(sidecar, site):
    """Two banner variants (13 pinned for utm_source=news), articles, and hostile items."""
    sidecar.put_content("12", title="Free delivery", url="/offer/12", type="variant")
    pin = {"action": "pin", "when": {"utm_source": "news"}, "slots": ["hero"]}
    sidecar.put_content("13", title="Newsletter", url="/offer/13", type="variant", targeting=[pin])
    for n in range(1, 6):
        sidecar.put_content(str(n), title=f"Post {n}", url=f"{site.origin}/post/{n}", type="post")
    sidecar.put_content("evil1", title=HOSTILE_TITLE_IMG, url="/post/evil1", type="post")
    sidecar.put_content("evil2", title=HOSTILE_TITLE_SCRIPT, url="/post/evil2", type="post")
    js_url = "javascript:window.__pwned='js-url'"
    sidecar.put_content("evil3", title="A javascript link", url=js_url, type="post")
    sidecar.put_content("good1", title="A good post", url=f"{site.origin}/post/good1", type="post")
    _wait_until_live(sidecar)
    return sidecar


def _wait_until_live(sidecar, timeout: float = 15.0) -> None:
    """Until the sidecar's catalog snapshot (refreshed in the background) serves the rule and the posts."""
    deadline = time.monotonic() + timeout
    body = {"context": {"utm": {"source": "news"}}, "slots": [
        {"name": "hero", "kind": "banner", "candidates": ["12", "13"]},
        {"name": "more", "kind": "recommendations", "count": 3}]}
    while time.monotonic() < deadline:
        body["visitor_id"] = uuid.uuid4().hex  # a fresh visitor: no cached answer
        slots = sidecar.call("POST", "/v1/decide", json=body).json()["slots"]
        if slots["hero"]["content_ids"] == ["13"] and len(slots["more"]["content_ids"]) == 3:
            return
        time.sleep(0.2)
    raise TimeoutError(f"the sidecar's catalog never went live: {slots}")


# Tests that expect a swap give the sidecar a generous budget: the machine is shared and loaded, and
# speed is measured by bench/snippet.py, not asserted here.
PATIENT = 5000


def _endpoint(sidecar) -> str:
    return sidecar.url + "/v1"


def _no_console_output(page):
    """Nothing from the snippet in the console (the browser's own network-error lines are not ours)."""
    ours = [m.text for m in page.console_messages if "Failed to load resource" not in m.text]
    assert ours == [], ours
    assert page.page_errors == []


def _wait_for_events(sidecar, visitor_id: str, want, timeout: float = 15.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    events: list[dict] = []
    while time.monotonic() < deadline:
        events = sidecar.visitor_events(visitor_id)
        if want(events):
            return events
        time.sleep(0.2)
    raise AssertionError(f"events never arrived; the store has: {json.dumps(events, indent=1)}")


def test_slots_swap_and_events_reach_the_store_with_the_decision_id(page, catalog, site, artifacts):
    url = site.page("slots", _endpoint(catalog), site_key=catalog.public_key, content_id="7", timeout=PATIENT)
    page.goto(url + "?utm_source=news")
    page.wait_for_function("window.__t.decision !== undefined", timeout=10_000)
    assert page.inner_text("#hero").strip() == "Variant thirteen: the newsletter", "pinned by the rule"
    assert page.locator("#hero .default").count() == 0
    links = page.locator("#more li a")
    assert 1 <= links.count() <= 3
    assert page.locator("#more .default").count() == 0
    for href in links.evaluate_all("els => els.map(a => a.href)"):
        assert href.startswith(site.origin + "/post/"), href
    assert page.evaluate("getComputedStyle(document.getElementById('hero')).visibility") == "visible"
    page.screenshot(path=str(artifacts / "after-personalized.png"), full_page=True)

    decision_id = page.evaluate("window.__t.decision.decision_id")
    visitor_id = page.evaluate("localStorage.getItem('pertinent_vid')")
    assert visitor_id and decision_id
    first_href = links.first.get_attribute("href")
    shown_ids = page.locator("#more li").evaluate_all(
        "els => els.map(li => li.getAttribute('data-pertinent-content-id'))")
    page.wait_for_timeout(1500)  # both slots are on screen: a second makes an impression
    links.first.click()
    page.wait_for_url(first_href if first_href.startswith("http") else site.origin + first_href)

    def complete(events):
        types = {e["type"] for e in events}
        return {"view", "impression", "click", "conversion"} <= types

    events = _wait_for_events(catalog, visitor_id, complete)
    clicks = [e for e in events if e["type"] == "click"]
    assert [(c["slot"], c["decision_id"], c["content_id"]) for c in clicks] == [
        ("more", decision_id, shown_ids[0])]
    hero_impressions = [e for e in events if e["type"] == "impression" and e["slot"] == "hero"]
    assert [(e["decision_id"], e["content_id"]) for e in hero_impressions] == [(decision_id, "13")]
    more_impressions = {e["content_id"] for e in events if e["type"] == "impression" and e["slot"] == "more"}
    assert more_impressions == set(shown_ids)
    views = [e for e in events if e["type"] == "view"]
    assert views and views[0]["content_id"] == "7"
    conversions = [e for e in events if e["type"] == "conversion"]
    assert [(c["content_id"], c["value"]) for c in conversions] == [("newsletter", 1.0)], \
        "the call made through the stub before the snippet loaded was kept"
    _no_console_output(page)


def test_sidecar_down_leaves_the_defaults(page, site, artifacts):
    url = site.page("slots", f"http://127.0.0.1:{free_port()}/v1", site_key="k")
    page.goto(url)
    page.wait_for_timeout(800)
    assert page.inner_text("#hero .default") == "Default hero: our spring catalogue"
    assert page.inner_text("#more").strip() == "Default reading list"
    assert page.evaluate("getComputedStyle(document.getElementById('hero')).visibility") == "visible"
    page.screenshot(path=str(artifacts / "before-defaults.png"), full_page=True)
    _no_console_output(page)


def test_a_hung_sidecar_times_out_and_the_defaults_stay(page, site):
    silent = SilentServer()
    try:
        page.goto(site.page("slots", silent.url + "/v1", site_key="k", timeout=300))
        page.wait_for_timeout(1200)
        assert silent.accepted >= 1, "the snippet did ask"
        assert page.inner_text("#hero .default") == "Default hero: our spring catalogue"
        assert page.inner_text("#more").strip() == "Default reading list"
        assert page.evaluate("window.__t.decision") is None
        _no_console_output(page)
    finally:
        silent.close()


def test_an_answer_arriving_after_the_timeout_is_ignored(page, site, catalog):
    decision = {"decision_id": "late", "arm": "model", "slots": {
        "hero": {"kind": "banner", "content_ids": ["12"], "items": [], "source": "model"}}}
    slow = FakeSidecar(decision, site.origin, delay=1.0)
    try:
        page.goto(site.page("slots", slow.endpoint, site_key="k", timeout=300))
        page.wait_for_timeout(1800)
        assert [r["path"].split("?")[0] for r in slow.requests][:1] == ["/v1/decide"]
        assert page.inner_text("#hero .default") == "Default hero: our spring catalogue"
    finally:
        slow.close()


def test_anti_flicker_hides_with_space_kept_and_reveals_within_the_budget(page, site):
    silent = SilentServer()
    try:
        # The request may take 5 s; the slot must not wait for it beyond its 300 ms budget.
        page.goto(site.page("slots", silent.url + "/v1", site_key="k", timeout=5000, antiflicker=300))
        page.wait_for_function("getComputedStyle(document.getElementById('hero')).visibility === 'visible'",
                               timeout=3000)
        changes = page.evaluate("window.__vis")
        assert [v for _, v in changes] == ["hidden", ""], changes
        print(f"anti-flicker: hero hidden for {changes[1][0] - changes[0][0]:.0f} ms (budget 300 ms)")
        assert page.evaluate("document.getElementById('hero').getBoundingClientRect().height") > 0
        assert page.evaluate("window.__t.decision") is None, "revealed while the request was still pending"
    finally:
        silent.close()


def _assert_not_executed(page):
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned") is None
    for slot in ("#hero", "#more"):
        assert page.locator(f"{slot} img, {slot} script, {slot} b, {slot} iframe").count() == 0


def test_hostile_titles_and_urls_from_the_sidecar_are_text_not_markup(page, catalog, site):
    page.goto(site.page("malicious", _endpoint(catalog), site_key=catalog.public_key, timeout=PATIENT))
    page.wait_for_function("document.querySelector('#more li') !== null", timeout=10_000)
    _assert_not_executed(page)
    texts = page.locator("#more li a").all_inner_texts()
    assert HOSTILE_TITLE_IMG in texts and HOSTILE_TITLE_SCRIPT in texts, "shown as text, literally"
    hrefs = page.locator("#more a").evaluate_all("els => els.map(a => a.href)")
    assert not any(h.lower().startswith("javascript:") for h in hrefs), hrefs
    assert "A javascript link" not in page.inner_text("#more")
    _no_console_output(page)


def test_html_from_a_cross_origin_endpoint_is_never_inserted(page, site):
    decision = {"decision_id": "evil", "arm": "model", "slots": {
        "hero": {"kind": "banner", "content_ids": ["12"], "items": [], "source": "model",
                 "html": "<img src=x onerror=\"window.__pwned='hero-html'\">"},
        "more": {"kind": "recommendations", "source": "model", "content_ids": ["a", "b", "c"],
                 "html": "<img src=x onerror=\"window.__pwned='more-html'\">",
                 "items": [{"id": "a", "title": "<b>bold</b>", "url": "javascript:window.__pwned='a'"},
                           {"id": "b", "title": "Elsewhere", "url": "https://evil.example/b"},
                           {"id": "c", "title": HOSTILE_TITLE_IMG, "url": "/post/c"}]}}}
    fake = FakeSidecar(decision, site.origin)
    try:
        page.goto(site.page("malicious", fake.endpoint, site_key="k", timeout=PATIENT))
        page.wait_for_function("document.querySelector('#more li') !== null", timeout=10_000)
        _assert_not_executed(page)
        assert page.inner_text("#hero").strip() == "Variant twelve: free delivery", "the page's own template"
        assert page.locator("#more li a").all_inner_texts() == [HOSTILE_TITLE_IMG]
        assert page.locator("#more li a").get_attribute("href") == site.origin + "/post/c"
        decide = [r for r in fake.requests if r["path"].startswith("/v1/decide")]
        assert len(decide) == 1, "one request for all slots"
        assert decide[0]["content_type"].startswith("text/plain"), "a simple request"
        assert "key=k" in decide[0]["path"]
        assert [r for r in fake.requests if r["method"] == "OPTIONS"] == [], "no CORS preflight"
        assert {s["name"] for s in json.loads(decide[0]["body"])["slots"]} == {"hero", "more"}
    finally:
        fake.close()


def test_a_same_origin_proxy_fragment_is_used(page, site):
    site.proxy_decision = {"decision_id": "wp", "arm": "model", "slots": {
        "more": {"kind": "recommendations", "source": "model", "content_ids": ["1"], "items": [],
                 "html": '<ul class="from-proxy"><li><a href="/post/1">Escaped by the plugin</a></li></ul>'}}}
    try:
        page.goto(site.page("malicious", "/proxy/v1", timeout=PATIENT))
        page.wait_for_selector("#more .from-proxy", timeout=10_000)
        assert page.inner_text("#more").strip() == "Escaped by the plugin"
    finally:
        site.proxy_decision = None


def test_without_consent_nothing_is_stored_until_the_visitor_agrees(page, catalog, site):
    url = site.page("slots", _endpoint(catalog), site_key=catalog.public_key, require_consent=True,
                    timeout=PATIENT)
    page.goto(url + "?utm_source=news")
    page.wait_for_function("window.__t.decision !== undefined", timeout=10_000)
    assert page.inner_text("#hero").strip() == "Variant thirteen: the newsletter", \
        "the page context still personalizes"
    assert page.evaluate("localStorage.getItem('pertinent_vid')") is None
    assert page.evaluate("document.cookie") == ""
    assert page.evaluate("sessionStorage.length") == 0
    page.evaluate("pertinent('consent', true)")
    page.evaluate("pertinent('track', 'view', {content_id: '3'}); pertinent('flush')")
    visitor_id = page.evaluate("localStorage.getItem('pertinent_vid')")
    assert visitor_id
    events = _wait_for_events(catalog, visitor_id, lambda ev: len(ev) >= 1)
    assert [(e["type"], e["content_id"]) for e in events] == [("view", "3")]


def test_single_page_navigation_is_a_new_view_with_its_own_decision(page, catalog, site):
    page.goto(site.page("spa", _endpoint(catalog), site_key=catalog.public_key, timeout=PATIENT))
    page.wait_for_function("window.__decisions.length === 1", timeout=10_000)
    assert page.locator("#more li a").count() == 2
    visitor_id = page.evaluate("localStorage.getItem('pertinent_vid')")
    page.click("#go")
    page.wait_for_function("window.__decisions.length === 2", timeout=10_000)
    assert page.locator("#next li a").count() == 2, "the new view's slot was decided too"
    first, second = page.evaluate("window.__decisions.map(d => d.decision_id)")
    assert first != second
    # Leaving the first view sent its dwell and the second view's page view is queued; flush it.
    page.evaluate("pertinent('flush')")
    events = _wait_for_events(catalog, visitor_id, lambda ev: sum(e["type"] == "view" for e in ev) >= 2)
    assert any(e["type"] == "dwell" and e["value"] > 0 for e in events), "the first view's dwell time"
    views = [e for e in events if e["type"] == "view"]
    assert len({e["session_id"] for e in views}) == 1, "one tab, one session"
    assert all(e["url_path"].endswith("/spa.html") for e in views)


def test_do_not_track_is_honoured_when_the_site_asks(page, catalog, site):
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'doNotTrack', {get: () => '1'})")
    url = site.page("slots", _endpoint(catalog), site_key=catalog.public_key, respect_dnt=True,
                    timeout=PATIENT)
    page.goto(url + "?utm_source=news")
    page.wait_for_function("window.__t.decision !== undefined", timeout=10_000)
    assert page.inner_text("#hero").strip() == "Variant thirteen: the newsletter"
    assert page.evaluate("[localStorage.length, sessionStorage.length, document.cookie]") == [0, 0, ""]


def test_blocked_local_storage_falls_back_to_a_first_party_cookie(page, catalog, site):
    page.add_init_script("Object.defineProperty(window, 'localStorage', "
                         "{get() { throw new DOMException('blocked', 'SecurityError'); }})")
    url = site.page("slots", _endpoint(catalog), site_key=catalog.public_key, timeout=PATIENT)
    page.goto(url + "?utm_source=news")
    page.wait_for_function("window.__t.decision !== undefined", timeout=10_000)
    assert page.inner_text("#hero").strip() == "Variant thirteen: the newsletter"
    cookie = page.evaluate("document.cookie")
    assert "pertinent_vid=" in cookie
    visitor_id = cookie.split("pertinent_vid=")[1].split(";")[0]
    page.evaluate("pertinent('track', 'view', {content_id: '2'}); pertinent('flush')")
    events = _wait_for_events(catalog, visitor_id, lambda ev: any(e["content_id"] == "2" for e in ev))
    assert events
    _no_console_output(page)
