"""The fallback load generator when wrk cannot be installed: N processes, one connection each."""
from __future__ import annotations

import http.client
import time
from multiprocessing import Pool
from urllib.parse import urlsplit

import numpy as np

from bench._load import LoadResult


def _worker(args) -> tuple[list[float], int, int]:
    url, key, mode, seconds, body, visitors, items, offset = args
    parts = urlsplit(url)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    # A "cold" (visitor, page) pair repeats only when counters differ by a multiple of 2,000,000 (visitors
    # x items / gcd); wrk's counters start at multiples of 1,000,000, so ours start 777,777 past one.
    latencies, errors, hits, counter = [], 0, 0, offset * 1_000_000 + 777_777
    deadline = time.perf_counter() + seconds
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    while time.perf_counter() < deadline:
        counter += 1
        payload = body
        if mode == "cold":
            v, c = counter % visitors, (counter + counter // visitors) % items
            payload = body.replace("VISITOR", f"v{v}").replace("CONTENT", f"c{c}")
        started = time.perf_counter()
        try:
            if mode == "floor":
                conn.request("GET", "/v1/_floor", headers=headers)
            else:
                conn.request("POST", "/v1/decide", body=payload, headers=headers)
            answer = conn.getresponse()
            data = answer.read()
            if answer.status >= 300:
                errors += 1
            hits += b'"cached":true' in data
            if answer.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
        latencies.append(time.perf_counter() - started)
    return latencies, errors, hits


def run_python(url: str, key: str, mode: str, seconds: float, connections: int, body: str = "",
               visitors: int = 1, items: int = 1) -> LoadResult:
    jobs = [(url, key, mode, seconds, body, visitors, items, i + 1) for i in range(connections)]
    with Pool(connections) as pool:
        parts = pool.map(_worker, jobs)
    latencies = np.array([x for p in parts for x in p[0]]) * 1000
    errors, hits = sum(p[1] for p in parts), sum(p[2] for p in parts)
    p50, p95, p99 = (float(np.percentile(latencies, q)) for q in (50, 95, 99))
    share = hits / len(latencies) if mode != "floor" and len(latencies) else None
    return LoadResult(p50, p95, p99, float(latencies.mean()), len(latencies) / seconds, errors, share)

