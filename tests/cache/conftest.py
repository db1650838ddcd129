"""The `cache` fixture: every cache test runs against memory, diskcache and Redis.

Redis gets a key prefix unique to this session (its keys are deleted at the end) and one more per
test. When Redis is down the Redis cases fail with a message saying so: never skip.
"""
from __future__ import annotations

import itertools
import os
import uuid

import pytest
import redis
from pertinent.cache import open_cache

REDIS_URL = os.environ.get("PERTINENT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
_numbers = itertools.count()


@pytest.fixture(scope="session")
def redis_prefix():
    """This session's key prefix; every key under it is deleted when the session ends."""
    prefix = f"pt-test-{uuid.uuid4().hex[:12]}:"
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} (run `make services`): {exc}", pytrace=False)
    yield prefix
    for key in client.scan_iter(match=prefix + "*", count=500):
        client.delete(key)
    client.close()


@pytest.fixture(params=["memory", "disk", pytest.param("redis", marks=pytest.mark.redis)])
def cache_url(request, tmp_path) -> str:
    """A fresh, empty namespace on the backend under test; its URL already carries a key prefix."""
    if request.param == "memory":
        return f"memory://test-{next(_numbers)}?prefix=t:"
    if request.param == "disk":
        return f"diskcache:///{tmp_path / 'cache'}?prefix=t:"
    return f"{REDIS_URL}?prefix={request.getfixturevalue('redis_prefix')}{next(_numbers)}:"


@pytest.fixture
def cache(cache_url):
    c = open_cache(cache_url)
    yield c
    c.close()
