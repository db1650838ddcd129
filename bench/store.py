"""Store speed on this machine: event insert throughput and visitor-history latency, SQLite vs PostgreSQL.

Prints numbers, never fails on speed. `make bench` calls `run()`; `python -m bench.store` runs it alone.
"""
from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone

from pertinent.domain import Event
from pertinent.store import open_store

EVENTS = 100_000
BATCH = 500
LOOKUPS = 2_000
VISITORS = 5_000
CONTENT = 1_000
POSTGRES_URL = os.environ.get("PERTINENT_BENCH_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/pertinent_test")
TYPES = ("impression",) * 5 + ("view",) * 3 + ("dwell", "click")


def _events(seed: int = 1) -> list[Event]:
    """A month of synthetic traffic: many visitors, a skewed catalog, a realistic type mix."""
    rng = random.Random(seed)
    start = datetime.now(timezone.utc) - timedelta(days=30)
    out = []
    for _ in range(EVENTS):
        kind = "conversion" if rng.random() < 0.01 else rng.choice(TYPES)
        out.append(Event(type=kind, visitor_id=f"v{rng.randrange(VISITORS)}",
                         timestamp=start + timedelta(seconds=rng.uniform(0, 30 * 86400)),
                         content_id=str(int(rng.paretovariate(1.2)) % CONTENT),
                         session_id=f"s{rng.randrange(10**6)}",
                         device=rng.choice(("desktop", "mobile", "tablet")), referrer="www.google.com"))
    return out


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(url: str) -> dict:
    """Insert EVENTS in batches of BATCH, then time LOOKUPS history reads and a few other queries."""
    store = open_store(url)
    store.ping()
    events = _events()
    began = time.perf_counter()
    for i in range(0, len(events), BATCH):
        store.add_events(events[i:i + BATCH])
    insert_s = time.perf_counter() - began
    rng = random.Random(2)
    latencies = []
    for _ in range(LOOKUPS):
        visitor = f"v{rng.randrange(VISITORS)}"
        t = time.perf_counter()
        store.visitor_history(visitor, limit=50)
        latencies.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    store.popular_content(datetime.now(timezone.utc) - timedelta(days=7), limit=100)
    popular_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    scanned = sum(len(b) for b in store.iter_events(batch_size=50_000))
    scan_s = time.perf_counter() - t
    store.close()
    return {"insert_per_s": EVENTS / insert_s, "history_p50_ms": statistics.median(latencies),
            "history_p99_ms": _percentile(latencies, 0.99), "popular_7d_ms": popular_ms,
            "iter_per_s": scanned / scan_s}


def _report(name: str, r: dict) -> None:
    print(f"  {name:<10} insert {r['insert_per_s']:>9,.0f} events/s (batches of {BATCH})   "
          f"visitor_history p50 {r['history_p50_ms']:.3f} ms  p99 {r['history_p99_ms']:.3f} ms")
    print(f"  {'':<10} popular_content(7 days) {r['popular_7d_ms']:.1f} ms   "
          f"iter_events {r['iter_per_s']:>9,.0f} events/s")


def run() -> dict:
    """Both backends, one after the other; a backend that is down is reported, not fatal."""
    print(f"store: {EVENTS:,} events, {VISITORS:,} visitors; {LOOKUPS:,} history lookups (limit 50)")
    results = {}
    with tempfile.TemporaryDirectory(prefix="pertinent-bench-") as tmp:
        results["sqlite"] = measure(f"sqlite:///{tmp}/bench.db")
        _report("sqlite", results["sqlite"])
    schema = f"pt_bench_{uuid.uuid4().hex[:10]}"
    try:
        results["postgresql"] = measure(f"{POSTGRES_URL}?schema={schema}")
        _report("postgresql", results["postgresql"])
    except Exception as exc:  # the benchmark reports an absent server instead of dying
        print(f"  postgresql unavailable at {POSTGRES_URL}: {exc}")
    finally:
        _drop_schema(schema)
    return results


def _drop_schema(schema: str) -> None:
    try:
        import psycopg
        with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    except Exception:  # nothing to clean when the server was never reached
        pass


if __name__ == "__main__":
    run()
