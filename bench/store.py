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

from pertinent.cache import open_cache
from pertinent.domain import Event
from pertinent.store import open_store

EVENTS = 100_000
BATCH = 500
LOOKUPS = 2_000
VISITORS = 5_000
CONTENT = 1_000
CACHE_OPS = 5_000
REDIS_URL = os.environ.get("PERTINENT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
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


def measure_cache(url: str) -> dict:
    """Latency of what a cached decision costs: generation read + get (hit), and set after a miss."""
    cache = open_cache(url)
    cache.ping()
    value = {"decision_id": "d" * 32, "model_version": "v1", "arm": "model", "ttl": 300, "cached": False,
             "slots": {f"slot{i}": {"kind": "recommendations", "content_ids": [str(n) for n in range(6)],
                                    "scores": [0.5] * 6, "source": "model", "reason": "like what you read",
                                    "items": [{"id": str(n), "title": "A title", "url": "https://e.com/p"}
                                              for n in range(6)]} for i in range(3)}}
    sets, hits = [], []
    for i in range(CACHE_OPS):
        t = time.perf_counter()
        cache.set(f"decision:v{i}:0", value, 60)
        sets.append((time.perf_counter() - t) * 1000)
    for i in range(CACHE_OPS):
        t = time.perf_counter()
        cache.get(f"decision:v{i}:{cache.generation(f'v{i}')}")
        hits.append((time.perf_counter() - t) * 1000)
    cache.close()
    return {"hit_p50_ms": statistics.median(hits), "hit_p99_ms": _percentile(hits, 0.99),
            "set_p50_ms": statistics.median(sets), "set_p99_ms": _percentile(sets, 0.99)}


def run_caches() -> dict:
    """Decision-cache latency per backend (a 3-slot decision, ~1.5 KB of JSON)."""
    print(f"cache: {CACHE_OPS:,} sets then {CACHE_OPS:,} generation+get hits")
    results = {}
    prefix = f"pt-bench-{uuid.uuid4().hex[:10]}:"
    with tempfile.TemporaryDirectory(prefix="pertinent-bench-") as tmp:
        for name, url in (("memory", "memory://"), ("diskcache", f"diskcache:///{tmp}/cache"),
                          ("redis", f"{REDIS_URL}?prefix={prefix}")):
            try:
                r = results[name] = measure_cache(url)
            except Exception as exc:  # an absent server is reported, not fatal
                print(f"  {name:<10} unavailable: {exc}")
                continue
            print(f"  {name:<10} hit p50 {r['hit_p50_ms']:.3f} ms  p99 {r['hit_p99_ms']:.3f} ms   "
                  f"set p50 {r['set_p50_ms']:.3f} ms  p99 {r['set_p99_ms']:.3f} ms")
    _drop_redis_keys(prefix)
    return results


def _drop_redis_keys(prefix: str) -> None:
    try:
        import redis
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        for key in client.scan_iter(match=prefix + "*", count=1000):
            client.delete(key)
    except Exception:  # nothing to clean when the server was never reached
        pass


def run() -> dict:
    """Stores (both backends, one after the other), then caches; a backend that is down is reported."""
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
    results["cache"] = run_caches()
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
