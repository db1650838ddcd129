"""Caches: values, TTLs, visitor generations and key prefixes behave the same on every backend."""
from __future__ import annotations

import os
import time

import pytest
from pertinent.cache import open_cache
from pertinent.errors import ConfigError

DECISION = {"decision_id": "d1", "slots": {"hero": {"content_ids": ["12", "13"], "scores": [0.9, 0.5]}},
            "reason": "Ähnlich wie gelesen — 関連", "cached": False, "ttl": 300, "model_version": None}


def test_a_value_round_trips_as_json(cache):
    cache.set("decision:v1", DECISION, 60)
    assert cache.get("decision:v1") == DECISION
    assert cache.get("decision:other") is None


def test_set_replaces_and_delete_forgets(cache):
    cache.set("k", {"n": 1}, 60)
    cache.set("k", {"n": 2}, 60)
    assert cache.get("k") == {"n": 2}
    cache.delete("k")
    cache.delete("never-there")
    assert cache.get("k") is None


def test_values_expire_after_their_ttl(cache):
    cache.set("short", {"n": 1}, 1)
    cache.set("long", {"n": 2}, 60)
    time.sleep(1.3)
    assert cache.get("short") is None
    assert cache.get("long") == {"n": 2}


def test_a_zero_ttl_stores_nothing(cache):
    cache.set("k", {"n": 1}, 0)
    assert cache.get("k") is None


def test_a_value_that_is_not_json_is_the_callers_bug(cache):
    with pytest.raises(TypeError):
        cache.set("k", {"when": object()}, 60)


def test_generation_bumps_invalidate_only_that_visitors_keys(cache):
    assert cache.generation("v1") == 0
    key = f"decision:v1:{cache.generation('v1')}"
    cache.set(key, DECISION, 60)
    cache.set(f"decision:v2:{cache.generation('v2')}", DECISION, 60)
    cache.bump_generation(["v1", "v1", "v3"])  # a batch with one visitor twice bumps it once
    assert cache.generation("v1") == 1 and cache.generation("v3") == 1 and cache.generation("v2") == 0
    assert cache.get(f"decision:v1:{cache.generation('v1')}") is None
    assert cache.get(f"decision:v2:{cache.generation('v2')}") == DECISION
    cache.bump_generation(["v1"])
    cache.bump_generation([])
    assert cache.generation("v1") == 2


def test_prefixes_keep_deployments_apart(cache_url):
    one, two = open_cache(cache_url + "one:"), open_cache(cache_url + "two:")
    one.set("k", {"who": "one"}, 60)
    two.set("k", {"who": "two"}, 60)
    one.bump_generation(["v1"])
    assert one.get("k") == {"who": "one"} and two.get("k") == {"who": "two"}
    assert one.generation("v1") == 1 and two.generation("v1") == 0
    two.delete("k")
    assert one.get("k") == {"who": "one"}


def test_ping_passes_on_a_reachable_backend(cache):
    cache.ping()
    assert cache.errors == 0


@pytest.mark.parametrize("url", ["memcached://localhost", "diskcache://", "ftp://x"])
def test_unknown_cache_urls_are_refused(url):
    with pytest.raises(ConfigError):
        open_cache(url)


def test_memory_caches_share_a_name_and_private_ones_share_nothing():
    named_a, named_b = open_cache("memory://shared-name"), open_cache("memory://shared-name")
    named_a.set("k", {"n": 1}, 60)
    assert named_b.get("k") == {"n": 1}
    assert open_cache("memory://").get("k") is None


@pytest.mark.parametrize("cache_url", ["disk", pytest.param("redis", marks=pytest.mark.redis)],
                         indirect=True)
def test_a_forked_worker_sees_and_invalidates_the_same_entries(cache):
    cache.set("k", {"n": 1}, 60)  # the parent has an open handle now
    pid = os.fork()
    if pid == 0:  # child: only os._exit from here
        code = 1
        try:
            ok = cache.get("k") == {"n": 1}
            cache.set("from-child", {"n": 2}, 60)
            cache.bump_generation(["v1"])
            code = 0 if ok and cache.errors == 0 else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert cache.get("from-child") == {"n": 2}
    assert cache.generation("v1") == 1
    assert cache.errors == 0


def test_the_disk_cache_folder_is_created_on_first_use(tmp_path):
    folder = tmp_path / "a" / "b" / "cache"
    cache = open_cache(f"diskcache:///{folder}")
    assert not folder.exists()  # opening touches nothing
    cache.set("k", {"n": 1}, 60)
    assert folder.is_dir() and cache.get("k") == {"n": 1}
    cache.close()
    cache.close()
    assert cache.get("k") == {"n": 1}  # reopened after close, like a worker after the master closed it


def test_forget_visitor_drops_their_generation_and_decisions_and_nothing_else(cache):
    from pertinent.cache.keys import decision_key

    cache.bump_generation(["v1", "v2"])
    for key in (decision_key("v1", "a"), decision_key("v1", "b"), decision_key("v2", "a"),
                decision_key(None, "a")):
        cache.set(key, {"k": key}, 60)
    cache.forget_visitor("v1")
    assert cache.generation("v1") == 0
    assert cache.get(decision_key("v1", "a")) is None and cache.get(decision_key("v1", "b")) is None
    assert cache.generation("v2") == 1
    assert cache.get(decision_key("v2", "a")) == {"k": decision_key("v2", "a")}
    assert cache.get(decision_key(None, "a")) == {"k": decision_key(None, "a")}


def test_counters_add_up_and_start_from_nothing(cache):
    assert cache.counts("traffic:x") == {}
    assert cache.add_counts("traffic:x", {"decisions": 2, "source:model": 3}, 60)
    assert cache.add_counts("traffic:x", {"decisions": 1, "fallback:cold_start": 1}, 60)
    assert cache.counts("traffic:x") == {"decisions": 3, "source:model": 3, "fallback:cold_start": 1}


def test_counters_from_concurrent_writers_are_not_lost(cache_url):
    import threading

    caches = [open_cache(cache_url) for _ in range(4)]

    def add(c):
        for _ in range(50):
            c.add_counts("traffic:race", {"decisions": 1}, 60)

    threads = [threading.Thread(target=add, args=(c,)) for c in caches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert caches[0].counts("traffic:race") == {"decisions": 200}
