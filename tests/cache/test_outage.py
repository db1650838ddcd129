"""A cache outage degrades speed, never answers: misses and dropped writes, only ping() raises."""
from __future__ import annotations

import subprocess
import time

import pytest
from pertinent.cache import CacheUnavailable, open_cache
from pertinent.cache import redis as redis_cache

from tests.support.net import free_port


@pytest.fixture(params=["redis", "disk"])
def broken_cache(request, tmp_path):
    if request.param == "redis":
        return open_cache(f"redis://127.0.0.1:{free_port()}/0?prefix=pt-down:")  # nobody listens there
    blocker = tmp_path / "a-file"
    blocker.write_text("the cache folder cannot be created under a file")
    return open_cache(f"diskcache:///{blocker}/cache")


def test_reads_miss_and_writes_are_dropped_without_raising(broken_cache):
    assert broken_cache.get("k") is None
    broken_cache.set("k", {"n": 1}, 60)
    broken_cache.delete("k")
    broken_cache.bump_generation(["v1"])
    assert broken_cache.get("k") is None
    assert broken_cache.errors >= 2


def test_generation_of_a_broken_backend_matches_no_real_generation(broken_cache):
    assert broken_cache.generation("v1") == -1


def test_ping_says_the_backend_is_unavailable(broken_cache):
    with pytest.raises(CacheUnavailable, match="cache"):
        broken_cache.ping()


@pytest.mark.redis
def test_redis_backs_off_after_a_failure_then_recovers(monkeypatch, tmp_path):
    monkeypatch.setattr(redis_cache, "BACKOFF_S", 0.2)
    port = free_port()
    cache = open_cache(f"redis://127.0.0.1:{port}/0?prefix=pt-recover:")
    assert cache.get("k") is None and cache.errors == 1
    assert cache.get("k") is None and cache.errors == 1  # backing off: no second wait on a dead socket
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                cache.ping()
                break
            except CacheUnavailable:
                assert time.monotonic() < deadline, "the test's redis-server did not start"
                time.sleep(0.05)
        cache.set("k", {"n": 1}, 60)
        assert cache.get("k") == {"n": 1}
        assert cache.errors == 1
    finally:
        cache.close()
        server.terminate()
        server.wait(timeout=10)


def test_counters_of_a_broken_backend_report_the_failure_so_the_caller_keeps_them(broken_cache):
    assert broken_cache.add_counts("traffic:x", {"decisions": 1}, 60) is False
    assert broken_cache.counts("traffic:x") == {}
