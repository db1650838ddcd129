"""What the events stream costs and carries: POST /v1/events latency per batch straight into the store
vs through NATS JetStream (PERTINENT_EVENTS_URL), both on one PostgreSQL, under gunicorn; then how fast
`pertinent ingest` drains the stream into the store.

Prints numbers, never fails on speed. `make bench` calls `run()`; `python -m bench ingest` runs it alone.
"""
from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

from bench._sidecar import BenchSidecar
from bench.store import POSTGRES_URL, _drop_schema

NATS_URL = os.environ.get("PERTINENT_BENCH_NATS_URL", "nats://127.0.0.1:4222")
BATCHES = 300
WARMUP = 20
PER_BATCH = 50
WORKERS = 2
# Modes alternate, so a neighbour's load on this shared machine does not land on one mode only.
ROUNDS = 2
IDLE_S = 1.0


def _batch(n: int) -> dict:
    t0 = datetime.now(timezone.utc) - timedelta(hours=1)
    return {"events": [{"type": "view", "visitor_id": f"v{(n * PER_BATCH + i) % 5000}",
                        "content_id": f"p{i % 90}", "session_id": f"s{n}",
                        "timestamp": (t0 + timedelta(milliseconds=n * PER_BATCH + i)).isoformat(),
                        "context": {"device": "mobile", "url": "https://site.example/blog/post"}}
                       for i in range(PER_BATCH)]}


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _post_batches(sidecar: BenchSidecar) -> list[float]:
    """Milliseconds per POST of PER_BATCH events, one client, keep-alive; every answer must be a 202."""
    session = requests.Session()
    for n in range(WARMUP):  # warm-up: connections, the publisher's loop, the store's schema
        session.post(sidecar.url + "/v1/events", json=_batch(10_000 + n), headers=sidecar.headers, timeout=30)
    latencies = []
    for n in range(BATCHES):
        began = time.perf_counter()
        answer = session.post(sidecar.url + "/v1/events", json=_batch(n), headers=sidecar.headers, timeout=30)
        latencies.append((time.perf_counter() - began) * 1000)
        if answer.status_code != 202:
            raise RuntimeError(f"POST /v1/events answered {answer.status_code}: {answer.text[:200]}")
    return latencies


def _drain(store_url: str, events_url: str) -> tuple[float, object]:
    """Seconds one consumer (default batch) took to write the stream into the store, idle wait not counted."""
    import asyncio

    from pertinent.ingest.consumer import Ingestor
    from pertinent.ingest.url import parse_events_url
    from pertinent.store import open_store

    store = open_store(store_url)
    ingestor = Ingestor(parse_events_url(events_url), store)
    began = time.perf_counter()
    totals = asyncio.run(ingestor.run(asyncio.Event(), idle_exit=IDLE_S))
    took = time.perf_counter() - began - IDLE_S
    store.close()
    return took, totals


def run() -> dict:
    schema = f"pt_bench_ingest_{uuid.uuid4().hex[:10]}"
    stream = f"pt-bench-{uuid.uuid4().hex[:10]}"
    store_url = f"{POSTGRES_URL}?schema={schema}"
    events_url = f"{NATS_URL}/{stream}"
    print(f"ingest: {BATCHES} POST /v1/events of {PER_BATCH} events each, one client, {WORKERS} gunicorn "
          f"workers, PostgreSQL store; {ROUNDS} interleaved rounds")
    results: dict = {"store": [], "stream": []}
    try:
        with tempfile.TemporaryDirectory(prefix="pertinent-bench-") as tmp:
            root = Path(tmp)
            for round_ in range(ROUNDS):
                for mode, extra in (("store", {}), ("stream", {"PERTINENT_EVENTS_URL": events_url})):
                    env = {"PERTINENT_STORE_URL": store_url, "PERTINENT_CACHE_URL": "memory://", **extra}
                    with BenchSidecar(root / f"{mode}{round_}", workers=WORKERS, env=env) as sidecar:
                        lat = _post_batches(sidecar)
                    row = {"p50": statistics.median(lat), "p99": _percentile(lat, 0.99),
                           "mean": statistics.fmean(lat)}
                    results[mode].append(row)
                    label = f"{mode} ({'PERTINENT_EVENTS_URL' if extra else 'direct'}), round {round_ + 1}"
                    print(f"  {label:<38} p50 {row['p50']:6.2f} ms  p99 {row['p99']:6.2f} ms  "
                          f"mean {row['mean']:6.2f} ms")
            added = {k: statistics.median(r[k] for r in results["stream"])
                     - statistics.median(r[k] for r in results["store"]) for k in ("p50", "p99", "mean")}
            results["added"] = added
            print(f"  {'stream minus direct (median of rounds)':<38} p50 {added['p50']:+6.2f} ms  "
                  f"p99 {added['p99']:+6.2f} ms  mean {added['mean']:+6.2f} ms per batch of {PER_BATCH}")
            total = ROUNDS * (BATCHES + WARMUP) * PER_BATCH
            took, totals = _drain(store_url, events_url)
            results["ingest_per_s"] = totals.written / took
            print(f"  pertinent ingest (one consumer, in process): {totals.written:,} of {total:,} events "
                  f"from {totals.messages:,} messages into PostgreSQL in {took:.2f} s "
                  f"({totals.written / took:,.0f} events/s)")
    finally:
        _drop_schema(schema)
        _delete_stream(stream)
    return results


def _delete_stream(stream: str) -> None:
    import asyncio

    async def delete():
        import nats
        nc = await nats.connect(NATS_URL, connect_timeout=2, allow_reconnect=False, max_reconnect_attempts=1)
        try:
            await nc.jetstream().delete_stream(stream)
        finally:
            await nc.close()
    try:
        asyncio.run(delete())
    except Exception:  # nothing to clean when the server was never reached or nothing was published
        pass


if __name__ == "__main__":
    run()
