"""Two sidecar hosts that share only PostgreSQL and Redis serve the same model sets.

Two real `pertinent serve` processes (gunicorn, 2 workers each), each with a models folder of its own;
the worker (a third folder) trains, publishes and promotes through PERTINENT_MODELS_URL. Both hosts
switch to the new live set and to the canary within the reload interval, and both refuse a set
altered in the database while they keep serving the previous one.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import psycopg
import pytest
import requests
from pertinent.config import load_config
from pertinent.modelset.sets import LIVE
from pertinent.runtime import Runtime
from pertinent.worker import LOCK_NAME, Worker

from tests.modelset.helpers import write
from tests.serve.conftest import Sidecar
from tests.support.services import POSTGRES_URL, REDIS_URL, postgres_schema, redis_prefix

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
RELOAD_SECONDS = 1.0
T0 = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def deployment(tmp_path):
    """(store and models URL, cache URL): one throwaway PostgreSQL schema and one Redis prefix."""
    with postgres_schema("twohosts") as url, redis_prefix("twohosts") as prefix:
        yield url, f"{REDIS_URL}?prefix={prefix}"


def _settings(url: str, cache: str) -> dict:
    return {"PERTINENT_STORE_URL": url, "PERTINENT_MODELS_URL": url, "PERTINENT_CACHE_URL": cache,
            "PERTINENT_RELOAD_INTERVAL": str(RELOAD_SECONDS), "PERTINENT_CANARY_SHARE": "1.0",
            "PERTINENT_RATE_LIMIT": "off"}


def _served(host: Sidecar) -> tuple[str | None, str | None]:
    """(live version from /readyz, version a decide for a model-arm visitor was made with)."""
    live = requests.get(host.url + "/readyz", timeout=5).json()["model_version"]
    decision = host.post("/v1/decide", {"visitor_id": f"v-{time.monotonic_ns()}",
                                        "slots": [{"name": "related", "count": 2}]}).json()
    return live, decision["model_version"]


def _wait_until(hosts, expected: tuple, within: float) -> float:
    """Seconds until every host answers `expected` 6 times in a row (both gunicorn workers, likely)."""
    started = time.monotonic()
    streak = {id(h): 0 for h in hosts}
    answers = {}
    while time.monotonic() - started < within:
        for host in hosts:
            answers[host.url] = _served(host)
            streak[id(host)] = streak[id(host)] + 1 if answers[host.url] == expected else 0
        if all(count >= 6 for count in streak.values()):
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"after {within}s the hosts serve {answers}, not {expected}")


def _registry_that_looked(host: Sidecar) -> dict:
    """/v1/models of a worker process that has polled since the pointer moved (each polls on decide)."""
    for _ in range(40):
        _served(host)
        registry = host.get("/v1/models").json()["registry"]
        if registry["last_error"]:
            return registry
    return registry


def _tamper(url: str, sha256: str) -> None:
    schema = url.rsplit("schema=", 1)[1]
    with psycopg.connect(POSTGRES_URL, autocommit=True, options=f"-c search_path={schema}") as conn:
        conn.execute("UPDATE model_artifacts SET data = data || '\\x00'::bytea WHERE sha256 = %s", (sha256,))


def test_two_hosts_sharing_postgres_and_redis_serve_one_live_set_and_canary(tmp_path, deployment):
    url, cache = deployment
    for name in ("host-a", "host-b", "worker"):
        (tmp_path / name).mkdir()
    hosts = [Sidecar(tmp_path / name, extra_env=_settings(url, cache)) for name in ("host-a", "host-b")]
    home = tmp_path / "worker"
    config = load_config({}, {"store_url": url, "models_url": url, "cache_url": cache,
                              "data_dir": home / "data", "models_dir": home / "models",
                              "reload_interval": RELOAD_SECONDS})
    runtime = Runtime.from_config(config)
    trained = []

    def train(rt, reason):
        trained.append(write(rt.config.models_dir, version=f"set-{len(trained) + 1}"))
        return trained[-1]

    worker = Worker(runtime, train=train, owner="test-worker")
    try:
        for host in hosts:
            host.start()
        assert [_served(h) for h in hosts] == [(None, None), (None, None)]

        assert "train:promoted" in worker.run_once(T0)
        took = _wait_until(hosts, ("set-1", "set-1"), within=RELOAD_SECONDS + 9)
        print(f"both hosts serve set-1 {took:.2f}s after the worker promoted it")
        assert not (tmp_path / "host-a" / "models" / "LIVE").exists()  # the pointer lives in PostgreSQL
        assert (tmp_path / "host-a" / "models" / "set-1" / "manifest.json").exists()  # each host's own copy

        runtime.store.release_lock(LOCK_NAME, worker.owner)
        assert "train:canary" in worker.run_once(T0 + timedelta(hours=25))
        took = _wait_until(hosts, ("set-1", "set-2"), within=RELOAD_SECONDS + 9)
        print(f"both hosts serve the canary set-2 {took:.2f}s after the worker started it")

        # A set altered in the database after it was signed: both hosts refuse it and keep set-1 live.
        third = write(config.models_dir, version="set-3")
        sets = runtime.models.sets
        sets.publish(third)
        _tamper(url, sets.manifest("set-3")["artifacts"]["recommender"]["sha256"])
        sets._write_pointer(LIVE, "set-3")  # as someone with write access to the database would
        time.sleep(RELOAD_SECONDS * 2 + 0.5)
        _wait_until(hosts, ("set-1", "set-2"), within=5)
        for host in hosts:
            registry = _registry_that_looked(host)
            assert registry["live"] == "set-1" and registry["last_error_code"] == "checksum_mismatch"
            assert "set-3" in registry["last_error"] and "still serving set-1" in registry["last_error"]
            assert not (host.root / "models" / "set-3").exists()  # nothing unverified lands on disk
    finally:
        for host in hosts:
            host.stop()
        runtime.close()
