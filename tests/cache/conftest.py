"""The `cache` fixture: every cache test runs against memory, diskcache and Redis.

Redis gets a key prefix unique to this session (its keys are deleted at the end) and one more per
test. When Redis is down the Redis cases fail with a message saying so: never skip.
"""
from __future__ import annotations

import itertools

import pytest
from pertinent.cache import open_cache

from tests.support import services

REDIS_URL = services.REDIS_URL
_numbers = itertools.count()


@pytest.fixture(scope="session")
def redis_prefix():
    """This session's key prefix; every key under it is deleted when the session ends."""
    with services.redis_prefix("test") as prefix:
        yield prefix


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
