"""Model sets for many hosts: what publishing, a host's first fetch and pointer polling cost.

The shipped demo set (signed here with a throwaway key) is published once to a throwaway PostgreSQL
schema, then fetched by HOSTS fresh folders one after another (each: download, verify, rename into
place), as HOSTS sidecar hosts do when a set goes live. Pointer polls are timed next to the folder
backend's stat, which is what every sidecar process pays per pointer and reload interval.
"""
from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from pertinent.modelset.folder_sets import FolderModelSets
from pertinent.modelset.sets import LIVE
from pertinent.modelset.signing import Keyring
from pertinent.modelset.writer import live_version, sign_model_set

POSTGRES_URL = os.environ.get("PERTINENT_BENCH_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/pertinent_test")
SHIPPED = Path(__file__).resolve().parent.parent / "models"
HOSTS = 8
POLLS = 2_000


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.99) - 1] * 1000


def _timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def measure(url: str, root: Path) -> dict:
    from pertinent.modelset.postgres_sets import PostgresModelSets
    from pertinent.store import open_store

    keyring = Keyring(current=os.urandom(32))
    version = live_version(SHIPPED)
    worker_dir = root / "worker"
    shutil.copytree(SHIPPED / version, worker_dir / version)
    sign_model_set(worker_dir / version, keyring)
    size = sum(p.stat().st_size for p in (worker_dir / version).iterdir())
    open_store(url).ping()  # tables (migration step 2)
    worker = PostgresModelSets(url, worker_dir)
    started = time.perf_counter()
    worker.publish(worker_dir / version, keyring)
    publish_s = time.perf_counter() - started
    worker.promote(version, keyring=keyring)
    fetches = []
    for i in range(HOSTS):
        host = PostgresModelSets(url, root / f"host-{i}")
        started = time.perf_counter()
        host.fetch(version, keyring)
        fetches.append(time.perf_counter() - started)
        host.close()
    folder = FolderModelSets(worker_dir)
    folder._write_pointer(LIVE, version)
    polls = {"postgresql": _timed(lambda: worker.pointer_token(LIVE), POLLS),
             "folder": _timed(lambda: folder.pointer_token(LIVE), POLLS)}
    worker.close()
    return {"bytes": size, "publish_s": publish_s, "fetch_s": fetches, "polls": polls}


def run() -> dict:
    schema = f"pt_bench_{uuid.uuid4().hex[:10]}"
    root = Path(tempfile.mkdtemp(prefix="pertinent-bench-sets-"))
    try:
        r = measure(f"{POSTGRES_URL}?schema={schema}", root)
    except Exception as exc:  # noqa: BLE001 - no server: say so, do not hide the other benches
        print(f"model sets: postgresql unavailable at {POSTGRES_URL}: {exc}")
        return {}
    finally:
        shutil.rmtree(root, ignore_errors=True)
        _drop_schema(schema)
    mb = r["bytes"] / 1e6
    print(f"model sets: the shipped demo set, {mb:.1f} MB, through PostgreSQL to {HOSTS} hosts (load "
          f"{os.getloadavg()[0]:.1f})")
    print(f"  publish (verify + upload, worker)      {r['publish_s'] * 1000:8.0f} ms")
    fetch_p50 = statistics.median(r["fetch_s"])
    print(f"  first fetch per host (download+verify) {fetch_p50 * 1000:8.0f} ms p50, "
          f"{max(r['fetch_s']) * 1000:.0f} ms max  ({mb / fetch_p50:.0f} MB/s per host)")
    for name, samples in r["polls"].items():
        p50, p99 = _ms(samples)
        print(f"  pointer poll, {name:<10}             {p50:8.3f} ms p50, {p99:.3f} ms p99")
    # Per sidecar process: LIVE and CANARY, one token query each per reload interval (5 s by default).
    hosts, workers, interval = 100, 4, 5.0
    print(f"  {hosts} hosts x {workers} workers: {hosts * workers * 2 / interval:,.0f} pointer queries/s on "
          f"PostgreSQL; a new set: {hosts} x {mb:.1f} MB = {hosts * mb:,.0f} MB read once, within a reload "
          f"interval (up to {workers}x that if every worker of a host fetches at the same moment)")
    return r


def _drop_schema(schema: str) -> None:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    except Exception:  # noqa: BLE001
        pass
