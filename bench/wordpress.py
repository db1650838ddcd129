"""WordPress page render time with three personalized slots versus the same page with the plugin inactive:
healthy sidecar, hung sidecar (first pages, each waiting for the timeout), hung sidecar with the circuit open.

Prints numbers, never fails on speed. `make bench` calls `run()`; `python -m bench.wordpress` runs it alone.
Uses the same provisioning as the tests (scripts/wp/site.sh) on free ports under var/.
"""
from __future__ import annotations

import statistics
import time

import requests

from tests.support.net import SilentServer
from tests.wordpress.harness import (
    Sidecar,
    WordPressSite,
    seed_site,
    wait_for_rules,
    wordpress_available,
)

PAGE = "/three-slots/"
TIMEOUT_MS = 150
HUNG_FIRST = f"hung sidecar, first pages ({TIMEOUT_MS} ms timeout)"
SCENARIOS = ("plugin inactive", "healthy sidecar", HUNG_FIRST, "hung sidecar, circuit open")


def _times(url: str, n: int) -> list[float]:
    """Wall time of n sequential page loads in ms (a new visitor each time: no cookies kept)."""
    out = []
    for _ in range(n):
        start = time.perf_counter()
        resp = requests.get(url, timeout=30)
        out.append((time.perf_counter() - start) * 1000)
        resp.raise_for_status()
    return out


def _row(name: str, samples: list[float], base: float | None) -> tuple:
    median = statistics.median(samples)
    p90 = sorted(samples)[int(0.9 * (len(samples) - 1))]
    return (name, len(samples), median, p90, None if base is None else median - base)


def measure(site: WordPressSite, sidecar: Sidecar, rounds: int = 5, per_round: int = 6) -> list[tuple]:
    """The four scenarios, interleaved in rounds so that load from other processes on this shared machine
    falls on all of them alike. The plugin is left active and pointed at the healthy sidecar afterwards."""
    url = site.url + PAGE
    samples: dict[str, list[float]] = {name: [] for name in SCENARIOS}
    hung = SilentServer()
    try:
        for _ in range(rounds):
            site.php("deactivate_plugins('pertinent/pertinent.php');")
            _times(url, 2)  # warm after the switch
            samples["plugin inactive"] += _times(url, per_round)

            site.php("activate_plugin('pertinent/pertinent.php');")
            site.configure(sidecar_url=sidecar.url, api_key=sidecar.api_key, render_mode="server",
                           timeout_ms=TIMEOUT_MS, breaker_threshold=3, breaker_cooldown=30)
            _times(url, 2)
            samples["healthy sidecar"] += _times(url, per_round)

            # A threshold not reached here: every page pays the timeout, as the first pages after a hang.
            site.configure(sidecar_url=hung.url, breaker_threshold=100)
            samples[HUNG_FIRST] += _times(url, 2)

            site.configure(sidecar_url=hung.url, breaker_threshold=3, breaker_cooldown=600)
            _times(url, 3)  # three failures open the circuit
            samples["hung sidecar, circuit open"] += _times(url, per_round)
    finally:
        hung.close()
        site.configure(sidecar_url=sidecar.url, breaker_threshold=3, breaker_cooldown=30)
    base = statistics.median(samples["plugin inactive"])
    return [_row(name, samples[name], None if name == "plugin inactive" else base) for name in SCENARIOS]


def print_table(rows: list[tuple]) -> None:
    print(f"{'page with three slots':<42} {'n':>4} {'median ms':>10} {'p90 ms':>8} {'overhead ms':>12}")
    for name, n, median, p90, overhead in rows:
        extra = "" if overhead is None else f"{overhead:>12.1f}"
        print(f"{name:<42} {n:>4} {median:>10.1f} {p90:>8.1f} {extra}")
    print(f"budgets: healthy < 10 ms overhead; hung <= {TIMEOUT_MS} + 10 ms on first pages; < 2 ms with the "
          "circuit open (php -S with OPcache, one request at a time, a new visitor per page)")


def run() -> list[tuple] | None:
    reason = wordpress_available()
    if reason:
        print(f"bench wordpress: skipped: {reason}")
        return None
    sidecar = Sidecar().start()
    site = WordPressSite()
    try:
        site.up()
        site.configure(sidecar_url=sidecar.url, api_key=sidecar.api_key, render_mode="server",
                       timeout_ms=TIMEOUT_MS)
        seed = seed_site(site)
        wait_for_rules(sidecar, seed["banner"])
        rows = measure(site, sidecar)
        print_table(rows)
        return rows
    finally:
        site.down()
        sidecar.remove()


if __name__ == "__main__":
    run()
