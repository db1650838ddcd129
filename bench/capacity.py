"""Capacity under sustained load: open-loop traffic at rising rates against the demo model set, two
gunicorn workers, in the shares a site sends (half decides with a banner, a call-to-action and
recommendations; 30% event batches; 20% recommendation calls). For each rate: p50/p99 as the client saw
them (from when each request was due, bench/_openloop.py) and as the sidecar measured them (its own
request-duration histogram, read from /metrics before and after), and the highest rate whose client p99
stays under 50 ms, next to the same figure for the bare route (GET /v1/_floor) in the same run.

On a machine with two or more cores the sidecar is pinned to core 0 and the load generator to core 1
(sched_setaffinity, what `taskset` does), so the generator does not steal the server's CPU; the table
says which. BENCH_CAPACITY_SECONDS sets the length of each step (default 10 s).
"""
from __future__ import annotations

import json
import math
import os
import random
import tempfile
from pathlib import Path

import requests
from pertinent.modelset.writer import live_version
from prometheus_client.parser import text_string_to_metric_families

from bench._openloop import Request, http_request, run_open_loop
from bench._sidecar import API_KEY, BenchSidecar

RATES = (50, 100, 200, 300, 400, 600, 800, 1200, 1600)
FLOOR_RATES = (200, 400, 800, 1200, 1600, 2400, 3200)
SECONDS = float(os.environ.get("BENCH_CAPACITY_SECONDS", "10"))
TARGET_P99_MS = 50.0
WORKERS = 2
ROUTES = {"decide": "/v1/decide", "events": "/v1/events", "recommendations": "/v1/recommendations"}


def prepare_site(root: Path) -> dict:
    """The demo site, trained through the real pipeline, its catalog and events in the sidecar's store."""
    from pertinent.demo.generator import generate, to_domain
    from pertinent.store import open_store
    from pertinent.training.pipeline import train_from_files

    site = generate(root / "site")
    train_from_files(site["events_path"], site["content_path"], root / "models", force=True,
                     progress=lambda _: None)
    items, events = to_domain(root / "site")
    (root / "data").mkdir(parents=True, exist_ok=True)
    store = open_store(f"sqlite:///{(root / 'data' / 'pertinent.db').resolve()}")
    try:
        store.upsert_content(items)
        store.add_events(events)
    finally:
        store.close()
    return {"posts": [i.id for i in items if i.type not in ("banner", "cta")],
            "banners": [i.id for i in items if i.type == "banner"],
            "ctas": [i.id for i in items if i.type == "cta"],
            "visitors": sorted({e.visitor_id for e in events})}


def traffic(site: dict, host: str, n: int = 4000, seed: int = 5) -> list[Request]:
    """Decides, event batches and recommendation calls for many visitors and pages; one in five visitors
    is new (no history), as on a site where most traffic returns."""
    rng = random.Random(seed)
    auth = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}

    def visitor() -> str:
        return rng.choice(site["visitors"]) if rng.random() < 0.8 else f"new-visitor-{rng.randrange(10**9)}"

    decides, events, recs = [], [], []
    for _ in range(n):
        page, who = rng.choice(site["posts"]), visitor()
        body = {"visitor_id": who, "context": {"url": f"https://demo.example/?p={page}", "content_id": page,
                                               "device": rng.choice(("mobile", "desktop"))},
                "slots": [{"name": "hero", "kind": "banner", "candidates": site["banners"]},
                          {"name": "signup", "kind": "cta", "candidates": site["ctas"]},
                          {"name": "related", "kind": "recommendations", "count": 3}]}
        decides.append(http_request("POST", "/v1/decide", host, json.dumps(body).encode(), auth))
        batch = {"events": [{"type": rng.choice(("view", "impression", "click")), "visitor_id": who,
                             "content_id": rng.choice(site["posts"])} for _ in range(rng.randint(1, 3))]}
        events.append(http_request("POST", "/v1/events", host, json.dumps(batch).encode(), auth))
        recs.append(http_request("GET", f"/v1/recommendations?visitor_id={who}&content_id={page}&k=5", host,
                                 headers=auth))
    return [Request("decide", 0.5, tuple(decides)), Request("events", 0.3, tuple(events)),
            Request("recommendations", 0.2, tuple(recs))]


def histograms(url: str) -> dict[str, list[tuple[float, float]]]:
    """Cumulative (upper bound, count) buckets of the sidecar's request-duration histogram per route."""
    text = requests.get(url + "/metrics", headers={"Authorization": f"Bearer {API_KEY}"}, timeout=10).text
    out: dict[str, dict[float, float]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "pertinent_request_duration_seconds_bucket":
                route = sample.labels.get("route", "")
                bound = float(sample.labels["le"])
                out.setdefault(route, {}).setdefault(bound, 0.0)
                out[route][bound] += sample.value
    return {route: sorted(b.items()) for route, b in out.items()}


def quantile(before: list, after: list, q: float) -> float:
    """histogram_quantile over the difference of two scrapes, in ms (linear within a bucket)."""
    prior = dict(before)
    buckets = [(bound, count - prior.get(bound, 0.0)) for bound, count in after]
    total = buckets[-1][1] if buckets else 0.0
    if total <= 0:
        return float("nan")
    rank, low, below = q * total, 0.0, 0.0
    for bound, count in buckets:
        if count >= rank:
            if math.isinf(bound):
                return low * 1000
            return (low + (bound - low) * (rank - below) / max(count - below, 1e-12)) * 1000
        low, below = bound, count
    return low * 1000


def pin(sidecar: BenchSidecar) -> str:
    """Sidecar on the first allowed core, this generator on the second (within the cores this process
    may use: a container's cpuset need not start at 0)."""
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cores) < 2:
        return "not pinned (one core): the generator shares the server's CPU"
    for pid in [sidecar.process.pid, *sidecar.worker_pids()]:
        os.sched_setaffinity(pid, {cores[0]})
    os.sched_setaffinity(0, {cores[1]})
    return (f"sidecar pinned to core {cores[0]}, load generator to core {cores[1]} "
            "(sched_setaffinity, as taskset does)")


