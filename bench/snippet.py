"""The snippet's budgets: size (raw, minified, gzipped), time from DOMContentLoaded to swapped slots
against a local sidecar (median of 20 loads in headless Chromium), and requests per page.

Prints numbers, never fails on speed. `make bench` calls `run()`; `python -m bench snippet` runs it alone.
"""
from __future__ import annotations

import gzip
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.chromium import launch
from tests.browser.servers import FixtureSite
from tests.sdk.sidecar import running_sidecar

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "sdk" / "js"
LOADS = 20


def sizes(name: str = "pertinent.min.js") -> dict:
    """Source bytes (all modules, comments included), a built part minified, and that part gzipped."""
    raw = sum(len(p.read_bytes()) for p in (JS / "src").glob("*.js"))
    minified = (JS / "dist" / name).read_bytes()
    return {"raw": raw, "min": len(minified), "gzip": len(gzip.compress(minified, compresslevel=9))}


def _catalog(sidecar, origin: str) -> None:
    sidecar.put_content("12", title="Free delivery", url="/offer/12", type="variant")
    sidecar.put_content("13", title="Newsletter", url="/offer/13", type="variant")
    for n in range(1, 30):
        sidecar.put_content(str(n), title=f"Post {n}", url=f"{origin}/post/{n}", type="post")


def _requests_by_route(sidecar) -> dict[tuple[str, str], float]:
    """Requests the sidecar answered so far, per (route, method): its /metrics counter, over all workers."""
    from prometheus_client.parser import text_string_to_metric_families

    totals: dict[tuple[str, str], float] = {}
    for family in text_string_to_metric_families(sidecar.call("GET", "/metrics").text):
        if family.name != "pertinent_requests":
            continue
        for sample in family.samples:
            if sample.name.endswith("_total"):
                key = (sample.labels.get("route", ""), sample.labels.get("method", ""))
                totals[key] = totals.get(key, 0.0) + sample.value
    return totals


def page_loads(browser, url: str) -> list[float]:
    """Load the page LOADS times as new visitors: ms from DOMContentLoaded to the swapped slots each time
    (the fixture's tag is the tracker alone, so this includes fetching the slots part it loads lazily).

    Each visit stays a second and a half (impressions) and then leaves, which sends the queued events.
    """
    times = []
    for _ in range(LOADS):
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("window.__t.decided !== undefined", timeout=10_000)
        times.append(page.evaluate("Math.max(0, window.__t.decided - window.__t.dcl)"))
        page.wait_for_timeout(1500)
        page.goto("about:blank")
        context.close()
    return times


def run() -> None:
    s, slots = sizes(), sizes("pertinent-slots.min.js")
    print(f"snippet size: raw {s['raw']} B (src/, with comments); every page (tracker): "
          f"minified {s['min']} B, "
          f"gzipped {s['gzip']} B (budget < 3000 B); slots part, only where there are slots: minified "
          f"{slots['min']} B, gzipped {slots['gzip']} B")
    site = FixtureSite()
    try:
        with tempfile.TemporaryDirectory() as tmp, running_sidecar(Path(tmp), (site.origin,)) as sidecar, \
                sync_playwright() as p:
            _catalog(sidecar, site.origin)
            url = site.page("slots", sidecar.url + "/v1", site_key=sidecar.public_key, content_id="7",
                            timeout=5000)
            browser = launch(p)
            before = _requests_by_route(sidecar)
            try:
                times = page_loads(browser, url)
            finally:
                browser.close()
            time.sleep(1.0)  # the last beacons are in flight
            after = _requests_by_route(sidecar)
    finally:
        site.close()
    q = statistics.quantiles(times, n=10)
    print(f"DOMContentLoaded -> slots swapped, {LOADS} loads (new visitor each, local sidecar, 2 gunicorn "
          f"workers): median {statistics.median(times):.1f} ms, p10 {q[0]:.1f} ms, p90 {q[-1]:.1f} ms, "
          f"max {max(times):.1f} ms")
    per_page = {key: (after.get(key, 0) - before.get(key, 0)) / LOADS for key in set(after) | set(before)}
    decide, events = per_page.get(("/v1/decide", "POST"), 0), per_page.get(("/v1/events", "POST"), 0)
    preflights = sum(v for (_, method), v in per_page.items() if method == "OPTIONS")
    print(f"requests per page (the sidecar's own count over {LOADS} visits): decide {decide:.2f}, "
          f"events batches {events:.2f}, CORS preflights {preflights:.2f}")

if __name__ == "__main__":
    run()