def step_up(sidecar: BenchSidecar, mix: list[Request], rates, routes: dict) -> list[dict]:
    """One row per rate, until the client p99 passes a second or errors pass 10% (past the knee)."""
    rows = []
    for rate in rates:
        before = histograms(sidecar.url)
        result = run_open_loop(sidecar.url, mix, rate, SECONDS)
        after = histograms(sidecar.url)
        row = {"rate": rate, "achieved": result.achieved, "errors": result.errors / max(result.sent, 1),
               "p50": result.percentile(None, 50), "p99": result.percentile(None, 99),
               "lag_p99": float(sorted(result.send_lag)[int(0.99 * (len(result.send_lag) - 1))]) * 1000
               if result.send_lag else 0.0, "load": os.getloadavg()[0]}
        for name, route in routes.items():
            row[f"{name}_p50"], row[f"{name}_p99"] = result.percentile(name, 50), result.percentile(name, 99)
            row[f"{name}_side_p50"] = quantile(before.get(route, []), after.get(route, []), 0.5)
            row[f"{name}_side_p99"] = quantile(before.get(route, []), after.get(route, []), 0.99)
        rows.append(row)
        if row["p99"] > 1000 or row["errors"] > 0.1:
            break
    return rows


def capacity(rows: list[dict]) -> float:
    """The highest offered rate the server kept up with (achieved >= 95%) at client p99 under target."""
    ok = [r["rate"] for r in rows if r["p99"] < TARGET_P99_MS and r["achieved"] >= 0.95 * r["rate"]
          and r["errors"] < 0.01]
    return float(max(ok)) if ok else 0.0


def print_rows(title: str, rows: list[dict], names: list[str]) -> None:
    print(f"\n{title}")
    cols = "".join(f" | {n} client p50/p99, sidecar p50/p99 (ms)" for n in names)
    print(f"{'offered/s':>9} {'achieved/s':>10} {'errors':>6} {'all p50':>8} {'all p99':>8} "
          f"{'send lag p99':>12} {'load':>5}{cols}")
    for r in rows:
        parts = "".join(f" | {r[f'{n}_p50']:7.1f} {r[f'{n}_p99']:7.1f}, {r[f'{n}_side_p50']:6.1f} "
                        f"{r[f'{n}_side_p99']:6.1f}" for n in names)
        print(f"{r['rate']:>9} {r['achieved']:>10.0f} {r['errors']:>6.1%} {r['p50']:>8.1f} {r['p99']:>8.1f} "
              f"{r['lag_p99']:>12.1f} {r['load']:>5.2f}{parts}")


def run() -> None:
    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    with tempfile.TemporaryDirectory(prefix="pertinent-capacity-") as tmp:
        root = Path(tmp)
        print("capacity: training the demo model set and loading the demo store (about a minute) ...")
        site = prepare_site(root)
        with BenchSidecar(root, workers=WORKERS) as sidecar:
            sidecar.wait_for_model(live_version(root / "models"))
            pinned = pin(sidecar)
            host = f"127.0.0.1:{sidecar.port}"
            floor = [Request("floor", 1.0, (http_request("GET", "/v1/_floor", host,
                                                         headers={"Authorization": f"Bearer {API_KEY}"}),))]
            floor_rows = step_up(sidecar, floor, FLOOR_RATES, {"floor": "/v1/_floor"})
            mix_rows = step_up(sidecar, traffic(site, host), RATES, ROUTES)
            rss = sidecar.peak_rss_mb()
        if allowed is not None:  # the benchmarks after this one get their cores back
            os.sched_setaffinity(0, allowed)
    print(f"\ncapacity: {WORKERS} workers, {SECONDS:.0f} s per rate, open loop; {pinned}")
    print_rows("bare route GET /v1/_floor", floor_rows, ["floor"])
    print_rows("site mix: 50% decide (banner + cta + 3 recommendations), 30% events, 20% recommendations",
               mix_rows, list(ROUTES))
    best, best_floor = capacity(mix_rows), capacity(floor_rows)
    ratio = f"{best / best_floor:.2f}" if best_floor else "n/a"
    print(f"\ncapacity at client p99 < {TARGET_P99_MS:.0f} ms: site mix {best:.0f} req/s, bare route "
          f"{best_floor:.0f} req/s (ratio {ratio}); peak RSS per worker "
          f"{', '.join(f'{m:.0f} MB' for m in rss)}")
    if best_floor and best_floor >= max(FLOOR_RATES):
        print("  (the bare route kept up at the highest rate offered: its capacity is at least that; the "
              "generator's send lag column shows whether the generator was the limit)")
